'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { InvitationView } from '../../server/team/team-types';
import { ROLE_LABEL, formatExact, relativeTime } from './format';
import { InviteLink } from './invite-link';
import { teamRequest } from './team-api';
import './team.css';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** Pending invitations, with Resend (a new link; the old one stops working) and Revoke. */
export function InvitationsList({
  invitations,
  now,
  onLinkChanged,
}: {
  invitations: InvitationView[];
  now: number;
  /** An invitation's link stopped working (resent or revoked). */
  onLinkChanged?: (invitationId: string) => void;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [fresh, setFresh] = useState<Record<string, { invitation: InvitationView; link: string }>>({});
  const [revoked, setRevoked] = useState<ReadonlySet<string>>(new Set());
  const shown = invitations.filter((i) => !revoked.has(i.id));

  async function resend(inv: InvitationView) {
    setBusy(inv.id);
    setNotice(null);
    const res = await teamRequest<{ invitation: InvitationView; link: string }>(`/api/team/invitations/${encodeURIComponent(inv.id)}/resend`, 'POST');
    setBusy(null);
    if (!res.ok) {
      setNotice({ kind: 'error', text: `Could not resend the invitation to ${inv.email}: ${res.message}` });
      return;
    }
    setFresh((f) => ({ ...f, [inv.id]: { invitation: res.invitation, link: res.link } }));
    onLinkChanged?.(inv.id);
    setNotice({ kind: 'ok', text: `New link for ${inv.email}. The previous link no longer works.` });
    router.refresh();
  }

  async function revoke(inv: InvitationView) {
    setBusy(inv.id);
    setNotice(null);
    const res = await teamRequest<object>(`/api/team/invitations/${encodeURIComponent(inv.id)}`, 'DELETE');
    setBusy(null);
    if (!res.ok) {
      setNotice({ kind: 'error', text: `Could not revoke the invitation to ${inv.email}: ${res.message}` });
      return;
    }
    setRevoked((r) => new Set(r).add(inv.id));
    onLinkChanged?.(inv.id);
    setNotice({ kind: 'ok', text: `The invitation to ${inv.email} was revoked. Its link no longer works.` });
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="pending-title" data-testid="pending-invitations">
      <div className="card-header">
        <div>
          <h2 id="pending-title">Pending invitations</h2>
          <p>{shown.length === 0 ? 'Nobody is waiting to join.' : 'Links that have not been used yet.'}</p>
        </div>
      </div>
      <div className="card-body">
        <div role="status" aria-live="polite">
          {notice?.kind === 'ok' && <div className="alert alert-success team-list-notice">{notice.text}</div>}
        </div>
        {notice?.kind === 'error' && (
          <div className="alert alert-error team-list-notice" role="alert">
            {notice.text}
          </div>
        )}
        {shown.length > 0 && (
          <ul className="invite-list">
            {shown.map((inv) => {
              const renewed = fresh[inv.id];
              const current = renewed?.invitation ?? inv;
              const expired = current.expiresAt <= now;
              return (
                <li key={inv.id} className="invite-item" data-testid="invitation-row" data-invitation-id={inv.id}>
                  <div className="invite-main">
                    <div className="invite-who">
                      <strong className="team-clip" title={inv.email}>
                        {inv.email}
                      </strong>
                      <span className={`badge role-badge role-${inv.role}`}>{ROLE_LABEL[inv.role]}</span>
                    </div>
                    <div className="invite-meta">
                      <span>Invited by {inv.invitedByName || 'a former member'}</span>
                      <span aria-hidden="true"> · </span>
                      <span className={expired ? 'invite-expired' : undefined}>
                        {expired ? 'Expired ' : 'Expires '}
                        <time dateTime={new Date(current.expiresAt).toISOString()} title={formatExact(current.expiresAt)}>
                          {relativeTime(current.expiresAt, now)}
                        </time>
                      </span>
                    </div>
                  </div>
                  <div className="invite-actions">
                    <button
                      type="button"
                      className="btn btn-sm"
                      onClick={() => void resend(inv)}
                      disabled={busy !== null}
                      aria-label={`Resend invitation to ${inv.email}`}
                      data-testid="resend-invitation"
                    >
                      {busy === inv.id ? 'Working…' : 'Resend'}
                    </button>
                    <button
                      type="button"
                      className="btn btn-sm btn-ghost team-remove"
                      onClick={() => void revoke(inv)}
                      disabled={busy !== null}
                      aria-label={`Revoke invitation to ${inv.email}`}
                      data-testid="revoke-invitation"
                    >
                      Revoke
                    </button>
                  </div>
                  {renewed && (
                    <div className="invite-fresh">
                      <InviteLink invitation={renewed.invitation} link={renewed.link} title="New link created." />
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
