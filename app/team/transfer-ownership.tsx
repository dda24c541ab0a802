'use client';
// The owner hands the workspace to another member and becomes an admin. Two steps: pick the
// member, then confirm inline with the consequence spelled out.
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { ROLE_LABEL } from './format';
import { teamRequest } from './team-api';

export interface TransferCandidate {
  userId: string;
  name: string;
  email: string;
  role: 'admin' | 'agent';
}

interface Props {
  workspaceName: string;
  /** Every member but the owner. */
  candidates: TransferCandidate[];
}

export function TransferOwnership({ workspaceName, candidates }: Props) {
  const router = useRouter();
  const id = useId();
  const [userId, setUserId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const target = candidates.find((c) => c.userId === userId) ?? null;
  const targetName = target ? target.name.trim() || target.email : '';

  // Focus follows the confirmation: into it when it opens, back to the button when it is cancelled.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) startRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function transfer() {
    if (!target) return;
    setBusy(true);
    setError(null);
    const res = await teamRequest<{ workspaceId: string }>('/api/team/transfer', 'POST', { userId: target.userId });
    if (!res.ok) {
      setBusy(false);
      setConfirming(false);
      setError(res.message);
      return;
    }
    // The page comes back with the new roles (and without this card: only owners see it).
    router.replace('/team?transferred=1');
    router.refresh();
  }

  return (
    <div className="danger-row" data-testid="transfer-ownership">
      <div className="danger-text">
        <h3>Transfer ownership</h3>
        <p>Make another member the owner of {workspaceName}. They can then delete it or hand it on; you stay on as an admin.</p>
      </div>
      {candidates.length === 0 ? (
        <p className="hint danger-empty">Invite someone first: ownership goes to a member of this workspace.</p>
      ) : (
        <div className="danger-action">
          <div className="danger-inline">
            <label className="sr-only" htmlFor={`${id}-member`}>
              New owner
            </label>
            <select
              id={`${id}-member`}
              className="select select-sm danger-select"
              value={userId}
              disabled={busy || confirming}
              onChange={(e) => {
                setUserId(e.target.value);
                setError(null);
              }}
              data-testid="transfer-member"
            >
              <option value="">Choose a member…</option>
              {candidates.map((c) => (
                <option key={c.userId} value={c.userId}>
                  {(c.name.trim() || c.email) + ` (${ROLE_LABEL[c.role]})`}
                </option>
              ))}
            </select>
            {!confirming && (
              <button ref={startRef} type="button" className="btn btn-sm danger-outline" disabled={!target || busy} onClick={() => setConfirming(true)} data-testid="transfer-start">
                Transfer ownership
              </button>
            )}
          </div>
          {confirming && target && (
            <div
              className="danger-confirm"
              role="group"
              aria-label={`Confirm transferring ownership to ${targetName}`}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && !busy) setConfirming(false);
              }}
              data-testid="transfer-confirm-box"
            >
              <p>
                Make <strong>{targetName}</strong> the owner of {workspaceName}? <strong>You will become an admin</strong>: you can no longer delete the
                workspace or transfer it back yourself.
              </p>
              <div className="form-actions">
                <button ref={confirmRef} type="button" className="btn btn-sm btn-danger" onClick={() => void transfer()} disabled={busy} data-testid="transfer-confirm">
                  {busy ? 'Transferring…' : 'Yes, transfer ownership'}
                </button>
                <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(false)} disabled={busy}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          {error && (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
