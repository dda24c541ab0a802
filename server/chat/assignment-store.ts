// Who a conversation is assigned to, the workspace's assignment mode and its rotation.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { conversation, user, workspace, workspaceMember } from '../../drizzle/schema';
import type { AssignmentMode } from './assignment';

export interface Member {
  id: string;
  name: string;
}

export class AssignmentStore {
  constructor(private readonly db: Db) {}

  async rotation(workspaceId: string): Promise<{ mode: AssignmentMode; last: string | null }> {
    const rows = await this.db.select({ mode: workspace.assignmentMode, last: workspace.rotationLastUserId }).from(workspace).where(eq(workspace.id, workspaceId)).limit(1);
    return rows[0] ?? { mode: 'first_reply', last: null };
  }

  async rotate(workspaceId: string, userId: string): Promise<void> {
    await this.db.update(workspace).set({ rotationLastUserId: userId }).where(eq(workspace.id, workspaceId));
  }

  async setMode(workspaceId: string, mode: AssignmentMode): Promise<void> {
    await this.db.update(workspace).set({ assignmentMode: mode }).where(eq(workspace.id, workspaceId));
  }

  async setAssignee(conversationId: string, to: Member | null, now: Date): Promise<void> {
    await this.db.update(conversation).set({ assigneeId: to?.id ?? null, assigneeName: to?.name ?? null, updatedAt: now }).where(eq(conversation.id, conversationId));
  }

  /** The workspace's members (who a conversation can go to), by name. */
  async members(workspaceId: string): Promise<Member[]> {
    const rows = await this.db
      .select({ id: user.id, name: user.name, email: user.email })
      .from(workspaceMember)
      .innerJoin(user, eq(user.id, workspaceMember.userId))
      .where(eq(workspaceMember.workspaceId, workspaceId))
      .orderBy(asc(user.name));
    return rows.map((r) => ({ id: r.id, name: r.name || r.email }));
  }

  async member(workspaceId: string, userId: string): Promise<Member | null> {
    const rows = await this.db
      .select({ id: user.id, name: user.name, email: user.email })
      .from(workspaceMember)
      .innerJoin(user, eq(user.id, workspaceMember.userId))
      .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)))
      .limit(1);
    const r = rows[0];
    return r ? { id: r.id, name: r.name || r.email } : null;
  }
}
