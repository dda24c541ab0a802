// What the Team page, the invitation page and the team API exchange. Plain data: times are
// epoch milliseconds, roles are the access module's.
import type { Role } from '../access/access';

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: number;
  /** Last time a dashboard of theirs was connected; null if never seen. */
  lastActiveAt: number | null;
  /** This member is the one asking. */
  you: boolean;
  /** Online: a dashboard open and not Away; away: open but Away or idle; offline: none open. */
  availability: 'online' | 'away' | 'offline';
}

export interface InvitationView {
  id: string;
  email: string;
  role: Exclude<Role, 'owner'>;
  createdAt: number;
  expiresAt: number;
  invitedByName: string;
}

export interface TeamView {
  workspace: { id: string; name: string };
  me: { userId: string; role: Role };
  members: TeamMember[];
  /** Pending invitations; empty for members who may not invite. */
  invitations: InvitationView[];
  can: { invite: boolean; manageMembers: boolean };
}

export type InvitationStatus = 'valid' | 'used' | 'revoked' | 'expired' | 'unknown';

export interface InvitationLookup {
  status: InvitationStatus;
  workspaceName?: string;
  role?: Exclude<Role, 'owner'>;
  email?: string;
  invitedByName?: string;
  expiresAt?: number;
}
