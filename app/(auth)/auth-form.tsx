'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '../lib/auth-client';

interface Props {
  mode: 'login' | 'signup';
  /** Where to go after signing in (already checked to be a local path). */
  next: string;
  demo?: { email: string; password: string } | null;
}

/** Same as server/password-rules.ts (not imported: it carries the common-password list). */
const MIN_PASSWORD = 10;

export function AuthForm({ mode, next, demo }: Props) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ name?: string; email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  function validate(): boolean {
    const errs: typeof fieldErrors = {};
    if (signup && !name.trim()) errs.name = 'Enter your name.';
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) errs.email = 'Enter a valid email address.';
    if (signup && password.length < MIN_PASSWORD) errs.password = `Use at least ${MIN_PASSWORD} characters.`;
    if (!signup && !password) errs.password = 'Enter your password.';
    setFieldErrors(errs);
    return Object.keys(errs).length === 0;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!validate()) return;
    setBusy(true);
    try {
      const res = signup
        ? await authClient.signUp.email({ name: name.trim(), email: email.trim(), password })
        : await authClient.signIn.email({ email: email.trim(), password });
      if (res.error) {
        setError(messageFor(res.error, signup));
        setBusy(false);
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError('Could not reach Porchlight. Check your connection and try again.');
      setBusy(false);
    }
  }

  function useDemo() {
    if (!demo) return;
    setEmail(demo.email);
    setPassword(demo.password);
    setFieldErrors({});
  }

  return (
    <>
      <div className="card auth-card">
        <h1>{signup ? 'Create your account' : 'Log in to Porchlight'}</h1>
        <p>{signup ? 'See who is on your website right now, in one script tag.' : 'Welcome back. See who is on your website right now.'}</p>
        <form className="form" onSubmit={submit} noValidate>
          {signup && (
            <div className="field">
              <label className="label" htmlFor="name">
                Your name
              </label>
              <input
                id="name"
                className="input"
                autoComplete="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                aria-invalid={!!fieldErrors.name}
                aria-describedby={fieldErrors.name ? 'name-error' : undefined}
                maxLength={100}
                autoFocus
              />
              {fieldErrors.name && (
                <span className="field-error" id="name-error">
                  {fieldErrors.name}
                </span>
              )}
            </div>
          )}
          <div className="field">
            <label className="label" htmlFor="email">
              Work email
            </label>
            <input
              id="email"
              className="input"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={!!fieldErrors.email}
              aria-describedby={fieldErrors.email ? 'email-error' : undefined}
              maxLength={254}
              autoFocus={!signup}
            />
            {fieldErrors.email && (
              <span className="field-error" id="email-error">
                {fieldErrors.email}
              </span>
            )}
          </div>
          <div className="field">
            <label className="label" htmlFor="password">
              Password
            </label>
            <input
              id="password"
              className="input"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={!!fieldErrors.password}
              aria-describedby={fieldErrors.password ? 'password-error' : signup ? 'password-hint' : undefined}
              minLength={signup ? MIN_PASSWORD : undefined}
              maxLength={128}
            />
            {fieldErrors.password ? (
              <span className="field-error" id="password-error">
                {fieldErrors.password}
              </span>
            ) : (
              signup && (
                <span className="hint" id="password-hint">
                  At least {MIN_PASSWORD} characters, not a common password.
                </span>
              )
            )}
          </div>
          {error && (
            <div className="alert alert-error" role="alert" data-testid="auth-error">
              {error}
            </div>
          )}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? (signup ? 'Creating account…' : 'Logging in…') : signup ? 'Create account' : 'Log in'}
          </button>
        </form>
        {demo && !signup && (
          <div className="alert alert-info demo-hint" data-testid="demo-hint">
            <span>
              Demo account: <code>{demo.email}</code> / <code>{demo.password}</code>
            </span>
            <button type="button" className="btn btn-sm" onClick={useDemo}>
              Fill in
            </button>
          </div>
        )}
      </div>
      <p className="auth-switch">
        {signup ? (
          <>
            Already have an account? <Link href={withNext('/login', next)}>Log in</Link>
          </>
        ) : (
          <>
            New to Porchlight? <Link href={withNext('/signup', next)}>Create an account</Link>
          </>
        )}
      </p>
    </>
  );
}

function withNext(path: string, next: string): string {
  return next === '/sites' ? path : `${path}?next=${encodeURIComponent(next)}`;
}

function messageFor(err: { code?: string; message?: string; status?: number }, signup: boolean): string {
  const code = err.code ?? '';
  if (code === 'INVALID_EMAIL_OR_PASSWORD' || err.status === 401) return 'That email and password do not match an account.';
  if (code === 'USER_ALREADY_EXISTS' || code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') return 'An account with this email already exists. Log in instead.';
  if (code === 'PASSWORD_TOO_SHORT') return `Use at least ${MIN_PASSWORD} characters.`;
  if (code === 'PASSWORD_TOO_COMMON') return err.message || 'This password is too common. Choose another one.';
  if (code === 'PASSWORD_TOO_LONG') return 'That password is too long (128 characters at most).';
  if (code === 'INVALID_EMAIL') return 'Enter a valid email address.';
  if (err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  return err.message || (signup ? 'Could not create the account.' : 'Could not log in.');
}
