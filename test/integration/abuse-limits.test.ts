// Abuse limits against a real server: a flood of visitor sockets from one address is capped and
// leaves no trace, other sites are untouched, a visitor's tabs share one page-view budget, and
// (with Redis) the caps hold across two processes.
import { randomBytes } from 'node:crypto';
import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { pageView, visitor as visitorTable } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { Ack, LiveVisitor } from '../../server/protocol';
import { createAbuseGate } from '../../server/transport/abuse-gate';
import { DEFAULT_ABUSE_LIMITS } from '../../server/visitors/abuse-limits';
import { startPrivateRedis, type PrivateRedis } from '../support/cluster-process';
import { freshPostgres } from '../support/db';
import { agentSocket, ask, connected, handshake, signUp, sleep, startTestServer, visitorSocket, type VisitorSocket } from '../support/server';

const LIMITS = {
  PORCHLIGHT_NO_RATE_LIMIT: '', // the test server turns limits off by default
  TRUSTED_PROXIES: '127.0.0.1', // each socket says its address in X-Forwarded-For
  VISITOR_CONNECTIONS_PER_ADDRESS: '10',
  VISITOR_CONNECTIONS_PER_VISITOR: '12',
  VISITOR_CONNECTIONS_PER_SITE: '40',
  VISITOR_CONNECTION_WINDOW_S: '60',
};

type Outcome = { ok: true; socket: VisitorSocket } | { ok: false; code: string };

/** Opens sockets at once and waits for each to connect or be refused. */
async function openMany(urls: string[], key: string, each: (i: number) => { address: string; visitorId?: string; visitId?: string }): Promise<Outcome[]> {
  return Promise.all(
    urls.map(async (url, i) => {
      const { address, ...same } = each(i);
      const socket = visitorSocket(url, { key, auth: handshake(same), headers: { 'x-forwarded-for': address } });
      try {
        await connected(socket);
        return { ok: true as const, socket };
      } catch (err) {
        socket.disconnect();
        return { ok: false as const, code: (err as Error).message };
      }
    }),
  );
}

const accepted = (o: Outcome[]) => o.flatMap((x) => (x.ok ? [x.socket] : []));
const refusedCodes = (o: Outcome[]) => o.flatMap((x) => (x.ok ? [] : [x.code]));
const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

async function metricValue(url: string, kind: string): Promise<number> {
  const body = await (await fetch(`${url}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`porchlight_abuse_refusals_total{kind="${kind}"}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('abuse limits on one process', () => {
  let database: Database;
  let server: Porchlight;
  let owner: string;
  let cookie: string;
  const open: { disconnect(): void }[] = [];
  const site = async (name: string) => server.services.sites.create(owner, { name, allowedOrigins: ['https://shop.example'] });

  beforeAll(async () => {
    database = await openDatabase({});
    server = await startTestServer(database, LIMITS);
    const account = await signUp(server.url, 'Owner');
    owner = account.userId;
    cookie = account.cookie;
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('a flood of visitor sockets from one address is capped, refused with rate_limited, and leaves no row or table entry', async () => {
    const shop = await site('Flooded');
    const outcomes = await openMany(times(30, () => server.url), shop.publicKey, () => ({ address: '203.0.113.7' }));
    open.push(...accepted(outcomes));
    expect(accepted(outcomes)).toHaveLength(10);
    expect(refusedCodes(outcomes)).toEqual(times(20, () => 'rate_limited'));
    // Over long-polling as well.
    const polling = visitorSocket(server.url, { key: shop.publicKey, transports: ['polling'], headers: { 'x-forwarded-for': '203.0.113.7' } });
    open.push(polling);
    await expect(connected(polling)).rejects.toThrow('rate_limited');

    const agent = agentSocket(server.url, cookie);
    open.push(agent);
    await connected(agent);
    const snap = (await agent.emitWithAck('site:watch', { siteId: shop.id })) as Ack<{ visitors: LiveVisitor[] }>;
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.visitors).toHaveLength(10);

    await server.history.flush();
    const rows = await database.db.select().from(visitorTable);
    expect(rows.filter((r) => r.siteId === shop.id)).toHaveLength(10);
    expect(await metricValue(server.url, 'connections_per_address')).toBe(21);

    // Another site from the same address is not affected by the first one's flood.
    const other = await site('Neighbour');
    const next = await openMany(times(10, () => server.url), other.publicKey, () => ({ address: '203.0.113.7' }));
    open.push(...accepted(next));
    expect(accepted(next)).toHaveLength(10);
  });

  it('caps connections per visitor id and per site key', async () => {
    const shop = await site('Busy');
    const one = await openMany(times(15, () => server.url), shop.publicKey, (i) => ({ address: `198.51.100.${i + 1}`, visitorId: 'same-visitor-id' }));
    open.push(...accepted(one));
    expect(accepted(one)).toHaveLength(12);
    expect(refusedCodes(one)).toEqual(times(3, () => 'rate_limited'));
    // 12 taken, 40 per site: 28 more from anywhere, then refused.
    const many = await openMany(times(35, () => server.url), shop.publicKey, (i) => ({ address: `192.0.2.${(i % 7) + 1}` }));
    open.push(...accepted(many));
    expect(accepted(many)).toHaveLength(28);
    expect(await metricValue(server.url, 'connections_per_site')).toBe(7);
    expect(await metricValue(server.url, 'connections_per_visitor')).toBe(3);
  });

  it("10 sockets of one visitor id share one page-view budget; refused views are not stored", async () => {
    const shop = await site('Tabs');
    // One visitor's tabs: the same visitor and visit.
    const visitorId = `tabs${randomBytes(4).toString('hex')}`;
    const visitId = `visit${randomBytes(4).toString('hex')}`;
    const tabs = accepted(await openMany(times(10, () => server.url), shop.publicKey, () => ({ address: '203.0.113.50', visitorId, visitId })));
    open.push(...tabs);
    expect(tabs).toHaveLength(10);
    const prefix = `https://shop.example/pv-${randomBytes(4).toString('hex')}`;
    const acks = await Promise.all(tabs.flatMap((tab, t) => times(5, (i) => ask(tab, 'visitor:page', { url: `${prefix}/${t}/${i}`, title: 'Page' }))));
    expect(acks.filter((a) => a.ok)).toHaveLength(20); // the burst, across all tabs
    expect(acks.filter((a) => !a.ok)).toEqual(times(30, () => ({ ok: false, code: 'rate_limited' })));
    await server.history.flush();
    expect(await database.db.select().from(pageView).where(like(pageView.url, `${prefix}/%`))).toHaveLength(20);
    expect(await metricValue(server.url, 'page_views')).toBe(30);
  });
});

const cluster = !!process.env.REDIS_URL && !!process.env.DATABASE_URL;

describe.skipIf(!cluster)('abuse limits across two processes sharing Redis', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  const dbs: Database[] = [];
  const servers: Porchlight[] = [];
  const open: { disconnect(): void }[] = [];

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    const env = { ...LIMITS, REDIS_URL: process.env.REDIS_URL!, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: fresh.url });
      dbs.push(db);
      servers.push(await startTestServer(db, env));
    }
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    for (const s of servers) await s.close();
    for (const d of dbs) await d.close();
    await fresh?.drop();
  });

  it('sockets from one address split across both processes hit one cap; another site is unaffected', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner');
    const shop = await a.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    const other = await a.services.sites.create(owner.userId, { name: 'Other', allowedOrigins: ['https://shop.example'] });
    const urls = times(24, (i) => (i % 2 ? b.url : a.url));
    const outcomes = await openMany(urls, shop.publicKey, () => ({ address: '203.0.113.9' }));
    open.push(...accepted(outcomes));
    expect(accepted(outcomes)).toHaveLength(10);
    expect(refusedCodes(outcomes)).toEqual(times(14, () => 'rate_limited'));
    // Each process counts the refusals it made; together, all of them.
    expect((await metricValue(a.url, 'connections_per_address')) + (await metricValue(b.url, 'connections_per_address'))).toBe(14);

    const next = await openMany(urls.slice(0, 10), other.publicKey, () => ({ address: '203.0.113.9' }));
    open.push(...accepted(next));
    expect(accepted(next)).toHaveLength(10);
  });

  it("a visitor's tabs on both processes share one page-view budget", async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner Two');
    const shop = await a.services.sites.create(owner.userId, { name: 'Tabs', allowedOrigins: ['https://shop.example'] });
    // One visitor's tabs: the same visitor and visit.
    const visitorId = `tabs${randomBytes(4).toString('hex')}`;
    const visitId = `visit${randomBytes(4).toString('hex')}`;
    const tabs = accepted(await openMany(times(10, (i) => (i % 2 ? b.url : a.url)), shop.publicKey, () => ({ address: '203.0.113.60', visitorId, visitId })));
    open.push(...tabs);
    expect(tabs).toHaveLength(10);
    const prefix = `https://shop.example/pv-${randomBytes(4).toString('hex')}`;
    const acks = await Promise.all(tabs.flatMap((tab, t) => times(5, (i) => ask(tab, 'visitor:page', { url: `${prefix}/${t}/${i}`, title: 'Page' }))));
    expect(acks.filter((x) => x.ok)).toHaveLength(20);
    for (const s of servers) await s.history.flush();
    expect(await dbs[0]!.db.select().from(pageView).where(like(pageView.url, `${prefix}/%`))).toHaveLength(20);
  });
});

describe.skipIf(!process.env.REDIS_URL)('abuse limits while Redis goes away', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('serves visitors without caps while Redis is down (said once), and caps again when it returns', async () => {
    const logs: string[] = [];
    const gate = await createAbuseGate({ limits: { ...DEFAULT_ABUSE_LIMITS, perAddress: 2 }, redisUrl: redis.url, log: (m) => logs.push(m) });
    try {
      const who = (i: number) => ({ siteId: 'site-outage', address: '203.0.113.1', visitorId: `v${i}` });
      expect(await gate.admitConnection(who(1))).toBeNull();
      expect(await gate.admitConnection(who(2))).toBeNull();
      expect(await gate.admitConnection(who(3))).toBe('connections_per_address');

      await redis.stop();
      const started = Date.now();
      for (let i = 4; i < 10; i++) expect(await gate.admitConnection(who(i))).toBeNull();
      expect(await gate.admitPageView('site-outage', 'v1')).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000); // nobody waits for Redis
      expect(logs.filter((m) => m.includes('Redis does not answer'))).toHaveLength(1);

      await redis.start();
      const deadline = Date.now() + 10_000;
      while (logs.every((m) => !m.includes('Redis answers again')) && Date.now() < deadline) {
        await gate.admitPageView('site-outage', 'probe');
        await sleep(100);
      }
      expect(await gate.admitConnection(who(10))).toBeNull();
      expect(await gate.admitConnection(who(11))).toBeNull();
      expect(await gate.admitConnection(who(12))).toBe('connections_per_address');
      expect(logs.filter((m) => m.includes('Redis does not answer'))).toHaveLength(1);
    } finally {
      await gate.close();
    }
  });
});
