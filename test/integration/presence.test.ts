// Visitors and dashboards over real socket.io against a real server and a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { LiveVisitor, PresenceDiff } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { agentSocket, connected, handshake, IPHONE_UA, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

describe.each(testDatabases())('live presence ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let owner: Account;
  let siteId: string;
  let key: string;
  let agent: AgentSocket;
  const open: { disconnect(): void }[] = [];

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    owner = await signUp(server.url, 'Owner');
    const site = await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    siteId = site.id;
    key = site.publicKey;
    agent = agentSocket(server.url, owner.cookie);
    await connected(agent);
    const res = await agent.emitWithAck('site:watch', { siteId });
    expect(res.ok).toBe(true);
  });

  afterAll(async () => {
    for (const s of open) s.disconnect();
    agent?.disconnect();
    await server?.close();
    await database?.close();
  });

  const visitor = (o: Parameters<typeof visitorSocket>[1]) => {
    const s = visitorSocket(server.url, o);
    open.push(s);
    return s;
  };
  const diffWith = (pred: (v: LiveVisitor) => boolean) =>
    nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.siteId === siteId && d.upserts.some(pred)).then((d) => d.upserts.find(pred)!);

  it('a visitor appears on the watching dashboard with parsed device, source and page', async () => {
    const hs = handshake({ page: { url: 'https://shop.example/pricing?plan=pro', title: 'Pricing' }, referrer: 'https://www.google.com/', utm: {} });
    const seen = diffWith((v) => v.id === hs.visitorId);
    const v = visitor({ key, auth: hs, userAgent: IPHONE_UA });
    await connected(v);
    const row = await seen;
    expect(row).toMatchObject({
      status: 'active',
      tabs: 1,
      pagesViewed: 1,
      source: 'google.com',
      page: { path: '/pricing?plan=pro', title: 'Pricing' },
      device: { type: 'mobile', os: expect.stringContaining('iOS'), browser: expect.stringContaining('Safari') },
      visitCount: 1,
    });
  });

  it('page changes, tab state and identify reach the dashboard as diffs', async () => {
    const hs = handshake();
    const v = visitor({ key, auth: hs });
    await connected(v);
    await diffWith((x) => x.id === hs.visitorId);

    const moved = diffWith((x) => x.id === hs.visitorId && x.page.path === '/contact');
    expect(await v.emitWithAck('visitor:page', { url: 'https://shop.example/contact', title: 'Contact' })).toEqual({ ok: true });
    expect((await moved).pagesViewed).toBe(2);

    const hidden = diffWith((x) => x.id === hs.visitorId && x.status === 'hidden');
    await v.emitWithAck('visitor:state', { state: 'hidden' });
    await hidden;

    const named = diffWith((x) => x.id === hs.visitorId && x.identity.name === 'Ana Lima');
    await v.emitWithAck('visitor:identify', { name: 'Ana Lima', email: 'ana@example.com', attributes: { plan: 'pro', seats: 12 } });
    expect((await named).identity).toEqual({ name: 'Ana Lima', email: 'ana@example.com', attributes: { plan: 'pro', seats: 12 } });
  });

  it('a visitor with two tabs is one row; closing both removes them after the grace period', async () => {
    const hs = handshake();
    const t1 = visitor({ key, auth: hs });
    await connected(t1);
    const t2 = visitor({ key, auth: { ...hs, tabId: `${hs.tabId}b` } });
    const two = diffWith((x) => x.id === hs.visitorId && x.tabs === 2);
    await connected(t2);
    await two;
    const snap = await agent.emitWithAck('site:watch', { siteId });
    expect(snap.ok && snap.visitors.filter((x) => x.id === hs.visitorId)).toHaveLength(1);

    t1.disconnect();
    await sleep(600); // longer than the grace period: one tab is still open
    expect(server.services.presence.has(siteId, hs.visitorId)).toBe(true);
    const removedAt = Date.now();
    const gone = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.removed.includes(hs.visitorId));
    t2.disconnect();
    await gone;
    expect(Date.now() - removedAt).toBeGreaterThanOrEqual(350); // grace period is 400 ms in tests
  });

  it('a new dashboard gets a snapshot of everyone already online', async () => {
    const hs = handshake();
    const v = visitor({ key, auth: hs });
    await connected(v);
    await diffWith((x) => x.id === hs.visitorId);
    const second = agentSocket(server.url, owner.cookie);
    open.push(second);
    await connected(second);
    const res = await second.emitWithAck('site:watch', { siteId });
    if (!res.ok) throw new Error(res.code);
    expect(res.visitors.map((x) => x.id)).toContain(hs.visitorId);
  });

  it('writes visits and page views to the database and serves them as visitor details', async () => {
    const hs = handshake({ page: { url: 'https://shop.example/', title: 'Home' } });
    const v = visitor({ key, auth: hs });
    await connected(v);
    await v.emitWithAck('visitor:page', { url: 'https://shop.example/pricing', title: 'Pricing' });
    await v.emitWithAck('visitor:identify', { email: 'buyer@example.com' });
    const res = await agent.emitWithAck('visitor:details', { siteId, visitorId: hs.visitorId });
    if (!res.ok) throw new Error(res.code);
    expect(res.details.trail.map((p) => p.url)).toEqual(['https://shop.example/', 'https://shop.example/pricing']);
    expect(res.details.visitCount).toBe(1);
    expect(res.details.identity.email).toBe('buyer@example.com');
  });

  it('a returning visitor is recognized by the stored visit count, and past visits are listed', async () => {
    const hs = handshake();
    const first = visitor({ key, auth: hs });
    await connected(first);
    await first.emitWithAck('visitor:identify', { name: 'Returning Rita', attributes: { plan: 'pro' } });
    await server.history.flush();
    first.disconnect();
    await sleep(700); // gone for longer than the grace period
    const again = { ...hs, visitId: `${hs.visitId}n2`, visitCount: 1 }; // browser storage was lost: the server still knows
    const returning = diffWith((x) => x.id === hs.visitorId && x.visitCount === 2 && x.identity.name === 'Returning Rita');
    const second = visitor({ key, auth: again });
    await connected(second);
    await server.history.flush();
    expect((await returning).identity.attributes).toEqual({ plan: 'pro' }); // known without identify being called again
    const res = await agent.emitWithAck('visitor:details', { siteId, visitorId: hs.visitorId });
    if (!res.ok) throw new Error(res.code);
    expect(res.details.pastVisits).toHaveLength(1);
    expect(res.details.pastVisits[0]!.pageViews).toBe(1);
  });
});
