// Sites and the workspaces that own them. Every read takes the caller's user id: the tenant
// always comes from the session, never from an id the client sent.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, or } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import type { Role } from '../access/access';
import { normalizeOrigin } from './origins';
import { currentWorkspace } from '../team/team-store';
import { refusedOrigin, site, workspace, workspaceMember } from '../../drizzle/schema';
import { MAX_ALLOWED_ORIGINS } from './site-input';
import type { WidgetLanguageSetting, WidgetSettings, WidgetSide } from '../protocol/widget';

export interface SiteRecord {
  id: string;
  workspaceId: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  /** The chat panel's first line. */
  chatGreeting: string;
  /** Agents see what visitors type before they send it. */
  chatSneakPeek: boolean;
  /** The widget's look and language (server/protocol/widget.ts). */
  widgetAccent: string;
  widgetSide: WidgetSide;
  widgetOffset: number;
  widgetLauncherText: string;
  widgetLanguage: WidgetLanguageSetting;
  createdAt: Date;
  /** The key before the last rotation, accepted until previousKeyUntil. */
  previousKey: string | null;
  previousKeyUntil: Date | null;
}

export interface SiteInput {
  name: string;
  allowedOrigins: string[];
  /** Left as it is (or the default, for a new site) when absent. */
  chatGreeting?: string;
  chatSneakPeek?: boolean;
  widgetAccent?: string;
  widgetSide?: WidgetSide;
  widgetOffset?: number;
  widgetLauncherText?: string;
  widgetLanguage?: WidgetLanguageSetting;
}

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
/** The longest grace an owner may give an old key. */
export const MAX_KEY_GRACE_MS = 30 * 24 * 3600_000;

export type AllowOriginResult = { ok: true; site: SiteRecord } | { ok: false; code: 'not_found' | 'bad_request' | 'too_many' };

const KEY_CACHE_MS = 30_000;

export const newSiteKey = (): string => 'pk_' + randomBytes(12).toString('base64url');

export class SiteStore {
  private readonly byKey = new Map<string, { access: SiteAccess | null; until: number }>();
  /** Bumped when sites are forgotten: a lookup that started before does not cache what it read. */
  private generation = 0;
  /** Rotated-out keys this process knows of, until their sockets are closed (see transport/site-keys.ts). */
  private readonly retiring = new Map<string, RetiringKey>();
  private readonly listeners: ((c: SiteKeysChange) => void)[] = [];

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async createWorkspaceFor(userId: string, name: string): Promise<string> {
    const id = randomUUID();
    await this.db.insert(workspace).values({ id, name });
    await this.db.insert(workspaceMember).values({ workspaceId: id, userId, role: 'owner' });
    return id;
  }

  /** The user's current workspace (new sites go there). */
  async workspaceOf(userId: string): Promise<{ id: string; name: string } | null> {
    const ws = await currentWorkspace(this.db, userId);
    return ws && { id: ws.id, name: ws.name };
  }

  /** The sites of one workspace, if the user belongs to it (none otherwise). */
  async listForUser(userId: string, workspaceId: string): Promise<SiteRecord[]> {
    return this.db
      .select(siteColumns)
      .from(site)
      .innerJoin(workspaceMember, eq(workspaceMember.workspaceId, site.workspaceId))
      .where(and(eq(workspaceMember.userId, userId), eq(site.workspaceId, workspaceId)))
      .orderBy(asc(site.createdAt));
  }

  /** The site if the user belongs to its workspace; null otherwise (indistinguishable from absent). */
  async getForUser(userId: string, siteId: string): Promise<SiteRecord | null> {
    const rows = await this.db
      .select(siteColumns)
      .from(site)
      .innerJoin(workspaceMember, eq(workspaceMember.workspaceId, site.workspaceId))
      .where(and(eq(workspaceMember.userId, userId), eq(site.id, siteId)))
      .limit(1);
    return rows[0] ?? null;
  }

  /** The site and the user's role in its workspace; null when they are not a member (or no such site). */
  async getWithRole(userId: string, siteId: string): Promise<{ site: SiteRecord; role: Role } | null> {
    const rows = await this.db
      .select({ ...siteColumns, role: workspaceMember.role })
      .from(site)
      .innerJoin(workspaceMember, eq(workspaceMember.workspaceId, site.workspaceId))
      .where(and(eq(workspaceMember.userId, userId), eq(site.id, siteId)))
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    const { role, ...rec } = row;
    return { site: rec, role };
  }

  async create(userId: string, input: SiteInput): Promise<SiteRecord> {
    const ws = (await this.workspaceOf(userId)) ?? { id: await this.createWorkspaceFor(userId, 'My workspace') };
    const rec = {
      id: randomUUID(),
      workspaceId: ws.id,
      name: input.name,
      publicKey: newSiteKey(),
      allowedOrigins: input.allowedOrigins,
      ...chatSettings(input),
    };
    const [row] = await this.db.insert(site).values(rec).returning(siteColumns);
    if (!row) throw new Error('site insert returned nothing');
    return row;
  }

  async update(userId: string, siteId: string, input: SiteInput): Promise<SiteRecord | null> {
    const current = await this.getForUser(userId, siteId);
    if (!current) return null;
    const [row] = await this.db
      .update(site)
      .set({ name: input.name, allowedOrigins: input.allowedOrigins, ...chatSettings(input), updatedAt: new Date() })
      .where(eq(site.id, siteId))
      .returning(siteColumns);
    this.changed({ siteIds: [siteId], retiring: [] });
    return row ?? null;
  }

  /**
   * A new key for the site. The current one keeps working for `graceMs` (0: refused at once),
   * then is refused and its open sockets close; a key retired by an earlier rotation and still in
   * its grace period is refused at once.
   */
  async rotateKey(userId: string, siteId: string, graceMs: number): Promise<SiteRecord | null> {
    const current = await this.getForUser(userId, siteId);
    if (!current) return null;
    const now = this.now();
    const until = now + Math.max(0, Math.min(graceMs, MAX_KEY_GRACE_MS));
    const [row] = await this.db
      .update(site)
      .set({ publicKey: newSiteKey(), previousKey: current.publicKey, previousKeyUntil: new Date(until), updatedAt: new Date(now) })
      .where(and(eq(site.id, siteId), eq(site.publicKey, current.publicKey)))
      .returning(siteColumns);
    if (!row) return null; // rotated at the same moment by someone else: their rotation stands
    const retiring: RetiringKey[] = [{ siteId, key: current.publicKey, until }];
    if (current.previousKey) retiring.push({ siteId, key: current.previousKey, until: now });
    this.changed({ siteIds: [siteId], retiring });
    return row;
  }

  /** Adds a refused origin to the site's allowed origins (and takes it off the refused list). */
  async allowOrigin(userId: string, siteId: string, origin: string): Promise<AllowOriginResult> {
    const current = await this.getForUser(userId, siteId);
    if (!current) return { ok: false, code: 'not_found' };
    const o = normalizeOrigin(origin);
    if (!o) return { ok: false, code: 'bad_request' };
    let row: SiteRecord | undefined = current;
    if (!current.allowedOrigins.includes(o)) {
      if (current.allowedOrigins.length >= MAX_ALLOWED_ORIGINS) return { ok: false, code: 'too_many' };
      [row] = await this.db
        .update(site)
        .set({ allowedOrigins: [...current.allowedOrigins, o], updatedAt: new Date(this.now()) })
        .where(eq(site.id, siteId))
        .returning(siteColumns);
    }
    await this.db.delete(refusedOrigin).where(and(eq(refusedOrigin.siteId, siteId), eq(refusedOrigin.origin, o)));
    if (!row) return { ok: false, code: 'not_found' };
    this.changed({ siteIds: [siteId], retiring: [] });
    return { ok: true, site: row };
  }

  /** Origins refused for the site's key lately (newest first), without those allowed since. */
  async refusedOrigins(siteId: string): Promise<RefusedOriginRecord[]> {
    const rows = await this.db
      .select({ origin: refusedOrigin.origin, count: refusedOrigin.count, firstSeenAt: refusedOrigin.firstSeenAt, lastSeenAt: refusedOrigin.lastSeenAt, allowed: site.allowedOrigins })
      .from(refusedOrigin)
      .innerJoin(site, eq(site.id, refusedOrigin.siteId))
      .where(and(eq(refusedOrigin.siteId, siteId), gt(refusedOrigin.lastSeenAt, new Date(this.now() - REFUSED_LISTED_MS))))
      .orderBy(desc(refusedOrigin.lastSeenAt))
      .limit(20);
    return rows
      .filter((r) => !r.allowed.includes(r.origin))
      .map((r) => ({ origin: r.origin, count: r.count, firstSeenAt: r.firstSeenAt.getTime(), lastSeenAt: r.lastSeenAt.getTime() }));
  }

  /** Where and when a visitor of the site last connected (written by the install monitor). */
  async lastSeen(siteId: string): Promise<LastSeen | null> {
    const [row] = await this.db.select({ origin: site.lastSeenOrigin, at: site.lastSeenAt }).from(site).where(eq(site.id, siteId)).limit(1);
    return row?.origin && row.at ? { origin: row.origin, at: row.at.getTime() } : null;
  }

  /** Hears every change other processes must know of (the transport passes it on). */
  onKeysChange(fn: (c: SiteKeysChange) => void): void {
    this.listeners.push(fn);
  }

  /** Rotated-out keys known here (the transport closes their sockets once `until` has passed). */
  retiringKeys(): RetiringKey[] {
    return [...this.retiring.values()];
  }

  /** The key's sockets are closed: nothing left to do for it on this process. */
  retired(key: string): void {
    this.retiring.delete(key);
  }

  private noteRetiring(r: RetiringKey): void {
    const known = this.retiring.get(r.key);
    if (!known || r.until < known.until) this.retiring.set(r.key, r);
  }

  /**
   * Keys changed outside the store's own edits (a deleted workspace's sites): forgotten here, and
   * the listeners (server/transport/site-keys.ts) tell the other processes.
   */
  keysChanged(c: SiteKeysChange): void {
    this.changed(c);
  }

  private changed(c: SiteKeysChange): void {
    this.forgetSites(c.siteIds, c.retiring);
    for (const fn of this.listeners) fn(c);
  }

  /** Handshake lookup by public key, cached briefly (sites change rarely; edits invalidate). */
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

  /**
   * Forgets cached handshake lookups of these sites (deleted with their workspace, or changed):
   * their keys are looked up again at once on this process instead of when the cache entry
   * expires. `retiring`: rotated-out keys whose sockets close when their grace ends.
   */
  forgetSites(siteIds: readonly string[], retiring: readonly RetiringKey[] = []): void {
    this.generation++;
    const gone = new Set(siteIds);
    for (const [key, hit] of this.byKey) if (hit.access && gone.has(hit.access.siteId)) this.byKey.delete(key);
    for (const r of retiring) this.noteRetiring(r);
  }

  /** Ids of every site the user may watch. */
  async siteIdsForUser(userId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ id: site.id })
      .from(site)
      .innerJoin(workspaceMember, eq(workspaceMember.workspaceId, site.workspaceId))
      .where(eq(workspaceMember.userId, userId));
    return new Set(rows.map((r) => r.id));
  }
}

const siteColumns = {
  id: site.id,
  workspaceId: site.workspaceId,
  name: site.name,
  publicKey: site.publicKey,
  allowedOrigins: site.allowedOrigins,
  chatGreeting: site.chatGreeting,
  chatSneakPeek: site.chatSneakPeek,
  widgetAccent: site.widgetAccent,
  widgetSide: site.widgetSide,
  widgetOffset: site.widgetOffset,
  widgetLauncherText: site.widgetLauncherText,
  widgetLanguage: site.widgetLanguage,
  createdAt: site.createdAt,
  previousKey: site.previousKey,
  previousKeyUntil: site.previousKeyUntil,
};

/** The chat and widget settings a form sent (absent ones are not written). */
function chatSettings(input: SiteInput): Partial<Pick<SiteRecord, 'chatGreeting' | 'chatSneakPeek' | 'widgetAccent' | 'widgetSide' | 'widgetOffset' | 'widgetLauncherText' | 'widgetLanguage'>> {
  const widget = {
    ...(input.widgetAccent !== undefined ? { widgetAccent: input.widgetAccent } : {}),
    ...(input.widgetSide !== undefined ? { widgetSide: input.widgetSide } : {}),
    ...(input.widgetOffset !== undefined ? { widgetOffset: input.widgetOffset } : {}),
    ...(input.widgetLauncherText !== undefined ? { widgetLauncherText: input.widgetLauncherText } : {}),
    ...(input.widgetLanguage !== undefined ? { widgetLanguage: input.widgetLanguage } : {}),
  };
  return {
    ...widget,
    ...(input.chatGreeting !== undefined ? { chatGreeting: input.chatGreeting } : {}),
    ...(input.chatSneakPeek !== undefined ? { chatSneakPeek: input.chatSneakPeek } : {}),
  };
}
