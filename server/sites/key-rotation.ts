// A site's public key: minted at creation and replaced on rotation, when the old key gets a grace
// period so that pages still serving it keep working until the owner has updated them.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { site } from '../../drizzle/schema';
import type { RetiringKey } from './site-key-cache';
import { siteColumns, type SiteRecord } from './site-record';

/** The longest grace an owner may give an old key. */
export const MAX_KEY_GRACE_MS = 30 * 24 * 3600_000;

export const newSiteKey = (): string => 'pk_' + randomBytes(12).toString('base64url');

/**
 * Gives `current` a new key; the old one stays accepted for `graceMs` (clamped). Returns the
 * updated site and the keys to retire (the key retired by an earlier rotation goes at once), or
 * null when someone else rotated the key at the same moment: their rotation stands.
 */
export async function rotateSiteKey(db: Db, current: SiteRecord, graceMs: number, now: number): Promise<{ site: SiteRecord; retiring: RetiringKey[] } | null> {
  const until = now + Math.max(0, Math.min(graceMs, MAX_KEY_GRACE_MS));
  const [row] = await db
    .update(site)
    .set({ publicKey: newSiteKey(), previousKey: current.publicKey, previousKeyUntil: new Date(until), updatedAt: new Date(now) })
    .where(and(eq(site.id, current.id), eq(site.publicKey, current.publicKey)))
    .returning(siteColumns);
  if (!row) return null;
  const retiring: RetiringKey[] = [{ siteId: current.id, key: current.publicKey, until }];
  if (current.previousKey) retiring.push({ siteId: current.id, key: current.previousKey, until: now });
  return { site: row, retiring };
}
