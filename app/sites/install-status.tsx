'use client';
// The Install page's live answer to "does it work?": waiting for the first visitor, then
// "Installed: seen on https://… 2 minutes ago". Polls the server (the database is where every
// process's observations meet): every 3 s while waiting, every 30 s once installed.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { relativeTime } from '../team/format';
import './sites.css';

export interface InstallStatusData {
  /** The server's clock when it answered (times are compared with it, not the browser's). */
  now: number;
  lastSeen: { origin: string; at: number } | null;
  refused: { origin: string; count: number; lastSeenAt: number }[];
}

interface Props {
  siteId: string;
  initial: InstallStatusData;
  /** The viewer may change settings (owner, admin): refused origins link to them. */
  canSettings: boolean;
}

export function InstallStatus({ siteId, initial, canSettings }: Props) {
  const [data, setData] = useState(initial);
  // Browser time when `data` arrived: "ago" advances with it between polls.
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [, setTick] = useState(0);
  const installed = data.lastSeen !== null;

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const res = await fetch(`/api/sites/${siteId}/install-status`, { cache: 'no-store' });
        if (!res.ok) return;
        const body = (await res.json()) as ({ ok: true } & InstallStatusData) | { ok: false };
        if (!stopped && body.ok) {
          setData({ now: body.now, lastSeen: body.lastSeen, refused: body.refused });
          setReceivedAt(Date.now());
        }
      } catch {
        // offline for a moment: the next poll tries again
      }
    };
    const timer = setInterval(poll, installed ? 30_000 : 3_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [siteId, installed]);

  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => clearInterval(t);
  }, []);

  const serverNow = data.now + (Date.now() - receivedAt);
  return (
    <div className="install-status-wrap">
      <div className={`install-status ${installed ? 'is-installed' : 'is-waiting'}`} data-testid="install-status" data-state={installed ? 'installed' : 'waiting'} role="status" aria-live="polite">
        <span className="install-dot" aria-hidden="true" />
        {data.lastSeen ? (
          <div className="install-status-text">
            <strong>
              Installed: seen on <span className="install-origin">{data.lastSeen.origin}</span> {relativeTime(data.lastSeen.at, serverNow)}
            </strong>
            <span>The snippet is working. Visitors show in Live visitors as they arrive.</span>
          </div>
        ) : (
          <div className="install-status-text">
            <strong>Waiting for the first visitor</strong>
            <span>Open a page of your site that has the snippet: this changes within a few seconds, no reload needed.</span>
          </div>
        )}
      </div>
      {data.refused.length > 0 && (
        <div className="alert alert-error install-refused" data-testid="install-refused">
          <strong>Pages on origins this site does not allow tried to connect:</strong>
          <ul>
            {data.refused.map((r) => (
              <li key={r.origin}>
                <span className="install-origin">{r.origin}</span> · {r.count === 1 ? 'once' : `${r.count} times`}, {relativeTime(r.lastSeenAt, serverNow)}
              </li>
            ))}
          </ul>
          {canSettings ? (
            <span>
              If that is your site, <Link href={`/sites/${siteId}/settings#refused-origins`}>allow it in Settings</Link>.
            </span>
          ) : (
            <span>If that is your site, ask an owner or admin to allow it in the site settings.</span>
          )}
        </div>
      )}
    </div>
  );
}
