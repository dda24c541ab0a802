// The socket handshake's view of site keys: lookups by public key cached briefly in memory (sites
// change rarely; edits invalidate), the rotated-out keys still in their grace period, and the
// changes other processes must hear so that they forget the same entries.
import { eq, or } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { site } from '../../drizzle/schema';
import type { WidgetSettings } from '../protocol/widget';

/** What the socket handshake needs to know about a site key, cached in memory. */
export interface SiteAccess {
  siteId: string;
  workspaceId: string;
  allowedOrigins: string[];
  /** Set when the key is the site's previous one (rotated): it is refused from then on (epoch ms). */
  retiresAt?: number;
  /** How the site's widget looks (sent to each visitor, with the language resolved for them). */
  widget: WidgetSettings;
}

/** A rotated-out key still accepted until `until`: sockets open on it close then, on every process. */
export interface RetiringKey {
  siteId: string;
  key: string;
  until: number;
}

/** What other processes must hear: forget these sites' cached keys, and which keys retire when. */
export interface SiteKeysChange {
  siteIds: string[];
  retiring: RetiringKey[];
}

const KEY_CACHE_MS = 30_000;

export class SiteKeyCache {
  private readonly byKey = new Map<string, { access: SiteAccess | null; until: number }>();
  /** Bumped when sites are forgotten: a lookup that started before does not cache what it read. */
  private generation = 0;
  /** Rotated-out keys this process knows of, until their sockets are closed (see transport/site-keys.ts). */
  private readonly retiring = new Map<string, RetiringKey>();
  private readonly listeners: ((c: SiteKeysChange) => void)[] = [];

  constructor(private readonly db: Db, private readonly now: () => number) {}

  onChange(fn: (c: SiteKeysChange) => void): void {
    this.listeners.push(fn);
  }

  /** Forgets the changed sites here and tells the listeners (who pass it on to other processes). */
  changed(c: SiteKeysChange): void {
    this.forgetSites(c.siteIds, c.retiring);
    for (const fn of this.listeners) fn(c);
  }

  retiringKeys(): RetiringKey[] {
    return [...this.retiring.values()];
  }

  retired(key: string): void {
    this.retiring.delete(key);
  }

  private noteRetiring(r: RetiringKey): void {
    const known = this.retiring.get(r.key);
    if (!known || r.until < known.until) this.retiring.set(r.key, r);
  }

  async accessByKey(publicKey: string): Promise<SiteAccess | null> {
    const now = this.now();
    const hit = this.byKey.get(publicKey);
    if (hit && hit.until > now) return hit.access;
    const generation = this.generation;
    const rows = await this.db
      .select({
        siteId: site.id,
        workspaceId: site.workspaceId,
        allowedOrigins: site.allowedOrigins,
        publicKey: site.publicKey,
        previousKeyUntil: site.previousKeyUntil,
        accent: site.widgetAccent,
        side: site.widgetSide,
        offset: site.widgetOffset,
        launcherText: site.widgetLauncherText,
        language: site.widgetLanguage,
      })
      .from(site)
      .where(or(eq(site.publicKey, publicKey), eq(site.previousKey, publicKey)))
      .limit(1);
    const row = rows[0];
    let access: SiteAccess | null = null;
    let cacheUntil = now + KEY_CACHE_MS;
    if (row) {
      const { publicKey: current, previousKeyUntil, accent, side, offset, launcherText, language, ...ids } = row;
      const rest = { ...ids, widget: { accent, side, offset, launcherText, language } };
      if (current === publicKey) access = rest;
      else if (previousKeyUntil && previousKeyUntil.getTime() > now) {
        const retiresAt = previousKeyUntil.getTime();
        access = { ...rest, retiresAt };
        cacheUntil = Math.min(cacheUntil, retiresAt);
        this.noteRetiring({ siteId: rest.siteId, key: publicKey, until: retiresAt });
      }
    }
    if (generation !== this.generation) return access;
    if (this.byKey.size > 10_000) this.byKey.clear();
    this.byKey.set(publicKey, { access, until: cacheUntil });
    return access;
  }

  forgetSites(siteIds: readonly string[], retiring: readonly RetiringKey[] = []): void {
    this.generation++;
    const gone = new Set(siteIds);
    for (const [key, hit] of this.byKey) if (hit.access && gone.has(hit.access.siteId)) this.byKey.delete(key);
    for (const r of retiring) this.noteRetiring(r);
  }
}
