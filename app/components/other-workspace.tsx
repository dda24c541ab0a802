'use client';
// Shown instead of a page about a site (or conversation) of another of the user's workspaces:
// the workspace is never switched behind their back, but one click does it.
import { useState } from 'react';
import { useSwitchWorkspace } from './workspace-switcher';

export function OtherWorkspace({ workspace, what }: { workspace: { id: string; name: string }; what: string }) {
  const { switchTo, busy } = useSwitchWorkspace();
  const [failed, setFailed] = useState(false);
  return (
    <div className="page-narrow">
      <div className="card empty-card" data-testid="other-workspace">
        <h1>This {what} is in another workspace</h1>
        <p>
          It belongs to <strong>{workspace.name}</strong>. Switch to that workspace to open it.
        </p>
        <div className="empty-actions">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void switchTo(workspace.id, true).then((ok) => setFailed(!ok))} data-testid="switch-workspace">
            Switch to {workspace.name}
          </button>
        </div>
        {failed ? (
          <p className="alert alert-error" role="alert">
            That did not work. Reload the page and try again.
          </p>
        ) : null}
      </div>
    </div>
  );
}
