// Two Porchlight processes sharing PostgreSQL and Redis: a visitor on one is seen by a
// dashboard on the other, both in the snapshot and as live diffs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { PresenceDiff } from '../../server/protocol';
import { freshPostgres } from '../support/db';
import { agentSocket, connected, handshake, nextEvent, signUp, startTestServer, visitorSocket, type AgentSocket } from '../support/server';

const ready = !!process.env.REDIS_URL && !!process.env.DATABASE_URL;

describe.skipIf(!ready)('two processes over Redis and PostgreSQL', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  const dbs: Database[] = [];
  const servers: Porchlight[] = [];
  const sockets: { disconnect(): void }[] = [];

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    const env = { REDIS_URL: process.env.REDIS_URL!, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: fresh.url });
      dbs.push(db);
      servers.push(await startTestServer(db, env));
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const s of servers) await s.close();
    for (const d of dbs) await d.close();
    await fresh?.drop();
  });

  it('a dashboard on process B sees visitors connected to process A', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });

    const early = handshake();
    const v1 = visitorSocket(a.url, { key: site.publicKey, auth: early });
    sockets.push(v1);
    await connected(v1);

    const agent: AgentSocket = agentSocket(b.url, owner.cookie); // session made on A, checked by B
    sockets.push(agent);
    await connected(agent);
    const snap = await agent.emitWithAck('site:watch', { siteId: site.id });
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.visitors.map((v) => v.id)).toContain(early.visitorId);

    const late = handshake();
    const seen = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === late.visitorId));
    const v2 = visitorSocket(a.url, { key: site.publicKey, auth: late });
    sockets.push(v2);
    await connected(v2);
    await seen;
  });
});
