import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { services } from '../../../server/services';
import type { InvitationLookup } from '../../../server/team/team-types';
import { Brand } from '../../components/brand';
import { currentUser } from '../../lib/session';
import { formatDay, roleInSentence } from '../../team/format';
import { JoinButton, SwitchAccountButton } from './join-button';
import '../../team/team.css';

export const metadata: Metadata = { title: 'Invitation', robots: { index: false, follow: false } };

/** Longer than any token we hand out: not worth a lookup. */
const MAX_TOKEN = 512;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup: InvitationLookup = token.length <= MAX_TOKEN ? await services().team.invitation(token) : { status: 'unknown' };
  const user = await currentUser();
  const here = `/invite/${encodeURIComponent(token)}`;
  return (
    <main className="auth-shell">
      <div className="auth-box">
        <div className="auth-brand">
          <Brand href={user ? '/sites' : '/'} />
        </div>
        <div className="card auth-card invite-page-card" data-testid="invite-page" data-status={lookup.status}>
          {lookup.status === 'valid' ? <Valid lookup={lookup} signedIn={user} token={token} here={here} /> : <NotValid lookup={lookup} signedIn={!!user} />}
        </div>
      </div>
    </main>
  );
}

function Valid({ lookup, signedIn, token, here }: { lookup: InvitationLookup; signedIn: { name: string; email: string } | null; token: string; here: string }) {
  const workspace = lookup.workspaceName || 'a workspace';
  const role = lookup.role ?? 'agent';
  const next = encodeURIComponent(here);
  return (
    <>
      <h1>Join {workspace} on Porchlight</h1>
      <p className="invite-lead" data-testid="invite-lead">
        <strong>{lookup.invitedByName || 'Someone'}</strong> invited you to join <strong>{workspace}</strong> as {roleInSentence(role)}.
      </p>
      {signedIn ? (
        <>
          <JoinButton token={token} workspaceName={workspace} />
          <p className="invite-page-note">
            You are signed in as {signedIn.email}.{' '}
            {lookup.email && lookup.email.toLowerCase() !== signedIn.email.toLowerCase() && (
              <>This invitation was sent to {lookup.email}. </>
            )}
            Not you? <SwitchAccountButton />.
          </p>
        </>
      ) : (
        <>
          <div className="invite-page-actions">
            <Link className="btn btn-primary btn-block" href={`/signup?next=${next}`} data-testid="invite-signup">
              Create an account
            </Link>
            <Link className="btn btn-block" href={`/login?next=${next}`} data-testid="invite-login">
              Sign in
            </Link>
          </div>
          <p className="invite-page-note">
            {lookup.email ? <>This invitation was sent to {lookup.email}. </> : null}
            {lookup.expiresAt ? <>The link works until {formatDay(lookup.expiresAt)}.</> : null}
          </p>
        </>
      )}
    </>
  );
}

function NotValid({ lookup, signedIn }: { lookup: InvitationLookup; signedIn: boolean }) {
  let title: string;
  let text: ReactNode;
  switch (lookup.status) {
    case 'used':
      title = 'Invitation already used';
      text = 'This invitation was already used.';
      break;
    case 'revoked':
      title = 'Invitation revoked';
      text = 'This invitation was revoked. Ask for a new one.';
      break;
    case 'expired':
      title = 'Invitation expired';
      text = lookup.expiresAt ? `This invitation expired on ${formatDay(lookup.expiresAt)}. Ask for a new one.` : 'This invitation expired. Ask for a new one.';
      break;
    default:
      title = 'Invitation not found';
      text = 'This invitation link is not valid.';
  }
  return (
    <>
      <h1>{title}</h1>
      <p className="invite-lead" data-testid="invite-lead">
        {text}
      </p>
      {signedIn ? (
        <Link className="btn btn-primary" href="/sites">
          Go to your sites
        </Link>
      ) : (
        <Link className="btn btn-primary" href="/login">
          Sign in
        </Link>
      )}
    </>
  );
}
