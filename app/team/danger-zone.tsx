// The owner's card at the bottom of the Team page: what only the owner may do to the workspace
// itself (transfer it, delete it). The page renders it for the owner only; the API checks again.
import { DeleteWorkspace } from './delete-workspace';
import { TransferOwnership, type TransferCandidate } from './transfer-ownership';
import './team.css';
import './danger-zone.css';

interface Props {
  workspace: { id: string; name: string };
  candidates: TransferCandidate[];
  siteCount: number;
  memberCount: number;
}

export function DangerZone({ workspace, candidates, siteCount, memberCount }: Props) {
  return (
    <section className="card danger-zone" aria-labelledby="danger-title" data-testid="danger-zone">
      <div className="card-header">
        <div>
          <h2 id="danger-title">Danger zone</h2>
          <p>Only the owner sees this.</p>
        </div>
      </div>
      <div className="danger-rows">
        <TransferOwnership workspaceName={workspace.name} candidates={candidates} />
        <DeleteWorkspace workspaceId={workspace.id} workspaceName={workspace.name} siteCount={siteCount} memberCount={memberCount} />
      </div>
    </section>
  );
}
