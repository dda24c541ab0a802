// Writes visit history in batches, off the live path: the presence engine never waits for it.
// Events queue in memory and are flushed every interval in one transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { pageView, visit, visitor } from '../../drizzle/schema';
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
    try {
      const recalled = await this.write(batch);
      if (recalled.length) this.opts.onVisitorsRecalled?.(recalled);
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  private async write(batch: HistoryEvent[]): Promise<RecalledVisitor[]> {
    const visits = new Map<string, Extract<HistoryEvent, { kind: 'visit' }>>();
    const pages: (typeof pageView.$inferInsert)[] = [];
    const seen = new Map<string, Extract<HistoryEvent, { kind: 'seen' }>>();
    const identities = new Map<string, Extract<HistoryEvent, { kind: 'identify' }>>();
    for (const e of batch) {
      if (e.kind === 'visit') visits.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
      else if (e.kind === 'page') pages.push({ visitId: visitRowId(e.siteId, e.visitorKey, e.visitKey), url: e.page.url, title: e.page.title, at: new Date(e.at) });
      else if (e.kind === 'seen') seen.set(visitRowId(e.siteId, e.visitorKey, e.visitKey), e);
      else {
        const key = `${e.siteId}\n${e.visitorKey}`;
        const prev = identities.get(key);
        identities.set(key, prev ? { ...prev, ...e, attributes: { ...prev.attributes, ...e.attributes } } : e);
      }
    }
    const recalled: RecalledVisitor[] = [];
    await this.db.transaction(async (tx) => {
      if (visits.size) {
        const rows = [...visits].map(([id, e]) => ({
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
        const inserted = await tx.insert(visit).values(rows).onConflictDoNothing().returning({ siteId: visit.siteId, visitorKey: visit.visitorKey, startedAt: visit.startedAt });
        for (const v of inserted) {
          const [row] = await tx
            .insert(visitor)
            .values({ siteId: v.siteId, visitorKey: v.visitorKey, firstSeenAt: v.startedAt, lastSeenAt: v.startedAt, visitCount: 1 })
            .onConflictDoUpdate({
              target: [visitor.siteId, visitor.visitorKey],
              set: { visitCount: sql`${visitor.visitCount} + 1`, lastSeenAt: sql`greatest(${visitor.lastSeenAt}, excluded.last_seen_at)` },
            })
            .returning({ visitCount: visitor.visitCount, name: visitor.name, email: visitor.email, attributes: visitor.attributes });
          if (row) {
            const identity = { name: row.name ?? undefined, email: row.email ?? undefined, attributes: row.attributes };
            recalled.push({ siteId: v.siteId, visitorKey: v.visitorKey, visitCount: row.visitCount, identity });
          }
        }
      }
      if (pages.length) {
        for (let i = 0; i < pages.length; i += 1000) await tx.insert(pageView).values(pages.slice(i, i + 1000));
      }
      for (const [id, e] of seen) {
        const at = new Date(e.at);
        await tx.update(visit).set({ lastSeenAt: at }).where(sql`${visit.id} = ${id} and ${visit.lastSeenAt} < ${at}`);
        await tx.update(visitor).set({ lastSeenAt: at }).where(sql`${visitor.siteId} = ${e.siteId} and ${visitor.visitorKey} = ${e.visitorKey} and ${visitor.lastSeenAt} < ${at}`);
      }
      for (const e of identities.values()) {
        const set: Partial<typeof visitor.$inferInsert> = {};
        if (e.name !== undefined) set.name = e.name;
        if (e.email !== undefined) set.email = e.email;
        await tx
          .update(visitor)
          .set({ ...set, attributes: sql`${visitor.attributes} || ${JSON.stringify(e.attributes ?? {})}::jsonb` })
          .where(sql`${visitor.siteId} = ${e.siteId} and ${visitor.visitorKey} = ${e.visitorKey}`);
      }
    });
    return recalled;
  }
}
