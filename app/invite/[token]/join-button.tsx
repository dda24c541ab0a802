'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { authClient } from '../../lib/auth-client';
import { teamRequest } from '../../team/team-api';

/** Accepts the invitation for the signed-in user, then opens the workspace's sites. */
export function JoinButton({ token, workspaceName }: { token: string; workspaceName: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function join() {
    setBusy(true);
    setError(null);
    const res = await teamRequest<{ workspaceId: string }>('/api/invitations/accept', 'POST', { token });
    if (!res.ok) {
      setBusy(false);
      setError(res.message);
      // Used, revoked or expired in the meantime: reload so the page says which.
      if (res.code === 'gone' || res.code === 'not_found') router.refresh();
      return;
    }
    router.push('/sites');
    router.refresh();
  }

  return (
    <div className="invite-page-actions">
      <button type="button" className="btn btn-primary btn-block" onClick={() => void join()} disabled={busy} data-testid="join-workspace">
        {busy ? 'Joining…' : `Join ${workspaceName}`}
      </button>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="join-error">
          {error}
        </div>
      )}
    </div>
  );
}

/** Signs out and stays on the invitation, which then offers "Create an account" and "Sign in". */
export function SwitchAccountButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await authClient.signOut();
    } finally {
      setBusy(false);
      router.refresh();
    }
  }
  return (
    <button type="button" className="link-button" onClick={() => void signOut()} disabled={busy} data-testid="invite-switch-account">
      {busy ? 'Signing out…' : 'Sign out and use another account'}
    </button>
  );
}
