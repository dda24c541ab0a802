// Settings' "Allow this origin": a refused origin joins the site's allowed origins and leaves the
// refused list.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { refusedOrigin, site } from '../../drizzle/schema';
import { normalizeOrigin } from './origins';
import { MAX_ALLOWED_ORIGINS } from './site-input';
import { siteColumns, type SiteRecord } from './site-record';

export type AllowOriginResult = { ok: true; site: SiteRecord } | { ok: false; code: 'not_found' | 'bad_request' | 'too_many' };

/** `current` is the caller's own site; an origin it already allows only leaves the refused list. */
export async function allowOriginFor(db: Db, current: SiteRecord, origin: string, now: number): Promise<AllowOriginResult> {
  const o = normalizeOrigin(origin);
  if (!o) return { ok: false, code: 'bad_request' };
  let row: SiteRecord | undefined = current;
  if (!current.allowedOrigins.includes(o)) {
    if (current.allowedOrigins.length >= MAX_ALLOWED_ORIGINS) return { ok: false, code: 'too_many' };
    [row] = await db
      .update(site)
      .set({ allowedOrigins: [...current.allowedOrigins, o], updatedAt: new Date(now) })
      .where(eq(site.id, current.id))
      .returning(siteColumns);
  }
  await db.delete(refusedOrigin).where(and(eq(refusedOrigin.siteId, current.id), eq(refusedOrigin.origin, o)));
  if (!row) return { ok: false, code: 'not_found' };
  return { ok: true, site: row };
}
