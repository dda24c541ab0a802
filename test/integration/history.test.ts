// The batched history writer against real databases: big reconnect storms, visits the
// database does not have, and what it reports back to the live view.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import { pageView, site, visit, visitor, workspace } from '../../drizzle/schema';
import { readVisitorDetails } from '../../server/history/reader';
import { HistoryWriter, type HistoryEvent, type RecalledVisitor } from '../../server/history/writer';
import { testDatabases } from '../support/db';

const device = { type: 'desktop' as const, browser: 'Chrome 131', os: 'macOS' };

function visitEvent(siteId: string, i: number, at: number): HistoryEvent {
  return { kind: 'visit', siteId, visitorKey: `visitor-${i}`, visitKey: `visit-${i}`, at, startedAt: at, landing: { url: `https://shop.example/${i}`, title: 'Home' }, referrer: '', source: 'direct', utm: {}, country: null, device };
}

describe.each(testDatabases())('history writer ($name)', (kind) => {
  let database: Database;
  const siteId = 'site-history-test';
  const errors: unknown[] = [];
  const recalled: RecalledVisitor[] = [];
  let writer: HistoryWriter;

  beforeAll(async () => {
    database = await kind.open();
    await database.db.insert(workspace).values({ id: 'ws-h', name: 'H' });
    await database.db.insert(site).values({ id: siteId, workspaceId: 'ws-h', name: 'S', publicKey: 'pk_history', allowedOrigins: [] });
    writer = new HistoryWriter(database.db, { intervalMs: 60_000, maxQueue: 100_000, onError: (e) => errors.push(e), onVisitorsRecalled: (r) => recalled.push(...r) });
  });
  afterAll(async () => {
    await writer?.stop();
    await database?.close();
  });

  it('writes a reconnect storm of 6,000 new visits and their page views in one flush', async () => {
    const at = Date.now();
    for (let i = 0; i < 6000; i++) {
      writer.push(visitEvent(siteId, i, at));
      writer.push({ kind: 'page', siteId, visitorKey: `visitor-${i}`, visitKey: `visit-${i}`, page: { url: `https://shop.example/${i}`, title: 'Home' }, at });
    }
    await writer.flush();
    expect(errors).toEqual([]);
    const [visits] = await database.db.select({ n: count() }).from(visit);
    const [views] = await database.db.select({ n: count() }).from(pageView);
    const [visitors] = await database.db.select({ n: count() }).from(visitor);
    expect([visits!.n, views!.n, visitors!.n]).toEqual([6000, 6000, 6000]);
    expect(recalled).toHaveLength(6000);
    expect(recalled.every((r) => r.visitCount === 1)).toBe(true);
  }, 120_000);

  it('counts a second visit, ignores a replayed one, and skips page views of unknown visits without losing the rest', async () => {
    recalled.length = 0;
    const at = Date.now() + 1000;
    writer.push(visitEvent(siteId, 0, at)); // replayed after a restart: same visit key
    writer.push({ ...(visitEvent(siteId, 1, at) as Extract<HistoryEvent, { kind: 'visit' }>), visitKey: 'visit-1-second' });
    writer.push({ kind: 'page', siteId, visitorKey: 'ghost', visitKey: 'never-written', page: { url: 'https://shop.example/ghost', title: 'x' }, at });
    writer.push({ kind: 'page', siteId, visitorKey: 'visitor-1', visitKey: 'visit-1-second', page: { url: 'https://shop.example/again', title: 'Again' }, at });
    writer.push({ kind: 'seen', siteId, visitorKey: 'visitor-1', visitKey: 'visit-1-second', at: at + 5000 });
    await writer.flush();
    expect(errors).toEqual([]);
    expect(recalled).toEqual([expect.objectContaining({ visitorKey: 'visitor-1', visitCount: 2 })]);
    const [views] = await database.db.select({ n: count() }).from(pageView);
    expect(views!.n).toBe(6001);
    const v1 = (await database.db.select().from(visitor)).find((r) => r.visitorKey === 'visitor-1')!;
    expect(v1.lastSeenAt.getTime()).toBe(at + 5000);
  });

  it('keeps the order of page views that share a millisecond (the visitor panel trail)', async () => {
    const at = Date.now() + 2000;
    const urls = Array.from({ length: 50 }, (_, i) => `https://shop.example/step-${i}`);
    for (const url of urls) writer.push({ kind: 'page', siteId, visitorKey: 'visitor-2', visitKey: 'visit-2', page: { url, title: 't' }, at });
    await writer.flush();
    const details = await readVisitorDetails(database.db, siteId, 'visitor-2', 'visit-2');
    expect(details.trail.map((p) => p.url)).toEqual(['https://shop.example/2', ...urls]);
  });

  it('rows the database refuses are counted and not retried, and do not hold up the rest', async () => {
    errors.length = 0;
    const before = writer.stats();
    const at = Date.now() + 3000;
    writer.push(visitEvent('no-such-site', 99, at)); // a foreign key the database refuses
    writer.push(visitEvent(siteId, 7000, at));
    await writer.flush();
    const after = writer.stats();
    expect(after.failed - before.failed).toBe(1);
    expect([after.queued, after.retryAt, after.retries - before.retries]).toEqual([0, null, 0]);
    expect(errors).toHaveLength(1);
    const [v] = await database.db.select({ n: count() }).from(visitor);
    expect(v!.n).toBe(6001);
  });
});
