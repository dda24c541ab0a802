'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { authClient } from '../lib/auth-client';
import { NETWORK_ERROR, authErrorText } from './auth-errors';
import './account.css';

interface Props {
  name: string;
  email: string;
  /** A verified address can only change through a confirmation email, which this server does not send. */
  emailVerified: boolean;
}

type FieldErrors = { name?: string; email?: string };

const MAX_NAME = 100;

/** Name (better-auth's updateUser) and email (changeEmail) in one form. */
export function ProfileForm({ name: savedName, email: savedEmail, emailVerified }: Props) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(savedName);
  const [email, setEmail] = useState(savedEmail);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: 'success' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setStatus(null);
    const nextName = name.trim();
    const nextEmail = email.trim().toLowerCase();
    const errs: FieldErrors = {};
    if (!nextName) errs.name = 'Enter your name.';
    else if (nextName.length > MAX_NAME) errs.name = `Use at most ${MAX_NAME} characters.`;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(nextEmail)) errs.email = 'Enter a valid email address.';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;

    const nameChanged = nextName !== savedName;
    const emailChanged = nextEmail !== savedEmail.toLowerCase();
    if (!nameChanged && !emailChanged) {
      setStatus({ kind: 'info', text: 'Nothing to save: your name and email are unchanged.' });
      return;
    }
    setBusy(true);
    try {
      const saved: string[] = [];
      if (nameChanged) {
        const res = await authClient.updateUser({ name: nextName });
        if (res.error) {
          setErrors({ name: authErrorText(res.error, 'Could not save your name.') });
          return;
        }
        saved.push('name');
      }
      if (emailChanged) {
        const problem = await changeEmail(nextEmail);
        if (problem) {
          setErrors({ email: problem });
          if (saved.length > 0) {
            setStatus({ kind: 'success', text: 'Your name was saved.' });
            router.refresh();
          }
          return;
        }
        saved.push('email');
      }
      setName(nextName);
      setEmail(nextEmail);
      setStatus({ kind: 'success', text: saved.length === 2 ? 'Your name and email were saved.' : `Your ${saved[0]} was saved.` });
      // The header and everything else rendered on the server show the new name and email.
      router.refresh();
    } catch {
      setFormError(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  }

  /** Changes the email; a sentence for the user when it did not change. */
  async function changeEmail(newEmail: string): Promise<string | null> {
    if (emailVerified) {
      return 'Your email address is verified, and changing it needs a confirmation email, which this server does not send. Ask your administrator.';
    }
    const res = await authClient.changeEmail({ newEmail, callbackURL: '/account' });
    if (res.error) return authErrorText(res.error, 'Could not change your email address.');
    // better-auth answers the same whether or not another account already has this address (so
    // nobody can probe for accounts); the session tells whether the change took.
    const after = await authClient.getSession({ query: { disableCookieCache: true } });
    if (after.data?.user.email.toLowerCase() !== newEmail) {
      return 'This email address cannot be used. Another account may already have it.';
    }
    return null;
  }

  const nameErr = `${id}-name-error`;
  const emailErr = `${id}-email-error`;
  return (
    <form className="form account-form" onSubmit={submit} noValidate data-testid="profile-form">
      <div className="field">
        <label className="label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? nameErr : undefined}
          maxLength={MAX_NAME}
          data-testid="profile-name"
        />
        {errors.name && (
          <span className="field-error" id={nameErr} role="alert">
            {errors.name}
          </span>
        )}
      </div>
      <div className="field">
        <label className="label" htmlFor={`${id}-email`}>
          Email
        </label>
        <input
          id={`${id}-email`}
          className="input"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={!!errors.email}
          aria-describedby={errors.email ? emailErr : `${id}-email-hint`}
          maxLength={254}
          data-testid="profile-email"
        />
        {errors.email ? (
          <span className="field-error" id={emailErr} role="alert">
            {errors.email}
          </span>
        ) : (
          <span className="hint" id={`${id}-email-hint`}>
            You log in with this address.
          </span>
        )}
      </div>
      {formError && (
        <div className="alert alert-error" role="alert">
          {formError}
        </div>
      )}
      <div className="form-actions account-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="profile-save">
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        <span className={`account-saved${status?.kind === 'info' ? ' is-info' : ''}`} role="status" aria-live="polite" data-testid="profile-status">
          {status?.text}
        </span>
      </div>
    </form>
  );
}
