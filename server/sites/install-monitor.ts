// What the owner needs to see that an install works, recorded off the hot path: where and when a
// site's visitors last connected (the Install page's "Installed: seen on ... 2 minutes ago"), and
// the origins refused for its key (Settings' "Allow this origin"). The handshake gate calls
// seen()/refused(), which only touch memory; flush() writes what changed in one batch every few
// seconds, so the database sees at most one write per site a minute for "seen", however many
// pages are viewed, and one upsert per (site, origin) per flush for refusals. Each process writes
// its own observations; the database is where they meet. While the database cannot be reached,
// what could not be written stays pending (merged with newer observations) and goes out with a
// later flush; a statement the database refuses is logged and dropped.
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { refusedOrigin, site } from '../../drizzle/schema';
import { isConnectionError } from '../history/writer';

export interface InstallMonitorOptions {
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** How often pending observations are written. */
  flushMs?: number;
  /** A site's "last seen" is rewritten at most this often (unless the origin changes). */
  seenEveryMs?: number;
  /** Distinct (site, origin) refusals held between flushes; more are counted as dropped. */
  maxPending?: number;
  /** Refused origins kept per site (the latest). */
  keptPerSite?: number;
}

interface Refusal {
  siteId: string;
  origin: string;
  count: number;
  first: number;
  last: number;
}

export class InstallMonitor {
  private readonly seenPending = new Map<string, { origin: string; at: number }>();
  /** What this process last wrote per site: repeats within seenEveryMs are not written again. */
  private readonly seenWritten = new Map<string, { origin: string; at: number }>();
  private readonly refusedPending = new Map<string, Refusal>();
  private dropped = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing: Promise<void> | null = null;
  private readonly o: Required<InstallMonitorOptions>;

  constructor(private readonly db: Db, o: InstallMonitorOptions) {
    this.o = { flushMs: 2_000, seenEveryMs: 60_000, maxPending: 2_000, keptPerSite: 20, ...o };
  }

  /** A visitor of the site connected from this (allowed) origin. */
  seen(siteId: string, origin: string): void {
    const at = this.o.now();
    const last = this.seenWritten.get(siteId);
    if (last && last.origin === origin && at - last.at < this.o.seenEveryMs) return;
    this.seenPending.set(siteId, { origin, at });
  }

  /** A page on this origin tried the site's key and was refused. */
  refused(siteId: string, origin: string): void {
    const at = this.o.now();
    const k = `${siteId}\n${origin}`;
    const r = this.refusedPending.get(k);
    if (r) {
      r.count++;
      r.last = at;
    } else if (this.refusedPending.size < this.o.maxPending) {
      this.refusedPending.set(k, { siteId, origin, count: 1, first: at, last: at });
    } else this.dropped++;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.o.flushMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes what is pending (one flush at a time). Failures are logged; unreachable-database ones are kept for the next flush. */
  flush(): Promise<void> {
    if (!this.flushing) this.flushing = this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const seen = [...this.seenPending];
    this.seenPending.clear();
    const refused = [...this.refusedPending.values()];
    this.refusedPending.clear();
    if (this.dropped) {
      this.o.log(`install monitor: ${this.dropped} refused-origin observations dropped (too many distinct origins between flushes)`);
      this.dropped = 0;
    }
    if (this.seenWritten.size > 50_000) this.seenWritten.clear();
    for (const [siteId, s] of seen) {
      try {
        // Never moves back in time (another process may have written a later visit).
        await this.db
          .update(site)
          .set({ lastSeenOrigin: s.origin, lastSeenAt: new Date(s.at) })
          .where(and(eq(site.id, siteId), or(isNull(site.lastSeenAt), lt(site.lastSeenAt, new Date(s.at)))));
        this.seenWritten.set(siteId, s);
      } catch (err) {
        this.o.log('install monitor: writing last seen failed', err);
        // Unreachable: kept, unless a newer sighting is pending already.
        if (isConnectionError(err) && !this.seenPending.has(siteId)) this.seenPending.set(siteId, s);
      }
    }
    if (refused.length === 0) return;
    try {
      await this.db
        .insert(refusedOrigin)
        .values(refused.map((r) => ({ siteId: r.siteId, origin: r.origin, count: r.count, firstSeenAt: new Date(r.first), lastSeenAt: new Date(r.last) })))
        .onConflictDoUpdate({
          target: [refusedOrigin.siteId, refusedOrigin.origin],
          set: {
            count: sql`${refusedOrigin.count} + excluded.count`,
            lastSeenAt: sql`greatest(${refusedOrigin.lastSeenAt}, excluded.last_seen_at)`,
          },
        });
      // Bounded: only the latest few origins of each site are kept.
      const siteIds = [...new Set(refused.map((r) => r.siteId))];
      await this.db.execute(sql`
        delete from ${refusedOrigin} r
        where ${inArray(sql`r.site_id`, siteIds)}
          and (select count(*) from ${refusedOrigin} n where n.site_id = r.site_id and n.last_seen_at > r.last_seen_at) >= ${this.o.keptPerSite}`);
    } catch (err) {
      this.o.log('install monitor: writing refused origins failed', err);
      // A site deleted meanwhile fails the foreign key for the whole batch: not worth a retry.
      // An unreachable database is: the counts go back, merged with what came meanwhile.
      if (isConnectionError(err)) for (const r of refused) this.putBack(r);
    }
  }

  private putBack(r: Refusal): void {
    const k = `${r.siteId}\n${r.origin}`;
    const now = this.refusedPending.get(k);
    if (now) {
      now.count += r.count;
      now.first = Math.min(now.first, r.first);
    } else if (this.refusedPending.size < this.o.maxPending) this.refusedPending.set(k, r);
    else this.dropped += r.count;
  }
}
