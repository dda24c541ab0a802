import type { Metadata } from 'next';
import Link from 'next/link';
import { can, invitableRoles } from '../../../server/access/access';
import { services } from '../../../server/services';
import { requireUser, workspacesOf } from '../../lib/session';
import { roleInSentence } from '../../team/format';
import { WorkspaceSwitcher } from '../../components/workspace-switcher';
import { AssignmentSetting } from '../../team/assignment-setting';
import { TeamInvites } from '../../team/team-invites';
import { TeamMembers } from '../../team/team-members';

export const metadata: Metadata = { title: 'Team' };

export default async function TeamPage() {
  const user = await requireUser('/team');
  const team = await services().team.view(user.id);
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
      <TeamMembers members={team.members} myRole={team.me.role} canManage={team.can.manageMembers} now={now} />
      <AssignmentSetting mode={await services().assignment.mode(team.workspace.id)} canEdit={can(team.me.role, 'workspace:settings')} />
      {team.can.invite && roles.length > 0 ? (
        <TeamInvites roles={roles} invitations={team.invitations} now={now} />
      ) : (
        <p className="hint team-readonly-note" data-testid="team-readonly-note">
          Owners and admins invite people and change roles. Ask one of them if someone is missing.
        </p>
      )}
    </div>
  );
}
