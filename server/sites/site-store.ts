// Sites and the workspaces that own them. Every read takes the caller's user id: the tenant
// always comes from the session, never from an id the client sent. Key rotation, the handshake's
// key cache, "Allow this origin" and the install observations live in their own modules; this
// class is the one door callers use.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import type { Role } from '../access/access';
import { currentWorkspace } from '../team/team-store';
import { site, workspace, workspaceMember } from '../../drizzle/schema';
import { allowOriginFor, type AllowOriginResult } from './allow-origin';
import { lastSeen, refusedOrigins, type LastSeen, type RefusedOriginRecord } from './install-observations';
import { newSiteKey, rotateSiteKey } from './key-rotation';
import { SiteKeyCache, type RetiringKey, type SiteAccess, type SiteKeysChange } from './site-key-cache';
import { chatSettings, siteColumns, type SiteInput, type SiteRecord } from './site-record';

export type { SiteInput, SiteRecord } from './site-record';

export class SiteStore {
  private readonly keys: SiteKeyCache;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    this.keys = new SiteKeyCache(db, now);
  }

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
    const found = await this.getWithRole(userId, siteId);
    return found?.site ?? null;
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
    this.keys.changed({ siteIds: [siteId], retiring: [] });
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
    const rotated = await rotateSiteKey(this.db, current, graceMs, this.now());
    if (!rotated) return null;
    this.keys.changed({ siteIds: [siteId], retiring: rotated.retiring });
    return rotated.site;
  }

  /** Adds a refused origin to the site's allowed origins (and takes it off the refused list). */
  async allowOrigin(userId: string, siteId: string, origin: string): Promise<AllowOriginResult> {
    const current = await this.getForUser(userId, siteId);
    if (!current) return { ok: false, code: 'not_found' };
    const result = await allowOriginFor(this.db, current, origin, this.now());
    if (result.ok) this.keys.changed({ siteIds: [siteId], retiring: [] });
    return result;
  }

  /** Origins refused for the site's key lately (newest first), without those allowed since. */
  async refusedOrigins(siteId: string): Promise<RefusedOriginRecord[]> {
    return refusedOrigins(this.db, siteId, this.now());
  }

  /** Where and when a visitor of the site last connected (written by the install monitor). */
  async lastSeen(siteId: string): Promise<LastSeen | null> {
    return lastSeen(this.db, siteId);
  }

  /** Hears every change other processes must know of (the transport passes it on). */
  onKeysChange(fn: (c: SiteKeysChange) => void): void {
    this.keys.onChange(fn);
  }

  /** Rotated-out keys known here (the transport closes their sockets once `until` has passed). */
  retiringKeys(): RetiringKey[] {
    return this.keys.retiringKeys();
  }

  /** The key's sockets are closed: nothing left to do for it on this process. */
  retired(key: string): void {
    this.keys.retired(key);
  }

  /**
   * Keys changed outside the store's own edits (a deleted workspace's sites): forgotten here, and
   * the listeners (server/transport/site-keys.ts) tell the other processes.
   */
  keysChanged(c: SiteKeysChange): void {
    this.keys.changed(c);
  }

  /** Handshake lookup by public key, cached briefly (sites change rarely; edits invalidate). */
  async accessByKey(publicKey: string): Promise<SiteAccess | null> {
    return this.keys.accessByKey(publicKey);
  }

  /**
   * Forgets cached handshake lookups of these sites (deleted with their workspace, or changed):
   * their keys are looked up again at once on this process instead of when the cache entry
   * expires. `retiring`: rotated-out keys whose sockets close when their grace ends.
   */
  forgetSites(siteIds: readonly string[], retiring: readonly RetiringKey[] = []): void {
    this.keys.forgetSites(siteIds, retiring);
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
