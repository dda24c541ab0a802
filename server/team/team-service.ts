// Teams: members, roles and invitation links. Every action is checked by the access module
// (server/access/access.ts); someone outside the workspace gets not_found, never data.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { can, type Role } from '../access/access';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { ErrorCode } from '../protocol';
import type { InvitationLookup, InvitationView, TeamMember, TeamView } from './team-types';
import type { InvitationRow, TeamStore } from './team-store';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class TeamError extends Error {
  override readonly name = 'TeamError';
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

/** By name, not instanceof: Next.js route handlers run their own copy of this module. */
export function isTeamError(err: unknown): err is TeamError {
  return err instanceof Error && err.name === 'TeamError' && typeof (err as { code?: unknown }).code === 'string';
}

export interface TeamServiceOptions {
  /** Where browsers open the dashboard, for invitation links. */
  publicUrl: () => string;
  /** Who of a workspace has a dashboard open now, and who of them counts as online (the transport knows). */
  presence?: (workspaceId: string) => Promise<{ connected: string[]; online: string[] }>;
  invitationTtlMs?: number;
}

type InvitableRole = Exclude<Role, 'owner'>;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export class TeamService {
  constructor(
    private readonly store: TeamStore,
    private readonly bus: EventBus,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly opts: TeamServiceOptions,
  ) {}

  /** The Team page of the user's workspace; null when they belong to none. */
  async view(userId: string): Promise<TeamView | null> {
    const ws = await this.store.primaryWorkspace(userId);
    if (!ws) return null;
    const mayInvite = can(ws.role, 'member:invite');
    const [members, invitations, availability] = await Promise.all([
      this.store.members(ws.id),
      mayInvite ? this.store.pendingInvitations(ws.id) : Promise.resolve([]),
      this.availabilityIn(ws.id),
    ]);
    const now = this.clock.now();
    return {
      workspace: { id: ws.id, name: ws.name },
      me: { userId, role: ws.role },
      members: members.map((m): TeamMember => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, joinedAt: m.joinedAt.getTime(), lastActiveAt: m.lastActiveAt?.getTime() ?? null, you: m.userId === userId, availability: availability(m.userId) })),
      invitations: invitations.filter((i) => i.expiresAt.getTime() > now).map(toView),
      can: { invite: mayInvite, manageMembers: members.some((m) => can(ws.role, 'member:remove', { role: m.role, self: m.userId === userId })) },
    };
  }

  /** The user's workspace and their role in it (the one the dashboard shows). */
  workspaceOf(userId: string): Promise<{ id: string; name: string; role: Role } | null> {
    return this.store.primaryWorkspace(userId);
  }

  /** The user's role in one workspace; null when they are not a member. */
  roleIn(userId: string, workspaceId: string): Promise<Role | null> {
    return this.store.roleOf(userId, workspaceId);
  }

  /** The workspaces the user can switch between, the current one marked. */
  async workspaces(userId: string): Promise<{ id: string; name: string; role: Role; current: boolean }[]> {
    const [all, current] = await Promise.all([this.store.memberships(userId), this.store.primaryWorkspace(userId)]);
    return all.map((w) => ({ ...w, current: w.id === current?.id }));
  }

  /** Switches the user's current workspace; someone else's is not_found. */
  async switchTo(userId: string, workspaceId: string): Promise<void> {
    if (!(await this.store.select(userId, workspaceId, new Date(this.clock.now())))) throw new TeamError('not_found');
  }

  async invite(actorId: string, input: { email: string; role: InvitableRole }): Promise<{ invitation: InvitationView; link: string }> {
    const ws = await this.actorWorkspace(actorId, 'member:invite');
    const token = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const row: InvitationRow = {
      id: randomUUID(),
      workspaceId: ws.id,
      email: input.email.trim().toLowerCase(),
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: actorId,
      invitedByName: (await this.store.userName(actorId)) ?? '',
      createdAt: new Date(now),
      expiresAt: new Date(now + this.ttl()),
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
    };
    await this.store.insertInvitation(row);
    return this.sent(row, token, ws.name);
  }

  /** A new link for a pending invitation, valid for another 7 days; the old link stops working. */
  async resend(actorId: string, invitationId: string): Promise<{ invitation: InvitationView; link: string }> {
    const ws = await this.actorWorkspace(actorId, 'member:invite');
    const row = await this.store.invitation(ws.id, invitationId);
    if (!row || row.acceptedAt || row.revokedAt) throw new TeamError('not_found');
    const token = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const patch = { tokenHash: hashToken(token), createdAt: new Date(now), expiresAt: new Date(now + this.ttl()) };
    await this.store.updateInvitation(row.id, patch);
    return this.sent({ ...row, ...patch }, token, ws.name);
  }

  async revoke(actorId: string, invitationId: string): Promise<void> {
    const ws = await this.actorWorkspace(actorId, 'member:invite');
    const row = await this.store.invitation(ws.id, invitationId);
    if (!row || row.acceptedAt || row.revokedAt) throw new TeamError('not_found');
    await this.store.updateInvitation(row.id, { revokedAt: new Date(this.clock.now()) });
  }

  async invitation(token: string): Promise<InvitationLookup> {
    const row = await this.store.invitationByHash(hashToken(token));
    if (!row) return { status: 'unknown' };
    const base = { workspaceName: (await this.store.workspaceName(row.workspaceId)) ?? '', role: row.role, email: row.email, invitedByName: row.invitedByName, expiresAt: row.expiresAt.getTime() };
    return { status: statusOf(row, this.clock.now()), ...base };
  }

  /** Joins the invitation's workspace. A used, revoked or expired link is `gone`; a made-up one `not_found`. */
  async accept(userId: string, token: string): Promise<{ workspaceId: string }> {
    const row = await this.store.invitationByHash(hashToken(token));
    if (!row) throw new TeamError('not_found');
    if (statusOf(row, this.clock.now()) !== 'valid') throw new TeamError('gone');
    const r = await this.store.accept(row.id, userId, new Date(this.clock.now()));
    if (!r) throw new TeamError('gone');
    return r;
  }

  async changeRole(actorId: string, targetId: string, role: InvitableRole): Promise<TeamMember> {
    const { ws, target } = await this.actOnMember(actorId, targetId, 'member:change-role', role);
    if (target.role !== role) {
      await this.store.setRole(ws.id, targetId, role);
      this.bus.publish('access:changed', { userId: targetId, reason: 'role-changed' });
    }
    const availability = await this.availabilityIn(ws.id);
    return { ...target, role, joinedAt: target.joinedAt.getTime(), lastActiveAt: target.lastActiveAt?.getTime() ?? null, you: false, availability: availability(targetId) };
  }

  async remove(actorId: string, targetId: string): Promise<void> {
    const { ws } = await this.actOnMember(actorId, targetId, 'member:remove');
    if (await this.store.removeMember(ws.id, targetId)) this.bus.publish('access:changed', { userId: targetId, reason: 'removed' });
  }

  /**
   * The owner hands their current workspace to another member: the target becomes the owner and
   * the owner an admin, at once. Both users' open dashboards reconnect with their new role.
   */
  async transferOwnership(actorId: string, targetId: string): Promise<{ workspaceId: string }> {
    const ws = await this.store.primaryWorkspace(actorId);
    if (!ws) throw new TeamError('not_found');
    if (!can(ws.role, 'workspace:transfer')) throw new TeamError('forbidden');
    if (targetId === actorId) throw new TeamError('invalid_state');
    if (!(await this.store.roleOf(targetId, ws.id))) throw new TeamError('not_found');
    // Checked again inside the transaction: another transfer or a removal may have won meanwhile.
    if (!(await this.store.transferOwnership(ws.id, actorId, targetId))) throw new TeamError('invalid_state');
    this.bus.publish('access:changed', { userId: targetId, reason: 'role-changed' });
    this.bus.publish('access:changed', { userId: actorId, reason: 'role-changed' });
    return { workspaceId: ws.id };
  }

  /**
   * Deletes a workspace and everything it owns. Only its owner, who confirms by typing its name
   * exactly; other members are refused (forbidden), everyone else does not see it (not_found).
   * Every member's open dashboards close; the visitor transport closes the sites' visitor sockets.
   */
  async deleteWorkspace(actorId: string, workspaceId: string, confirm: string): Promise<void> {
    const [role, name] = await Promise.all([this.store.roleOf(actorId, workspaceId), this.store.workspaceName(workspaceId)]);
    if (!role || name === null) throw new TeamError('not_found');
    if (!can(role, 'workspace:delete')) throw new TeamError('forbidden');
    if (confirm !== name) throw new TeamError('confirm_mismatch');
    const gone = await this.store.deleteWorkspace(workspaceId, actorId);
    // Ownership moved away (or the workspace went) between the check and the delete: nothing was deleted.
    if (!gone) throw new TeamError((await this.store.roleOf(actorId, workspaceId)) ? 'forbidden' : 'not_found');
    this.bus.publish('workspace:deleted', { workspaceId, siteIds: gone.siteIds, memberIds: gone.memberIds });
    for (const userId of gone.memberIds) this.bus.publish('access:changed', { userId, reason: 'removed' });
  }

  isAway(userId: string): Promise<boolean> {
    return this.store.isAway(userId);
  }

  setAway(userId: string, away: boolean): Promise<void> {
    return this.store.setAway(userId, away);
  }

  /** A dashboard of the user is connected: the Team page's "last activity". */
  touch(userId: string): Promise<void> {
    return this.store.touch(userId, new Date(this.clock.now()));
  }

  private async availabilityIn(workspaceId: string): Promise<(userId: string) => TeamMember['availability']> {
    const p = (await this.opts.presence?.(workspaceId)) ?? { connected: [], online: [] };
    const online = new Set(p.online);
    const connected = new Set(p.connected);
    return (id) => (online.has(id) ? 'online' : connected.has(id) ? 'away' : 'offline');
  }

  private ttl(): number {
    return this.opts.invitationTtlMs ?? INVITATION_TTL_MS;
  }

  private sent(row: InvitationRow, token: string, workspaceName: string): { invitation: InvitationView; link: string } {
    const link = `${this.opts.publicUrl().replace(/\/$/, '')}/invite/${token}`;
    const invitation = toView(row);
    this.bus.publish('team:invited', { email: row.email, link, workspaceName, invitedByName: row.invitedByName, role: row.role, expiresAt: invitation.expiresAt });
    return { invitation, link };
  }

  private async actorWorkspace(actorId: string, action: 'member:invite'): Promise<{ id: string; name: string; role: Role }> {
    const ws = await this.store.primaryWorkspace(actorId);
    if (!ws) throw new TeamError('not_found');
    if (!can(ws.role, action)) throw new TeamError('forbidden');
    return ws;
  }

  private async actOnMember(actorId: string, targetId: string, action: 'member:change-role' | 'member:remove', newRole?: Role) {
    const ws = await this.store.primaryWorkspace(actorId);
    if (!ws) throw new TeamError('not_found');
    const target = (await this.store.members(ws.id)).find((m) => m.userId === targetId);
    if (!target) throw new TeamError('not_found');
    if (!can(ws.role, action, { role: target.role, self: targetId === actorId, newRole })) throw new TeamError('forbidden');
    return { ws, target };
  }
}

function statusOf(row: InvitationRow, now: number): InvitationLookup['status'] {
  if (row.acceptedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now) return 'expired';
  return 'valid';
}

function toView(r: InvitationRow): InvitationView {
  return { id: r.id, email: r.email, role: r.role, createdAt: r.createdAt.getTime(), expiresAt: r.expiresAt.getTime(), invitedByName: r.invitedByName };
}
