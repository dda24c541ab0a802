// Who may do what: the one rule for every page, route handler and socket event.
// Pure: a member's role, an action and (for actions on members) the member acted on.
// Someone who is not a member of the workspace gets `null` as a role and may do nothing:
// callers answer them "not found", exactly as for an id that does not exist.

export const ROLES = ['owner', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  // The daily work of every member.
  'live:watch',
  'visitor:view',
  'call:place',
  'chat:use',
  'history:view',
  'team:view',
  // Sites and their settings.
  'site:create',
  'site:settings',
  // People.
  'member:invite',
  'member:change-role',
  'member:remove',
  // The workspace itself.
  'workspace:settings',
  'workspace:transfer',
  'workspace:delete',
] as const;
export type Action = (typeof ACTIONS)[number];

/** For actions on a member: who they are now, and the role they would get. */
export interface MemberTarget {
  role: Role;
  self: boolean;
  newRole?: Role;
}

const EVERY_MEMBER: ReadonlySet<Action> = new Set(['live:watch', 'visitor:view', 'call:place', 'chat:use', 'history:view', 'team:view']);
const ADMIN: ReadonlySet<Action> = new Set([...EVERY_MEMBER, 'site:create', 'site:settings', 'workspace:settings', 'member:invite', 'member:change-role', 'member:remove']);

export function can(role: Role | null, action: Action, target?: MemberTarget): boolean {
  if (!role) return false;
  if (EVERY_MEMBER.has(action)) return true;
  if (role === 'agent') return false;
  if (action === 'workspace:transfer' || action === 'workspace:delete') return role === 'owner';
  if (!ADMIN.has(action)) return false;
  if (action === 'member:change-role' || action === 'member:remove') {
    if (!target) return false;
    // The owner is changed only by transferring ownership; nobody edits their own role here.
    if (target.role === 'owner' || target.self) return false;
    if (action === 'member:change-role' && (!target.newRole || target.newRole === 'owner')) return false;
    return true;
  }
  return true;
}

/** The roles an inviter may hand out (ownership is transferred, never invited). */
export function invitableRoles(role: Role | null): Exclude<Role, 'owner'>[] {
  return can(role, 'member:invite') ? ['admin', 'agent'] : [];
}
