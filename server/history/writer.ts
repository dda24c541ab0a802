// Writes visit history in batches, off the live path: the presence engine never waits for it.
// Events queue in memory and are flushed every interval in one transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { visit, visitor } from '../../drizzle/schema';
import type { Device, Identity, PageRef, Utm } from '../protocol';
import { visitRowId } from './visit-id';

export type HistoryEvent =
  | {
      kind: 'visit';
      siteId: string;
      visitorKey: string;
      visitKey: string;
      at: number;
      startedAt: number;
      landing: PageRef;
      referrer: string;
      source: string;
      utm: Utm;
      country: string | null;
      device: Device;
    }
  | { kind: 'page'; siteId: string; visitorKey: string; visitKey: string; page: PageRef; at: number }
  | { kind: 'seen'; siteId: string; visitorKey: string; visitKey: string; at: number }
  | { kind: 'identify'; siteId: string; visitorKey: string; name?: string; email?: string; attributes?: Record<string, string | number | boolean> };

export interface RecalledVisitor {
  siteId: string;
  visitorKey: string;
  visitCount: number;
  identity: Identity;
}

export interface HistoryWriterOptions {
  intervalMs: number;
  maxQueue: number;
  /** Told what is stored about visitors whose new visit was just recorded. */
  onVisitorsRecalled?: (visitors: RecalledVisitor[]) => void;
  onError?: (err: unknown) => void;
}

export class HistoryWriter {
  private queue: HistoryEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(private readonly db: Db, private readonly opts: HistoryWriterOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  push(e: HistoryEvent): void {
    if (this.queue.length >= this.opts.maxQueue) {
      // The database is behind or down: keep serving live presence, lose the oldest history.
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(e);
  }

  /** Write everything queued so far; resolves when it is in the database. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeBatch());
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const recalled = await this.write(batch);
    if (recalled.length) this.opts.onVisitorsRecalled?.(recalled);
  }

  /**
   * One batch, written in bounded chunks: PostgreSQL takes at most 65,535 parameters per
   * statement, and PGlite runs on this thread, so a chunk at a time with a yield between
   * keeps live presence moving. A failing chunk is reported and skipped; it cannot take the
   * rest of the batch, or later batches, down with it.
   */
  private async write(batch: HistoryEvent[]): Promise<RecalledVisitor[]> {
    const visits = new Map<string, Extract<HistoryEvent, { kind: 'visit' }>>();
    const pages: { visitId: string; url: string; title: string; at: number }[] = [];
    const seen = new Map<string, Extract<HistoryEvent, { kind: 'seen' }>>();
    const identities = new Map<string, Extract<HistoryEvent, { kind: 'identify' }>>();
    for (const e of batch) {
      if (e.kind === 'visit') visits.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
      else if (e.kind === 'page') pages.push({ visitId: visitRowId(e.siteId, e.visitorKey, e.visitKey), url: e.page.url, title: e.page.title, at: e.at });
      else if (e.kind === 'seen') seen.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
      else {
        const key = `${e.siteId}\n${e.visitorKey}`;
        const prev = identities.get(key);
        identities.set(key, prev ? { ...prev, ...e, attributes: { ...prev.attributes, ...e.attributes } } : e);
      }
    }
    const recalled: RecalledVisitor[] = [];
    for (const part of chunks([...visits], CHUNK)) {
      await this.step(async () => recalled.push(...(await this.writeVisits(part))));
    }
    // Page views of a visit that could not be written are skipped rather than failing the chunk.
    for (const part of chunks(pages, CHUNK)) {
      await this.step(() =>
        // Ordered by arrival so ids follow it: a trail sorts on (at, id) and two views can share a millisecond.
        this.db.execute(sql`insert into page_view (visit_id, url, title, at)
          select x.visit_id, x.url, x.title, x.at from (values ${sql.join(
            part.map((p, i) => sql`(${i}::int, ${p.visitId}, ${p.url}, ${p.title}, ${new Date(p.at).toISOString()}::timestamptz)`),
            sql`, `,
          )}) as x(ord, visit_id, url, title, at)
          where exists (select 1 from visit v where v.id = x.visit_id)
          order by x.ord`),
      );
    }
    for (const part of chunks([...seen], CHUNK)) {
      const rows = sql.join(part.map(([id, e]) => sql`(${id}, ${e.siteId}, ${e.visitorKey}, ${new Date(e.at).toISOString()}::timestamptz)`), sql`, `);
      await this.step(async () => {
        await this.db.execute(sql`update visit set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
          where visit.id = x.id and visit.last_seen_at < x.at`);
        await this.db.execute(sql`update visitor set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
          where visitor.site_id = x.site_id and visitor.visitor_key = x.visitor_key and visitor.last_seen_at < x.at`);
      });
    }
    for (const e of identities.values()) {
      const set: Partial<typeof visitor.$inferInsert> = {};
      if (e.name !== undefined) set.name = e.name;
      if (e.email !== undefined) set.email = e.email;
      await this.step(() =>
        this.db
          .update(visitor)
          .set({ ...set, attributes: sql`${visitor.attributes} || ${JSON.stringify(e.attributes ?? {})}::jsonb` })
          .where(sql`${visitor.siteId} = ${e.siteId} and ${visitor.visitorKey} = ${e.visitorKey}`),
      );
    }
    return recalled;
  }

  /** New visits, then one upsert of their visitors; says what is stored about those visitors. */
  private async writeVisits(part: [string, Extract<HistoryEvent, { kind: 'visit' }>][]): Promise<RecalledVisitor[]> {
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
    const inserted = await this.db.insert(visit).values(rows).onConflictDoNothing().returning({ siteId: visit.siteId, visitorKey: visit.visitorKey, startedAt: visit.startedAt });
    if (inserted.length === 0) return [];
    const perVisitor = new Map<string, typeof visitor.$inferInsert>();
    for (const v of inserted) {
      const key = `${v.siteId}\n${v.visitorKey}`;
      const cur = perVisitor.get(key);
      if (cur) cur.visitCount = (cur.visitCount ?? 1) + 1;
      else perVisitor.set(key, { siteId: v.siteId, visitorKey: v.visitorKey, firstSeenAt: v.startedAt, lastSeenAt: v.startedAt, visitCount: 1 });
    }
    const stored = await this.db
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

  /** Runs one chunk; a failure is reported, not thrown. Yields to the event loop afterwards. */
  private async step(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.opts.onError?.(err);
    }
    await new Promise((r) => setImmediate(r));
  }
}

/** Rows per statement: well under PostgreSQL's 65,535 parameters at 14 columns. */
const CHUNK = 500;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
