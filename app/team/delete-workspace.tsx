'use client';
// The owner deletes the workspace with everything in it. The button stays disabled until the
// workspace's name is typed exactly; afterwards the user lands on /sites (their other workspace,
// or the "add your first site" state).
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { teamRequest } from './team-api';

interface Props {
  workspaceId: string;
  workspaceName: string;
  siteCount: number;
  memberCount: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function sitesText(n: number): string {
  if (n === 0) return 'its settings go';
  if (n === 1) return 'its site is removed and its install snippet stops working';
  return `its ${n} sites are removed and their install snippets stop working`;
}

export function DeleteWorkspace({ workspaceId, workspaceName, siteCount, memberCount }: Props) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  const matches = typed === workspaceName;

  useEffect(() => {
    if (open) inputRef.current?.focus();
    else if (wasOpen.current) startRef.current?.focus();
    wasOpen.current = open;
  }, [open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    setError(null);
    const res = await teamRequest<{ next: string }>(`/api/workspaces/${encodeURIComponent(workspaceId)}`, 'DELETE', { confirm: typed });
    if (!res.ok) {
      setBusy(false);
      setError(res.message);
      return;
    }
    router.replace('/sites');
    router.refresh();
  }

  const cancel = () => {
    setOpen(false);
    setTyped('');
    setError(null);
  };

  return (
    <div className="danger-row" data-testid="delete-workspace">
      <div className="danger-text">
        <h3>Delete workspace</h3>
        <p>
          Deletes {workspaceName} for everyone: {sitesText(siteCount)}, and every visitor&apos;s history, conversation, message, call record and pending
          invitation goes with it. {plural(memberCount, 'member loses', 'members lose')} access at once. This cannot be undone.
        </p>
      </div>
      <div className="danger-action">
        {!open ? (
          <button ref={startRef} type="button" className="btn btn-sm danger-outline" onClick={() => setOpen(true)} data-testid="delete-workspace-start">
            Delete workspace
          </button>
        ) : (
          <form
            className="danger-confirm"
            onSubmit={submit}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && !busy) cancel();
            }}
            noValidate
            data-testid="delete-workspace-form"
          >
            <div className="field">
              <label className="label" htmlFor={`${id}-confirm`}>
                Type <strong className="danger-name">{workspaceName}</strong> to confirm
              </label>
              <input
                ref={inputRef}
                id={`${id}-confirm`}
                className="input"
                value={typed}
                onChange={(e) => {
                  setTyped(e.target.value);
                  setError(null);
                }}
                autoComplete="off"
                spellCheck={false}
                maxLength={500}
                disabled={busy}
                aria-describedby={`${id}-confirm-hint`}
                data-testid="delete-workspace-confirm-input"
              />
              <span className="hint" id={`${id}-confirm-hint`}>
                Exactly as written, capital letters included.
              </span>
            </div>
            {error && (
              <div className="alert alert-error" role="alert">
                {error}
              </div>
            )}
            <div className="form-actions">
              <button type="submit" className="btn btn-sm btn-danger" disabled={!matches || busy} data-testid="delete-workspace-confirm">
                {busy ? 'Deleting…' : 'Delete this workspace'}
              </button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={cancel} disabled={busy}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
