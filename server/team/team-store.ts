// Members and invitations in the database. No rules here: server/team/team-service.ts decides.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { invitation, site, user, workspace, workspaceMember } from '../../drizzle/schema';
import type { Role } from '../access/access';

export type InvitationRow = typeof invitation.$inferSelect;

/** Thrown inside a transaction to roll it back when a condition read in it no longer holds. */
class Abort extends Error {}

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
  lastActiveAt: Date | null;
}

/**
 * The user's current workspace and role: the one they chose (or joined) last, else the oldest.
 * The one definition: sites and teams both ask it.
 */
export async function currentWorkspace(db: Db, userId: string): Promise<{ id: string; name: string; role: Role } | null> {
  const rows = await db
    .select({ id: workspace.id, name: workspace.name, role: workspaceMember.role })
    .from(workspaceMember)
    .innerJoin(workspace, eq(workspace.id, workspaceMember.workspaceId))
    .where(eq(workspaceMember.userId, userId))
    .orderBy(sql`${workspaceMember.selectedAt} desc nulls last`, asc(workspaceMember.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

export class TeamStore {
  constructor(private readonly db: Db) {}

  primaryWorkspace(userId: string): Promise<{ id: string; name: string; role: Role } | null> {
    return currentWorkspace(this.db, userId);
  }

  /** Every workspace the user belongs to, oldest membership first. */
  async memberships(userId: string): Promise<{ id: string; name: string; role: Role }[]> {
    return this.db
      .select({ id: workspace.id, name: workspace.name, role: workspaceMember.role })
      .from(workspaceMember)
      .innerJoin(workspace, eq(workspace.id, workspaceMember.workspaceId))
      .where(eq(workspaceMember.userId, userId))
      .orderBy(asc(workspaceMember.createdAt));
  }

  /** Makes a workspace the user's current one; false when they are not a member. */
  async select(userId: string, workspaceId: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(workspaceMember)
      .set({ selectedAt: at })
      .where(and(eq(workspaceMember.userId, userId), eq(workspaceMember.workspaceId, workspaceId)))
      .returning({ id: workspaceMember.workspaceId });
    return rows.length > 0;
  }

  async workspaceName(workspaceId: string): Promise<string | null> {
    const rows = await this.db.select({ name: workspace.name }).from(workspace).where(eq(workspace.id, workspaceId)).limit(1);
    return rows[0]?.name ?? null;
  }

  async roleOf(userId: string, workspaceId: string): Promise<Role | null> {
    const rows = await this.db
      .select({ role: workspaceMember.role })
      .from(workspaceMember)
      .where(and(eq(workspaceMember.userId, userId), eq(workspaceMember.workspaceId, workspaceId)))
      .limit(1);
    return rows[0]?.role ?? null;
  }

  async members(workspaceId: string): Promise<MemberRow[]> {
    return this.db
      .select({ userId: user.id, name: user.name, email: user.email, role: workspaceMember.role, joinedAt: workspaceMember.createdAt, lastActiveAt: workspaceMember.lastActiveAt })
      .from(workspaceMember)
      .innerJoin(user, eq(user.id, workspaceMember.userId))
      .where(eq(workspaceMember.workspaceId, workspaceId))
      .orderBy(asc(workspaceMember.createdAt));
  }

  async addMember(workspaceId: string, userId: string, role: Role, at: Date): Promise<void> {
    await this.db.insert(workspaceMember).values({ workspaceId, userId, role, createdAt: at }).onConflictDoNothing();
  }

  async setRole(workspaceId: string, userId: string, role: Role): Promise<void> {
    await this.db.update(workspaceMember).set({ role }).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)));
  }

  async removeMember(workspaceId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .delete(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)))
      .returning({ userId: workspaceMember.userId });
    return rows.length > 0;
  }

  async touch(userId: string, at: Date): Promise<void> {
    await this.db.update(workspaceMember).set({ lastActiveAt: at }).where(eq(workspaceMember.userId, userId));
  }

  /** Away in any workspace is Away: the choice is the person's, not the workspace's. */
  async isAway(userId: string): Promise<boolean> {
    const rows = await this.db.select({ away: workspaceMember.away }).from(workspaceMember).where(and(eq(workspaceMember.userId, userId), eq(workspaceMember.away, true))).limit(1);
    return rows.length > 0;
  }

  async setAway(userId: string, away: boolean): Promise<void> {
    await this.db.update(workspaceMember).set({ away }).where(eq(workspaceMember.userId, userId));
  }

  async userName(userId: string): Promise<string | null> {
    const rows = await this.db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId)).limit(1);
    return rows[0] ? rows[0].name || rows[0].email : null;
  }

  async insertInvitation(row: InvitationRow): Promise<void> {
    await this.db.insert(invitation).values(row);
  }

  async invitation(workspaceId: string, id: string): Promise<InvitationRow | null> {
    const rows = await this.db.select().from(invitation).where(and(eq(invitation.workspaceId, workspaceId), eq(invitation.id, id))).limit(1);
    return rows[0] ?? null;
  }

  async invitationByHash(tokenHash: string): Promise<InvitationRow | null> {
    const rows = await this.db.select().from(invitation).where(eq(invitation.tokenHash, tokenHash)).limit(1);
    return rows[0] ?? null;
  }

  async pendingInvitations(workspaceId: string): Promise<InvitationRow[]> {
    return this.db
      .select()
      .from(invitation)
      .where(and(eq(invitation.workspaceId, workspaceId), isNull(invitation.acceptedAt), isNull(invitation.revokedAt)))
      .orderBy(desc(invitation.createdAt));
  }

  async updateInvitation(id: string, patch: Partial<Pick<InvitationRow, 'tokenHash' | 'expiresAt' | 'createdAt' | 'revokedAt'>>): Promise<void> {
    await this.db.update(invitation).set(patch).where(eq(invitation.id, id));
  }

  /**
   * The owner hands the workspace to another member, in one transaction: the owner becomes an
   * admin only while they still are the owner (two transfers at once: one wins), and the target
   * becomes the owner only while they still are a member. False when either no longer holds.
   */
  async transferOwnership(workspaceId: string, fromUserId: string, toUserId: string): Promise<boolean> {
    return this.db
      .transaction(async (tx) => {
        const demoted = await tx
          .update(workspaceMember)
          .set({ role: 'admin' })
          .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, fromUserId), eq(workspaceMember.role, 'owner')))
          .returning({ userId: workspaceMember.userId });
        if (demoted.length === 0) throw new Abort();
        const promoted = await tx
          .update(workspaceMember)
          .set({ role: 'owner' })
          .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, toUserId)))
          .returning({ userId: workspaceMember.userId });
        if (promoted.length === 0) throw new Abort();
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof Abort) return false;
        throw err;
      });
  }

  /**
   * Deletes a workspace and everything it owns (its sites, and through them their visitors'
   * history, calls, conversations and messages; its members and invitations: every table that
   * points at a workspace or a site does so ON DELETE CASCADE), in one transaction and only while
   * `ownerId` still owns it. Says who the members were and which sites went; null if not deleted.
   */
  async deleteWorkspace(workspaceId: string, ownerId: string): Promise<{ memberIds: string[]; siteIds: string[] } | null> {
    return this.db
      .transaction(async (tx) => {
        // Deleting the memberships first locks them: a transfer running at the same time waits.
        const members = await tx.delete(workspaceMember).where(eq(workspaceMember.workspaceId, workspaceId)).returning({ userId: workspaceMember.userId, role: workspaceMember.role });
        if (!members.some((m) => m.userId === ownerId && m.role === 'owner')) throw new Abort();
        const sites = await tx.delete(site).where(eq(site.workspaceId, workspaceId)).returning({ id: site.id });
        const gone = await tx.delete(workspace).where(eq(workspace.id, workspaceId)).returning({ id: workspace.id });
        if (gone.length === 0) throw new Abort();
        return { memberIds: members.map((m) => m.userId), siteIds: sites.map((x) => x.id) };
      })
      .catch((err: unknown) => {
        if (err instanceof Abort) return null;
        throw err;
      });
  }

  /**
   * Marks a pending invitation used and adds the member, in one transaction: a link works once,
   * even when it is opened twice at the same moment.
   */
  async accept(id: string, userId: string, at: Date): Promise<{ workspaceId: string } | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(invitation)
        .set({ acceptedAt: at, acceptedBy: userId })
        .where(and(eq(invitation.id, id), isNull(invitation.acceptedAt), isNull(invitation.revokedAt)))
        .returning({ workspaceId: invitation.workspaceId, role: invitation.role });
      if (!row) return null;
      // Joining chooses the workspace: the dashboard opens on it.
      await tx
        .insert(workspaceMember)
        .values({ workspaceId: row.workspaceId, userId, role: row.role, createdAt: at, selectedAt: at })
        .onConflictDoUpdate({ target: [workspaceMember.workspaceId, workspaceMember.userId], set: { selectedAt: at } });
      return { workspaceId: row.workspaceId };
    });
  }
}
