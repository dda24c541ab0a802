// Faults in a cluster of real processes (issue 10): a process killed with SIGKILL, a Redis
// outage, a visitor whose tabs sit on two processes. Each dashboard is computed the way the
// real one is (test/support/live-table.ts); every process is a separate OS process over a fresh
// PostgreSQL database and a private redis-server.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { SiteStore } from '../../server/sites/site-store';
import { freshPostgres } from '../support/db';
import { startNode, startPrivateRedis, type NodeProcess, type PrivateRedis } from '../support/cluster-process';
import { until, watchTable, type LiveTable } from '../support/live-table';
import { agentSocket, connected, handshake, signUp, visitorSocket, type AgentSocket, type VisitorSocket } from '../support/server';

const ready = !!process.env.DATABASE_URL;

describe.skipIf(!ready)('cluster faults (real processes, private Redis)', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Database;
  let redis: PrivateRedis;
  let env: Record<string, string>;
  const nodes: NodeProcess[] = [];
  const sockets: { disconnect(): void }[] = [];
  const tables: LiveTable[] = [];
  const track = <T extends { disconnect(): void }>(s: T): T => (sockets.push(s), s);

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    db = await openDatabase({ url: fresh.url }); // migrates once, before any node starts
    redis = await startPrivateRedis();
    env = { DATABASE_URL: fresh.url, REDIS_URL: redis.url, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
  });
  afterEach(async () => {
    if (process.env.CLUSTER_DEBUG) for (const n of nodes) console.log(`--- node ${n.url}\n${n.output().split('\n').filter((l) => !/^\s+at .*node_modules/.test(l)).join('\n').slice(-6000)}`);
    for (const t of tables.splice(0)) t.close();
    for (const s of sockets.splice(0)) s.disconnect();
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
  });
  afterAll(async () => {
    await redis?.destroy();
    await db?.close();
    await fresh?.drop();
  });

  const cluster = async (n: number) => {
    const started = await Promise.all(Array.from({ length: n }, () => startNode(env)));
    nodes.push(...started);
    return started;
  };
  const siteFor = async (url: string, name: string) => {
    const owner = await signUp(url, name);
    const site = await new SiteStore(db.db).create(owner.userId, { name, allowedOrigins: ['https://shop.example'] });
    return { owner, site };
  };
  const visitor = async (url: string, key: string, auth = handshake()): Promise<{ socket: VisitorSocket; id: string; auth: typeof auth }> => {
    const socket = track(visitorSocket(url, { key, auth }));
    await connected(socket);
    return { socket, id: auth.visitorId, auth };
  };
  const dashboard = async (url: string, cookie: string, siteId: string): Promise<LiveTable> => {
    const s: AgentSocket = track(agentSocket(url, cookie));
    await connected(s);
    const t = await watchTable(s, siteId);
    tables.push(t);
    return t;
  };
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

  it('kill -9 of one process: within 10 s its visitors leave the dashboards on the others, and those whose tabs reconnect elsewhere stay', async () => {
    const [a, b, c] = await cluster(3);
    const { owner, site } = await siteFor(b!.url, 'Killed Shop');
    const onA = await Promise.all(Array.from({ length: 5 }, () => visitor(a!.url, site.publicKey)));
    const onB = await visitor(b!.url, site.publicKey);
    const tableB = await dashboard(b!.url, owner.cookie, site.id);
    const tableC = await dashboard(c!.url, owner.cookie, site.id);
    const all = [...onA.map((v) => v.id), onB.id];
    await until('both dashboards list all 6 visitors', 5000, () => same(tableB.ids(), all) && same(tableC.ids(), all));

    // Every process has seen the others' heartbeats (two beats), so what follows measures noticing a death.
    await new Promise((r) => setTimeout(r, 2500));
    const killedAt = Date.now();
    await a!.kill9();
    // Two of A's visitors' tabs reconnect to C (as the snippet does when its server goes away).
    const moved = await Promise.all(onA.slice(0, 2).map((v) => visitor(c!.url, site.publicKey, v.auth)));
    const truth = [onB.id, ...moved.map((v) => v.id)];
    const tookB = await until('B’s dashboard drops the killed process’s visitors', 10_000 - (Date.now() - killedAt), () => same(tableB.ids(), truth));
    const tookC = await until('C’s dashboard drops them too', 10_000 - (Date.now() - killedAt), () => same(tableC.ids(), truth));
    console.log(`[cluster-faults] kill -9: dashboards correct ${Date.now() - killedAt} ms after the kill (B ${tookB} ms, C +${tookC} ms)`);
    // And they stay correct (no late stale rows).
    await new Promise((r) => setTimeout(r, 1500));
    expect(tableB.ids()).toEqual([...truth].sort());
    expect(tableC.ids()).toEqual([...truth].sort());
  }, 90_000);

  it('kill -9 of the process holding a call: the call leaves the other dashboards and the visitor can be called again within 10 s, not at the 35 s expiry', async () => {
    const [a, b] = await cluster(2);
    const { owner, site } = await siteFor(b!.url, 'Call Shop');
    const v = await visitor(b!.url, site.publicKey);
    const tableB = await dashboard(b!.url, owner.cookie, site.id);
    const caller: AgentSocket = track(agentSocket(a!.url, owner.cookie));
    await connected(caller);
    const started = await caller.emitWithAck('call:start', { siteId: site.id, visitorId: v.id, video: true });
    expect(started.ok).toBe(true);
    await until('B’s row shows the call held by A', 5000, () => tableB.state().visitors.get(v.id)?.call?.phase === 'ringing');
    const again: AgentSocket = track(agentSocket(b!.url, owner.cookie));
    await connected(again);
    expect(await again.emitWithAck('call:start', { siteId: site.id, visitorId: v.id, video: true })).toMatchObject({ ok: false, code: 'busy' });

    await new Promise((r) => setTimeout(r, 2500)); // both have seen each other's heartbeats
    const killedAt = Date.now();
    await a!.kill9();
    const took = await until('B’s row drops the dead process’s call', 10_000, () => tableB.state().visitors.get(v.id)?.call === null);
    console.log(`[cluster-faults] kill -9 of a call's holder: row cleared ${took} ms after the kill`);
    // Its visitor lock went with it: a colleague on B calls the visitor at once.
    const retry = await again.emitWithAck('call:start', { siteId: site.id, visitorId: v.id, video: true });
    expect(retry).toMatchObject({ ok: true });
    expect(Date.now() - killedAt).toBeLessThan(20_000);
  }, 90_000);

  it('Redis down for 8 s and back: within 10 s every dashboard shows the truth (who left, who came, page changes)', async () => {
    const [a, b] = await cluster(2);
    const { owner, site } = await siteFor(a!.url, 'Outage Shop');
    const v1 = await visitor(a!.url, site.publicKey);
    const v2 = await visitor(a!.url, site.publicKey);
    const v3 = await visitor(b!.url, site.publicKey);
    const tableA = await dashboard(a!.url, owner.cookie, site.id);
    const tableB = await dashboard(b!.url, owner.cookie, site.id);
    await until('both dashboards list the 3 visitors', 5000, () => same(tableA.ids(), [v1.id, v2.id, v3.id]) && same(tableB.ids(), [v1.id, v2.id, v3.id]));

    await redis.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    // /readyz says so while Redis is away.
    expect((await fetch(`${a!.url}/readyz`)).status).toBe(503);
    v1.socket.disconnect(); // leaves during the outage
    await v2.socket.emitWithAck('visitor:page', { url: 'https://shop.example/pricing', title: 'Pricing' });
    await v3.socket.emitWithAck('visitor:page', { url: 'https://shop.example/cart', title: 'Cart' });
    const v4 = await visitor(a!.url, site.publicKey); // arrives during the outage
    const v5 = await visitor(b!.url, site.publicKey);
    await new Promise((r) => setTimeout(r, 8000 - (Date.now() - downAt)));
    await redis.start();

    const truth = [v2.id, v3.id, v4.id, v5.id];
    const correct = (t: LiveTable) =>
      same(t.ids(), truth) && t.state().visitors.get(v2.id)?.page.url === 'https://shop.example/pricing' && t.state().visitors.get(v3.id)?.page.url === 'https://shop.example/cart';
    const took = await until('both dashboards converge after Redis returns', 10_000, () => correct(tableA) && correct(tableB));
    console.log(`[cluster-faults] Redis outage: dashboards correct ${took} ms after Redis returned`);
    expect((await fetch(`${a!.url}/readyz`)).status).toBe(200);
    // A change after the outage travels between processes again.
    await v4.socket.emitWithAck('visitor:page', { url: 'https://shop.example/after', title: 'After' });
    await until('a page change after the outage reaches the other process', 3000, () => tableB.state().visitors.get(v4.id)?.page.url === 'https://shop.example/after');
  }, 90_000);

  it('a visitor with a tab on each of two processes stays listed until the last tab closes; the online count sums the processes, counting them once', async () => {
    const [a, b] = await cluster(2);
    const { owner, site } = await siteFor(a!.url, 'Tabs Shop');
    const tab1 = handshake();
    const tab2 = { ...handshake(), visitorId: tab1.visitorId, visitId: tab1.visitId };
    const t1 = await visitor(a!.url, site.publicKey, tab1);
    const t2 = await visitor(b!.url, site.publicKey, tab2);
    const others = [await visitor(a!.url, site.publicKey), await visitor(b!.url, site.publicKey)];
    const tableA = await dashboard(a!.url, owner.cookie, site.id);
    const tableB = await dashboard(b!.url, owner.cookie, site.id);
    const everyone = [tab1.visitorId, ...others.map((o) => o.id)];
    await until('both dashboards list the 3 visitors', 5000, () => same(tableA.ids(), everyone) && same(tableB.ids(), everyone));

    // While both tabs are open the visitor is counted once in the sparkline: 3 visitors, not 4.
    const sampled = (t: LiveTable) => t.state().history.at(-1);
    const firstAt = Math.max(sampled(tableA)?.at ?? 0, sampled(tableB)?.at ?? 0);
    await until('a sample taken with both tabs open reaches both dashboards', 25_000, () => [tableA, tableB].every((t) => (sampled(t)?.at ?? 0) > firstAt), 200);
    expect([tableA, tableB].map((t) => sampled(t)?.count)).toEqual([3, 3]);

    t1.socket.disconnect(); // the tab on A closes; the one on B is still open
    await new Promise((r) => setTimeout(r, 2500)); // well past the 400 ms grace
    expect(tableA.ids()).toContain(tab1.visitorId);
    expect(tableB.ids()).toContain(tab1.visitorId);

    // The sparkline's samples count every process's visitors (3 visitors, one of them on both).
    await until('a sample of the whole cluster reaches both dashboards', 25_000, () => [tableA, tableB].every((t) => t.state().history.at(-1)?.count === 3), 200);
    const late = await dashboard(b!.url, owner.cookie, site.id);
    expect(late.state().history.at(-1)?.count).toBe(3);

    t2.socket.disconnect(); // the last tab closes: now the visitor leaves
    await until('the visitor leaves both dashboards', 5000, () => !tableA.ids().includes(tab1.visitorId) && !tableB.ids().includes(tab1.visitorId));
  }, 90_000);
});
