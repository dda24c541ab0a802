// Sites and the workspaces that own them. Every read takes the caller's user id: the tenant
// always comes from the session, never from an id the client sent.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import type { Role } from '../access/access';
import { currentWorkspace } from '../team/team-store';
import { site, workspace, workspaceMember } from '../../drizzle/schema';

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
  createdAt: Date;
}

export interface SiteInput {
  name: string;
  allowedOrigins: string[];
  /** Left as it is (or the default, for a new site) when absent. */
  chatGreeting?: string;
  chatSneakPeek?: boolean;
}

/** What the socket handshake needs to know about a site key, cached in memory. */
export interface SiteAccess {
  siteId: string;
  workspaceId: string;
  allowedOrigins: string[];
}

const KEY_CACHE_MS = 30_000;

export class SiteStore {
  private readonly byKey = new Map<string, { access: SiteAccess | null; until: number }>();
  /** Bumped when sites are forgotten: a lookup that started before does not cache what it read. */
  private generation = 0;

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
      publicKey: 'pk_' + randomBytes(12).toString('base64url'),
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
    this.byKey.delete(current.publicKey);
    return row ?? null;
  }

  /** Handshake lookup by public key, cached briefly (sites change rarely; edits invalidate). */
  async accessByKey(publicKey: string): Promise<SiteAccess | null> {
    const now = this.now();
    const hit = this.byKey.get(publicKey);
    if (hit && hit.until > now) return hit.access;
    const generation = this.generation;
    const rows = await this.db
      .select({ siteId: site.id, workspaceId: site.workspaceId, allowedOrigins: site.allowedOrigins })
      .from(site)
      .where(eq(site.publicKey, publicKey))
      .limit(1);
    const access = rows[0] ?? null;
    if (generation !== this.generation) return access;
    if (this.byKey.size > 10_000) this.byKey.clear();
    this.byKey.set(publicKey, { access, until: now + KEY_CACHE_MS });
    return access;
  }

  /**
   * Forgets cached handshake lookups of these sites (deleted with their workspace): their keys
   * are refused at once on this process instead of working until the cache entry expires.
   */
  forgetSites(siteIds: readonly string[]): void {
    this.generation++;
    const gone = new Set(siteIds);
    for (const [key, hit] of this.byKey) if (hit.access && gone.has(hit.access.siteId)) this.byKey.delete(key);
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
  createdAt: site.createdAt,
};

/** The chat settings a form sent (absent ones are not written). */
function chatSettings(input: SiteInput): { chatGreeting?: string; chatSneakPeek?: boolean } {
  return {
    ...(input.chatGreeting !== undefined ? { chatGreeting: input.chatGreeting } : {}),
    ...(input.chatSneakPeek !== undefined ? { chatSneakPeek: input.chatSneakPeek } : {}),
  };
}
