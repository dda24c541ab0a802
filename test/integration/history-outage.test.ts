// Nothing acknowledged is lost when PostgreSQL goes away: page views and an identify sent (and
// acknowledged) while the database is stopped are stored once it is back, exactly once, and
// /readyz says 503 meanwhile. A PostgreSQL server of the test's own is stopped and started again.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { pageView, refusedOrigin, site, visit, visitor } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { ask, connected, handshake, must, signUp, startTestServer, visitorSocket, type VisitorSocket } from '../support/server';

const WAIT = { timeout: 20_000, interval: 100 };

describe('a PostgreSQL outage during writes', () => {
  let pg: PrivatePostgres;
  let database: Database;
  let server: Porchlight;
  let key: string;
  let siteId: string;
  const open: VisitorSocket[] = [];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    database = await openDatabase({ url: pg.url });
    server = await startTestServer(database);
    const owner = await signUp(server.url, 'Olga');
    const created = await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example', 'https://www.shop.example'] });
    key = created.publicKey;
    siteId = created.id;
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
    await pg?.destroy();
  });

  const stored = async (visitorId: string) => {
    const rows = await database.db
      .select({ url: pageView.url })
      .from(pageView)
      .innerJoin(visit, eq(visit.id, pageView.visitId))
      .where(eq(visit.visitorKey, visitorId))
      .orderBy(asc(pageView.at), asc(pageView.id));
    return rows.map((x) => x.url);
  };

  it('stores every page view and identify acknowledged while it was down, once, after it returns, and the install observations made meanwhile', async () => {
    const auth = handshake({ page: { url: 'https://shop.example/', title: 'Home' } });
    const v = visitorSocket(server.url, { key, auth });
    open.push(v);
    await connected(v);
    await must(ask(v, 'visitor:page', { url: 'https://shop.example/before', title: 'Before' }));
    await server.history.flush();
    expect(await stored(auth.visitorId)).toEqual(['https://shop.example/', 'https://shop.example/before']);

    await pg.stop();
    const during = Array.from({ length: 10 }, (_, i) => `https://shop.example/during-${i}`);
    for (const url of during) await must(ask(v, 'visitor:page', { url, title: 'During' }));
    await must(ask(v, 'visitor:identify', { name: 'Olga Visitor', email: 'olga@example.com' }));
    // What the Install page and Settings show is observed meanwhile too: a visitor on another
    // allowed origin, and a page on an origin the site refuses.
    const www = visitorSocket(server.url, { key, origin: 'https://www.shop.example' });
    open.push(www);
    await connected(www);
    const evil = visitorSocket(server.url, { key, origin: 'https://evil.example' });
    open.push(evil);
    await new Promise<void>((resolve) => evil.once('connect_error', () => resolve()));
    await new Promise((r) => setTimeout(r, 2500)); // the install monitor's flush (every 2 s) fails meanwhile
    await expect.poll(() => server.history.stats().retries, WAIT).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect(server.history.stats().queued).toBeGreaterThanOrEqual(during.length);

    await pg.start();
    await expect.poll(async () => (await stored(auth.visitorId).catch(() => [])).length, WAIT).toBeGreaterThanOrEqual(12);
    expect(await stored(auth.visitorId)).toEqual(['https://shop.example/', 'https://shop.example/before', ...during]);
    const nameOf = async () => (await database.db.select({ name: visitor.name }).from(visitor).where(eq(visitor.visitorKey, auth.visitorId)))[0]?.name;
    await expect.poll(nameOf, WAIT).toBe('Olga Visitor');
    const installed = async () => (await database.db.select({ origin: site.lastSeenOrigin }).from(site).where(eq(site.id, siteId)))[0]?.origin;
    await expect.poll(installed, WAIT).toBe('https://www.shop.example');
    const refused = async () => (await database.db.select({ origin: refusedOrigin.origin, count: refusedOrigin.count }).from(refusedOrigin).where(eq(refusedOrigin.siteId, siteId)));
    await expect.poll(refused, WAIT).toEqual([{ origin: 'https://evil.example', count: 1 }]);
    const s = server.history.stats();
    expect([s.queued, s.dropped, s.failed, s.retryAt]).toEqual([0, 0, 0, null]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
