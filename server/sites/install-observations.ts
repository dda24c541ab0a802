// Reading what the install monitor (install-monitor.ts) recorded for a site: where and when a
// visitor last connected, and the origins refused for its key lately.
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { refusedOrigin, site } from '../../drizzle/schema';

/** Where and when a visitor last connected; null before the first one. */
export interface LastSeen {
  origin: string;
  at: number;
}

export interface RefusedOriginRecord {
  origin: string;
  count: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Refused origins older than this are not listed. */
export const REFUSED_LISTED_MS = 7 * 24 * 3600_000;

export async function lastSeen(db: Db, siteId: string): Promise<LastSeen | null> {
  const [row] = await db.select({ origin: site.lastSeenOrigin, at: site.lastSeenAt }).from(site).where(eq(site.id, siteId)).limit(1);
  return row?.origin && row.at ? { origin: row.origin, at: row.at.getTime() } : null;
}

/** Newest first, without the origins allowed since they were refused. */
export async function refusedOrigins(db: Db, siteId: string, now: number): Promise<RefusedOriginRecord[]> {
  const rows = await db
    .select({ origin: refusedOrigin.origin, count: refusedOrigin.count, firstSeenAt: refusedOrigin.firstSeenAt, lastSeenAt: refusedOrigin.lastSeenAt, allowed: site.allowedOrigins })
    .from(refusedOrigin)
    .innerJoin(site, eq(site.id, refusedOrigin.siteId))
    .where(and(eq(refusedOrigin.siteId, siteId), gt(refusedOrigin.lastSeenAt, new Date(now - REFUSED_LISTED_MS))))
    .orderBy(desc(refusedOrigin.lastSeenAt))
    .limit(20);
  return rows
    .filter((r) => !r.allowed.includes(r.origin))
    .map((r) => ({ origin: r.origin, count: r.count, firstSeenAt: r.firstSeenAt.getTime(), lastSeenAt: r.lastSeenAt.getTime() }));
}
