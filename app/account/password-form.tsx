'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { authClient } from '../lib/auth-client';
import { NETWORK_ERROR, authErrorText } from './auth-errors';
import './account.css';

/** Same as server/password-rules.ts (not imported: it carries the common-password list). */
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 128;

type FieldErrors = { current?: string; next?: string; confirm?: string };

/**
 * better-auth's changePassword. With "Sign out of other browsers" the server ends every other
 * session of the user (their open dashboards close at once) and gives this browser a new one.
 */
export function PasswordForm({ email }: { email: string }) {
  const router = useRouter();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setStatus('');
    const errs: FieldErrors = {};
    if (!current) errs.current = 'Enter your current password.';
    if (next.length < MIN_PASSWORD) errs.next = `Use at least ${MIN_PASSWORD} characters.`;
    else if (next.length > MAX_PASSWORD) errs.next = `Use at most ${MAX_PASSWORD} characters.`;
    else if (next === current) errs.next = 'Choose a password different from your current one.';
    if (!errs.next && confirm !== next) errs.confirm = 'The two new passwords do not match.';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;

    setBusy(true);
    try {
      const res = await authClient.changePassword({ currentPassword: current, newPassword: next, revokeOtherSessions: signOutOthers });
      if (res.error) {
        const code = res.error.code ?? '';
        if (code === 'INVALID_PASSWORD') setErrors({ current: 'That is not your current password.' });
        else if (code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG' || code === 'PASSWORD_TOO_COMMON') {
          setErrors({ next: res.error.message || 'Choose another password.' });
        } else setFormError(authErrorText(res.error, 'Could not change your password.'));
        return;
      }
      setCurrent('');
      setNext('');
      setConfirm('');
      setStatus(signOutOthers ? 'Your password was changed, and your other browsers were signed out.' : 'Your password was changed.');
      // The sessions list below is rendered on the server: show what is left.
      router.refresh();
    } catch {
      setFormError(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  }

  const ids = { current: `${id}-current`, next: `${id}-new`, confirm: `${id}-confirm` };
  return (
    <form className="form account-form" onSubmit={submit} noValidate data-testid="password-form">
      {/* For password managers: whose password this is. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="field">
        <label className="label" htmlFor={ids.current}>
          Current password
        </label>
        <input
          id={ids.current}
          className="input"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          aria-invalid={!!errors.current}
          aria-describedby={errors.current ? `${ids.current}-error` : undefined}
          maxLength={MAX_PASSWORD}
          data-testid="password-current"
        />
        {errors.current && (
          <span className="field-error" id={`${ids.current}-error`} role="alert">
            {errors.current}
          </span>
        )}
      </div>
      <div className="field">
        <label className="label" htmlFor={ids.next}>
          New password
        </label>
        <input
          id={ids.next}
          className="input"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-invalid={!!errors.next}
          aria-describedby={errors.next ? `${ids.next}-error` : `${ids.next}-hint`}
          maxLength={MAX_PASSWORD}
          data-testid="password-new"
        />
        {errors.next ? (
          <span className="field-error" id={`${ids.next}-error`} role="alert" data-testid="password-new-error">
            {errors.next}
          </span>
        ) : (
          <span className="hint" id={`${ids.next}-hint`}>
            At least {MIN_PASSWORD} characters, not a common password.
          </span>
        )}
      </div>
      <div className="field">
        <label className="label" htmlFor={ids.confirm}>
          Repeat the new password
        </label>
        <input
          id={ids.confirm}
          className="input"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={!!errors.confirm}
          aria-describedby={errors.confirm ? `${ids.confirm}-error` : undefined}
          maxLength={MAX_PASSWORD}
          data-testid="password-confirm"
        />
        {errors.confirm && (
          <span className="field-error" id={`${ids.confirm}-error`} role="alert">
            {errors.confirm}
          </span>
        )}
      </div>
      <div className="account-check">
        <input
          id={`${id}-others`}
          type="checkbox"
          checked={signOutOthers}
          onChange={(e) => setSignOutOthers(e.target.checked)}
          aria-describedby={`${id}-others-hint`}
          data-testid="password-sign-out-others"
        />
        <div>
          <label htmlFor={`${id}-others`}>Sign out of other browsers</label>
          <span className="hint" id={`${id}-others-hint`}>
            Everywhere else you are signed in must log in again with the new password.
          </span>
        </div>
      </div>
      {formError && (
        <div className="alert alert-error" role="alert">
          {formError}
        </div>
      )}
      <div className="form-actions account-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="password-save">
          {busy ? 'Changing…' : 'Change password'}
        </button>
        <span className="account-saved" role="status" aria-live="polite" data-testid="password-status">
          {status}
        </span>
      </div>
    </form>
  );
}
