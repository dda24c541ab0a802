import type { Metadata } from 'next';
import Link from 'next/link';
import { can, invitableRoles } from '../../../server/access/access';
import { services } from '../../../server/services';
import { requireUser, workspacesOf } from '../../lib/session';
import { roleInSentence } from '../../team/format';
import { WorkspaceSwitcher } from '../../components/workspace-switcher';
import { AssignmentSetting } from '../../team/assignment-setting';
import { DangerZone } from '../../team/danger-zone';
import { TeamInvites } from '../../team/team-invites';
import { TeamMembers } from '../../team/team-members';

export const metadata: Metadata = { title: 'Team' };

export default async function TeamPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser('/team');
  const team = await services().team.view(user.id);
  // Set by the transfer control on its way back here: say what just changed.
  const transferred = (await searchParams).transferred === '1' && team?.me.role !== 'owner';
  if (!team) {
    return (
      <div className="page-narrow">
        <div className="card empty-card" data-testid="team-none">
          <h1>No workspace</h1>
          <p>
            You are not a member of any workspace. Ask a workspace owner or admin for an invitation link, or{' '}
            <Link href="/sites">go to your sites</Link>.
          </p>
        </div>
      </div>
    );
  }
  // One clock for the whole render: relative times read the same on the server and in the browser.
  const now = Date.now();
  const roles = team.can.invite ? invitableRoles(team.me.role) : [];
  const owner = team.members.find((m) => m.role === 'owner');
  const isOwner = can(team.me.role, 'workspace:delete');
  const siteCount = isOwner ? (await services().sites.listForUser(user.id, team.workspace.id)).length : 0;
  return (
    <div className="page-narrow team-page">
      <div className="page-header">
        <div>
          <h1>Team</h1>
          <WorkspaceSwitcher workspaces={await workspacesOf(user.id)} />
          <p>
            <span data-testid="workspace-name">{team.workspace.name}</span> · you are {roleInSentence(team.me.role)} of this workspace.
          </p>
        </div>
      </div>
      {transferred && owner && (
        <div className="alert alert-success team-page-notice" role="status" data-testid="transfer-done">
          Ownership transferred: {owner.name.trim() || owner.email} is now the owner, and you are {roleInSentence(team.me.role)}.
        </div>
      )}
      <TeamMembers members={team.members} myRole={team.me.role} canManage={team.can.manageMembers} now={now} />
      <AssignmentSetting mode={await services().assignment.mode(team.workspace.id)} canEdit={can(team.me.role, 'workspace:settings')} />
      {team.can.invite && roles.length > 0 ? (
        <TeamInvites roles={roles} invitations={team.invitations} now={now} />
      ) : (
        <p className="hint team-readonly-note" data-testid="team-readonly-note">
          Owners and admins invite people and change roles. Ask one of them if someone is missing.
        </p>
      )}
      {isOwner && (
        <DangerZone
          workspace={team.workspace}
          candidates={team.members.flatMap((m) => (m.role === 'owner' || m.you ? [] : [{ userId: m.userId, name: m.name, email: m.email, role: m.role }]))}
          siteCount={siteCount}
          memberCount={team.members.length}
        />
      )}
    </div>
  );
}
