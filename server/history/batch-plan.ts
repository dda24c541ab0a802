// Turns a batch of history events into the statements that store it.
import { sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { visit, visitor } from '../../drizzle/schema';
import type { HistoryEvent, RecalledVisitor } from './history-event';
import { visitRowId } from './visit-id';

/** One statement's worth of a batch, with the events it stands for (put back if it cannot run now). */
export interface Step {
  events: HistoryEvent[];
  run: () => Promise<unknown>;
}

/**
 * The batch as statements in bounded chunks (PostgreSQL takes at most 65,535 parameters per
 * statement): visits first (page views and last-seen updates need them), then page views,
 * last-seen times and identities. Each statement is idempotent, so one put back and run again
 * after a lost connection stores its rows once.
 */
export function planBatch(db: Db, batch: HistoryEvent[], recalled: RecalledVisitor[]): Step[] {
  const visits = new Map<string, Extract<HistoryEvent, { kind: 'visit' }>>();
  const pages: { visitId: string; e: Extract<HistoryEvent, { kind: 'page' }> }[] = [];
  const seen = new Map<string, Extract<HistoryEvent, { kind: 'seen' }>>();
  const identities = new Map<string, Extract<HistoryEvent, { kind: 'identify' }>>();
  for (const e of batch) {
    if (e.kind === 'visit') visits.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
    else if (e.kind === 'page') pages.push({ visitId: visitRowId(e.siteId, e.visitorKey, e.visitKey), e });
    else if (e.kind === 'seen') seen.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
    else {
      const key = `${e.siteId}\n${e.visitorKey}`;
      const prev = identities.get(key);
      identities.set(key, prev ? { ...prev, ...e, attributes: { ...prev.attributes, ...e.attributes } } : e);
    }
  }
  const steps: Step[] = [];
  for (const part of chunks([...visits], CHUNK)) {
    steps.push({ events: part.map(([, e]) => e), run: async () => recalled.push(...(await writeVisits(db, part))) });
  }
  for (const part of chunks(pages, CHUNK)) {
    steps.push({
      events: part.map((p) => p.e),
      // Ordered by arrival so ids follow it: a trail sorts on (at, id) and two views can share a
      // millisecond. A view already stored (the same visit, url and time: a retried statement
      // whose answer was lost) is not stored twice; views of a visit that is not stored are skipped.
      run: () =>
        db.execute(sql`insert into page_view (visit_id, url, title, at)
          select x.visit_id, x.url, x.title, x.at from (values ${sql.join(
            part.map((p, i) => sql`(${i}::int, ${p.visitId}, ${p.e.page.url}, ${p.e.page.title}, ${new Date(p.e.at).toISOString()}::timestamptz)`),
            sql`, `,
          )}) as x(ord, visit_id, url, title, at)
          where exists (select 1 from visit v where v.id = x.visit_id)
            and not exists (select 1 from page_view pv where pv.visit_id = x.visit_id and pv.at = x.at and pv.url = x.url)
          order by x.ord`),
    });
  }
  for (const part of chunks([...seen], CHUNK)) {
    const rows = sql.join(part.map(([id, e]) => sql`(${id}, ${e.siteId}, ${e.visitorKey}, ${new Date(e.at).toISOString()}::timestamptz)`), sql`, `);
    steps.push({
      events: part.map(([, e]) => e),
      run: async () => {
        await db.execute(sql`update visit set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
          where visit.id = x.id and visit.last_seen_at < x.at`);
        await db.execute(sql`update visitor set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
          where visitor.site_id = x.site_id and visitor.visitor_key = x.visitor_key and visitor.last_seen_at < x.at`);
      },
    });
  }
  for (const e of identities.values()) {
    const set: Partial<typeof visitor.$inferInsert> = {};
    if (e.name !== undefined) set.name = e.name;
    if (e.email !== undefined) set.email = e.email;
    steps.push({
      events: [e],
      run: () =>
        db
          .update(visitor)
          .set({ ...set, attributes: sql`${visitor.attributes} || ${JSON.stringify(e.attributes ?? {})}::jsonb` })
          .where(sql`${visitor.siteId} = ${e.siteId} and ${visitor.visitorKey} = ${e.visitorKey}`),
    });
  }
  return steps;
}

/** New visits, then one upsert of their visitors; says what is stored about those visitors. */
async function writeVisits(db: Db, part: [string, Extract<HistoryEvent, { kind: 'visit' }>][]): Promise<RecalledVisitor[]> {
  const rows = part.map(([id, e]) => ({
    id,
    siteId: e.siteId,
    visitorKey: e.visitorKey,
    visitKey: e.visitKey,
    startedAt: new Date(e.startedAt),
    lastSeenAt: new Date(e.at),
    landingUrl: e.landing.url,
    referrer: e.referrer,
    source: e.source,
    utm: e.utm as Record<string, string>,
    country: e.country,
    deviceType: e.device.type,
    browser: e.device.browser,
    os: e.device.os,
  }));
  // Only visits not seen before (a server restart replays live ones) count as new visits.
  const inserted = await db.insert(visit).values(rows).onConflictDoNothing().returning({ siteId: visit.siteId, visitorKey: visit.visitorKey, startedAt: visit.startedAt });
  if (inserted.length === 0) return [];
  const perVisitor = new Map<string, typeof visitor.$inferInsert>();
  for (const v of inserted) {
    const key = `${v.siteId}\n${v.visitorKey}`;
    const cur = perVisitor.get(key);
    if (cur) cur.visitCount = (cur.visitCount ?? 1) + 1;
    else perVisitor.set(key, { siteId: v.siteId, visitorKey: v.visitorKey, firstSeenAt: v.startedAt, lastSeenAt: v.startedAt, visitCount: 1 });
  }
  const stored = await db
    .insert(visitor)
    .values([...perVisitor.values()])
    .onConflictDoUpdate({
      target: [visitor.siteId, visitor.visitorKey],
      set: { visitCount: sql`${visitor.visitCount} + excluded.visit_count`, lastSeenAt: sql`greatest(${visitor.lastSeenAt}, excluded.last_seen_at)` },
    })
    .returning({ siteId: visitor.siteId, visitorKey: visitor.visitorKey, visitCount: visitor.visitCount, name: visitor.name, email: visitor.email, attributes: visitor.attributes });
  return stored.map((r) => ({
    siteId: r.siteId,
    visitorKey: r.visitorKey,
    visitCount: r.visitCount,
    identity: { name: r.name ?? undefined, email: r.email ?? undefined, attributes: r.attributes },
  }));
}

/** Rows per statement: well under PostgreSQL's 65,535 parameters at 14 columns. */
const CHUNK = 500;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
