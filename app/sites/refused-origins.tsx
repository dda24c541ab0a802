'use client';
// Site settings: the origins whose pages tried this site's key lately and were refused, with a
// one-click "Allow this origin". Refreshed every 5 s while the page is open.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { relativeTime } from '../team/format';
import './sites.css';

export interface RefusedOriginJson {
  origin: string;
  count: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

interface Props {
  siteId: string;
  initial: RefusedOriginJson[];
  initialNow: number;
}

export function RefusedOrigins({ siteId, initial, initialNow }: Props) {
  const router = useRouter();
  const [origins, setOrigins] = useState(initial);
  const [now, setNow] = useState({ server: initialNow, local: Date.now() });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const res = await fetch(`/api/sites/${siteId}/refused-origins`, { cache: 'no-store' });
        const body = (await res.json().catch(() => null)) as { ok: true; now: number; origins: RefusedOriginJson[] } | { ok: false } | null;
        if (!stopped && body?.ok) {
          setOrigins(body.origins);
          setNow({ server: body.now, local: Date.now() });
        }
      } catch {
        // try again at the next tick
      }
    };
    const timer = setInterval(poll, 5_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [siteId]);

  async function allow(origin: string) {
    setBusy(origin);
    setMessage(null);
    try {
      const res = await fetch(`/api/sites/${siteId}/refused-origins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ origin }),
      });
      const body = (await res.json().catch(() => null)) as { ok: true } | { ok: false; message: string } | null;
      if (!body?.ok) {
        setMessage({ kind: 'error', text: body && !body.ok ? body.message : 'Could not allow it. Try again.' });
        return;
      }
      setOrigins((list) => list.filter((o) => o.origin !== origin));
      setMessage({ kind: 'success', text: `${origin} is allowed. Its pages connect from their next load.` });
      router.refresh(); // the origins form shows it too
    } catch {
      setMessage({ kind: 'error', text: 'Could not reach Porchlight. Check your connection and try again.' });
    } finally {
      setBusy(null);
    }
  }

  const serverNow = now.server + (Date.now() - now.local);
  return (
    <section className="card" aria-labelledby="refused-title" id="refused-origins" data-testid="refused-origins">
      <div className="card-header">
        <div>
          <h2 id="refused-title">Refused origins</h2>
          <p>Pages that used this site&apos;s key from an origin it does not allow, in the last 7 days.</p>
        </div>
      </div>
      <div className="card-body">
        {origins.length === 0 ? (
          <p className="hint" data-testid="refused-empty">
            Nothing refused lately. If the snippet is on a page whose origin is not in the list above, it shows up here within seconds.
          </p>
        ) : (
          <ul className="refused-list">
            {origins.map((r) => (
              <li key={r.origin} className="refused-row" data-testid="refused-row">
                <div className="refused-text">
                  <span className="install-origin" data-testid="refused-origin">
                    {r.origin}
                  </span>
                  <span className="hint">
                    {r.count === 1 ? '1 refused connection' : `${r.count} refused connections`} · last one {relativeTime(r.lastSeenAt, serverNow)}
                  </span>
                </div>
                <button type="button" className="btn btn-sm" onClick={() => allow(r.origin)} disabled={busy !== null} data-testid="allow-origin">
                  {busy === r.origin ? 'Allowing…' : 'Allow this origin'}
                </button>
              </li>
            ))}
          </ul>
        )}
        {message && (
          <div className={`alert ${message.kind === 'error' ? 'alert-error' : 'alert-success'} refused-message`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </div>
        )}
      </div>
    </section>
  );
}
