'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { formatExact, relativeTime } from '../team/format';
import { authClient } from '../lib/auth-client';
import type { SessionView } from './account-data';
import { NETWORK_ERROR, authErrorText } from './auth-errors';
import './account.css';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

interface Props {
  sessions: SessionView[];
  /** The server's render time: relative times are computed from it on both sides. */
  now: number;
}

/** Where the user is signed in; ending another browser's session signs it out at once. */
export function SessionsList({ sessions, now }: Props) {
  const router = useRouter();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Sessions ended here, hidden until the server's list catches up.
  const [ended, setEnded] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const shown = sessions.filter((s) => !ended.has(s.id));
  const others = shown.filter((s) => !s.current);

  async function run(key: string, call: () => Promise<{ error: { code?: string; message?: string; status: number } | null }>, ids: string[], done: string) {
    setBusy(key);
    setNotice(null);
    try {
      const res = await call();
      if (res.error) {
        setNotice({ kind: 'error', text: authErrorText(res.error, 'Could not sign that browser out.') });
        return;
      }
      setEnded((prev) => new Set([...prev, ...ids]));
      setNotice({ kind: 'ok', text: done });
      headingRef.current?.focus();
      router.refresh();
    } catch {
      setNotice({ kind: 'error', text: NETWORK_ERROR });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card account-card" aria-labelledby="sessions-title" data-testid="account-sessions">
      <div className="card-header account-sessions-header">
        <div>
          <h2 id="sessions-title" ref={headingRef} tabIndex={-1}>
            Where you are signed in
          </h2>
          <p>
            {shown.length === 1 ? 'Only in this browser.' : `${shown.length} browsers.`} Signing a browser out closes its dashboard at once.
          </p>
        </div>
        {others.length > 0 && (
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy !== null}
            onClick={() =>
              void run(
                'others',
                () => authClient.revokeOtherSessions(),
                others.map((s) => s.id),
                others.length === 1 ? 'The other browser was signed out.' : `${others.length} other browsers were signed out.`,
              )
            }
            data-testid="sessions-sign-out-others"
          >
            {busy === 'others' ? 'Signing out…' : 'Sign out of all other browsers'}
          </button>
        )}
      </div>
      <div className="account-status account-sessions-notice" role="status" aria-live="polite">
        {notice?.kind === 'ok' && <div className="alert alert-success">{notice.text}</div>}
      </div>
      {notice?.kind === 'error' && (
        <div className="account-sessions-notice">
          <div className="alert alert-error" role="alert">
            {notice.text}
          </div>
        </div>
      )}
      <ul className="account-sessions" data-testid="sessions-list">
        {shown.map((s) => {
          const what = describe(s);
          return (
            <li key={s.id} className="account-session" data-testid="session-row" data-current={s.current ? 'true' : 'false'}>
              <span className="account-session-icon" aria-hidden="true">
                <DeviceIcon type={s.device.type} />
              </span>
              <div className="account-session-main">
                <div className="account-session-what">
                  <strong>{what}</strong>
                  {s.current && <span className="badge account-this-badge">This browser</span>}
                </div>
                <div className="account-session-meta">
                  <span>{s.ip ? `IP ${s.ip}` : 'IP unknown'}</span>
                  <span>
                    Signed in{' '}
                    <time dateTime={new Date(s.createdAt).toISOString()} title={formatExact(s.createdAt)}>
                      {relativeTime(s.createdAt, now)}
                    </time>
                  </span>
                  <span>
                    {s.current ? (
                      'Active now'
                    ) : (
                      <>
                        Last active{' '}
                        <time dateTime={new Date(s.lastActiveAt).toISOString()} title={formatExact(s.lastActiveAt)}>
                          {relativeTime(s.lastActiveAt, now)}
                        </time>
                      </>
                    )}
                  </span>
                </div>
              </div>
              {!s.current && (
                <button
                  type="button"
                  className="btn btn-sm btn-ghost account-session-out"
                  aria-label={`Sign out ${what}`}
                  disabled={busy !== null}
                  onClick={() => void run(s.id, () => authClient.revokeSession({ token: s.token }), [s.id], `${what} was signed out.`)}
                  data-testid="session-sign-out"
                >
                  {busy === s.id ? 'Signing out…' : 'Sign out'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Chrome 126 on macOS", "Safari on iOS 17", "Unknown browser". */
function describe(s: SessionView): string {
  const browser = s.device.browser === 'Unknown' ? 'Unknown browser' : s.device.browser;
  return s.device.os === 'Unknown' ? browser : `${browser} on ${s.device.os}`;
}

function DeviceIcon({ type }: { type: SessionView['device']['type'] }) {
  if (type === 'mobile' || type === 'tablet') {
    return (
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <rect x={type === 'tablet' ? 4 : 6} y="2.5" width={type === 'tablet' ? 16 : 12} height="19" rx="2.5" />
        <path d="M11 18h2" />
      </svg>
    );
  }
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}
