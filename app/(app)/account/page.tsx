import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { services } from '../../../server/services';
import { activeSessions } from '../../account/account-data';
import { AvatarField } from '../../account/avatar-field';
import { PasswordForm } from '../../account/password-form';
import { ProfileForm } from '../../account/profile-form';
import { SessionsList } from '../../account/sessions-list';
import { requireUser } from '../../lib/session';
import '../../account/account.css';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requireUser('/account');
  // The full session: this browser's session id (to mark it in the list), the picture, and
  // whether the email is verified (which decides whether it can be changed without a mail).
  const current = await services().auth.api.getSession({ headers: await headers() });
  if (!current) redirect('/login?next=%2Faccount');
  const sessions = await activeSessions(user.id, current.session.id);
  // One clock for the whole render: relative times read the same on the server and in the browser.
  const now = Date.now();
  const name = current.user.name || current.user.email;
  return (
    <div className="page-narrow account-page">
      <div className="page-header">
        <div>
          <h1>Account</h1>
          <p>Your name, email, picture and password, and the browsers where you are signed in.</p>
        </div>
      </div>
      <div className="account-grid">
        <section className="card account-card" aria-labelledby="profile-title" data-testid="account-profile">
          <div className="card-header">
            <div>
              <h2 id="profile-title">Profile</h2>
              <p>How your team sees you. Visitors will see your name and picture in calls and chat.</p>
            </div>
          </div>
          <div className="card-body account-profile-body">
            <AvatarField image={current.user.image ?? null} name={name} />
            <ProfileForm name={current.user.name} email={current.user.email} emailVerified={current.user.emailVerified} />
          </div>
        </section>
        <section className="card account-card" aria-labelledby="password-title" data-testid="account-password">
          <div className="card-header">
            <div>
              <h2 id="password-title">Password</h2>
              <p>At least 10 characters, not a common password.</p>
            </div>
          </div>
          <div className="card-body">
            <PasswordForm email={current.user.email} />
          </div>
        </section>
      </div>
      <SessionsList sessions={sessions} now={now} />
    </div>
  );
}
