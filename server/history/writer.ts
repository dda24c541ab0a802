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
  /** Events held while the database is behind or away; past it the oldest are dropped (and counted). */
  maxQueue: number;
  /** Told what is stored about visitors whose new visit was just recorded. */
  onVisitorsRecalled?: (visitors: RecalledVisitor[]) => void;
  /** A write failed: `retryInMs` when it will be tried again (the database is away), null when it never will (bad data). */
  onError?: (err: unknown, retryInMs: number | null) => void;
  /** A batch was written (or tried): how long it took, in ms. */
  onFlushed?: (ms: number) => void;
  /** The queue overflowed: `dropped` events so far in all. */
  onDrop?: (dropped: number) => void;
  /** Backoff between retries after a connection failure: from `min` doubling to `max`. */
  backoffMs?: { min: number; max: number };
  now?: () => number;
}

/** What the writer has done, for health, metrics and logs. */
export interface HistoryStats {
  queued: number;
  /** Events dropped because the queue overflowed while the database was away. */
  dropped: number;
  /** Events refused by the database itself (never retried: they would fail again). */
  failed: number;
  /** Batches put back after a connection failure. */
  retries: number;
  /** When the next retry may run (epoch ms); null when writing normally. */
  retryAt: number | null;
}

/** One statement's worth of a batch, with the events it stands for (put back if it cannot run now). */
interface Step {
  events: HistoryEvent[];
  run: () => Promise<unknown>;
}

export class HistoryWriter {
  private queue: HistoryEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private backoff = 0;
  private retryAt: number | null = null;
  dropped = 0;
  private failed = 0;
  private retries = 0;

  constructor(private readonly db: Db, private readonly opts: HistoryWriterOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  push(e: HistoryEvent): void {
    this.queue.push(e);
    this.trim();
  }

  stats(): HistoryStats {
    return { queued: this.queue.length, dropped: this.dropped, failed: this.failed, retries: this.retries, retryAt: this.retryAt };
  }

  /**
   * Write everything queued so far; resolves when it is in the database, or when the database is
   * away (the events stay queued, and are retried with backoff).
   */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeBatch());
    return this.running;
  }

  /** Stops the timer and writes what is queued, retrying for up to `graceMs` if the database is away. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = this.now() + graceMs;
    await this.flush();
    while (this.queue.length > 0 && this.retryAt !== null && this.now() < until) {
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(this.retryAt ?? 0, until) - this.now())));
      await this.flush();
    }
  }

  private trim(): void {
    const over = this.queue.length - this.opts.maxQueue;
    if (over <= 0) return;
    // The database has been away too long: keep serving live presence, lose the oldest history.
    this.queue.splice(0, over);
    this.dropped += over;
    this.opts.onDrop?.(this.dropped);
  }

  private async writeBatch(): Promise<void> {
    if (this.queue.length === 0) return;
    if (this.retryAt !== null && this.now() < this.retryAt) return;
    const batch = this.queue;
    this.queue = [];
    const started = performance.now();
    const recalled: RecalledVisitor[] = [];
    const steps = this.plan(batch, recalled);
    let away = false;
    for (let i = 0; i < steps.length && !away; i++) {
      try {
        await steps[i]!.run();
      } catch (err) {
        if (isConnectionError(err)) {
          // The database is away: this step and the ones after it go back to the front of the
          // queue, in order, ahead of what arrived meanwhile; nothing acknowledged is lost.
          this.queue = [...steps.slice(i).flatMap((s) => s.events), ...this.queue];
          this.trim();
          this.retries++;
          const { min, max } = this.opts.backoffMs ?? { min: 250, max: 10_000 };
          this.backoff = this.backoff ? Math.min(max, this.backoff * 2) : min;
          this.retryAt = this.now() + this.backoff;
          this.opts.onError?.(err, this.backoff);
          away = true;
          continue;
        }
        const { events } = steps[i]!;
        if (events.length > 1) {
          // One bad row must not take its chunk down: the chunk's events go again one by one,
          // right here, and only the ones the database refuses are lost.
          steps.splice(i + 1, 0, ...events.flatMap((e) => this.plan([e], recalled)));
          continue;
        }
        // The database refused this row: retrying would fail again. Report, count, go on.
        this.failed += events.length;
        this.opts.onError?.(err, null);
      }
      // Yield between statements so live presence keeps moving during a big batch.
      await new Promise((r) => setImmediate(r));
    }
    if (!away) {
      this.backoff = 0;
      this.retryAt = null;
    }
    this.opts.onFlushed?.(performance.now() - started);
    if (recalled.length) this.opts.onVisitorsRecalled?.(recalled);
  }

  /**
   * The batch as statements in bounded chunks (PostgreSQL takes at most 65,535 parameters per
   * statement): visits first (page views and last-seen updates need them), then page views,
   * last-seen times and identities. Each statement is idempotent, so one put back and run again
   * after a lost connection stores its rows once.
   */
  private plan(batch: HistoryEvent[], recalled: RecalledVisitor[]): Step[] {
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
      steps.push({ events: part.map(([, e]) => e), run: async () => recalled.push(...(await this.writeVisits(part))) });
    }
    for (const part of chunks(pages, CHUNK)) {
      steps.push({
        events: part.map((p) => p.e),
        // Ordered by arrival so ids follow it: a trail sorts on (at, id) and two views can share a
        // millisecond. A view already stored (the same visit, url and time: a retried statement
        // whose answer was lost) is not stored twice; views of a visit that is not stored are skipped.
        run: () =>
          this.db.execute(sql`insert into page_view (visit_id, url, title, at)
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
          await this.db.execute(sql`update visit set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
            where visit.id = x.id and visit.last_seen_at < x.at`);
          await this.db.execute(sql`update visitor set last_seen_at = x.at from (values ${rows}) as x(id, site_id, visitor_key, at)
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
          this.db
            .update(visitor)
            .set({ ...set, attributes: sql`${visitor.attributes} || ${JSON.stringify(e.attributes ?? {})}::jsonb` })
            .where(sql`${visitor.siteId} = ${e.siteId} and ${visitor.visitorKey} = ${e.visitorKey}`),
      });
    }
    return steps;
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
}

/**
 * Whether an error means the database could not be reached (retry later) rather than that it
 * refused the statement (retrying would fail again): node-postgres connection errors, and
 * PostgreSQL's connection-exception (08) and shutdown / crash (57P) classes.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ENOENT|EHOSTUNREACH|08...|57P0[1-3])$/.test(code)) return true;
  if (/Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|not queryable|Client was closed/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
}

/** Rows per statement: well under PostgreSQL's 65,535 parameters at 14 columns. */
const CHUNK = 500;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
