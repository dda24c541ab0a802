'use client';
// Site settings: rotate the site key. The old key keeps working for the chosen grace period
// (24 hours by default) so the owner can replace the snippet on their pages first.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { DEFAULT_GRACE_HOURS, GRACE_HOURS, GRACE_LABEL, type GraceHours } from './key-grace';
import './sites.css';

export function KeyRotation({ siteId }: { siteId: string }) {
  const router = useRouter();
  const id = useId();
  const [grace, setGrace] = useState<GraceHours>(DEFAULT_GRACE_HOURS);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/sites/${siteId}/key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ graceHours: grace }),
      });
      const body = (await res.json().catch(() => null)) as { ok: true } | { ok: false; message: string } | null;
      if (!body?.ok) {
        setError(body && !body.ok ? body.message : 'Could not rotate the key. Try again.');
        return;
      }
      setConfirming(false);
      setDone(true);
      router.refresh();
    } catch {
      setError('Could not reach Porchlight. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="key-rotation" data-testid="key-rotation">
      <label className="label" htmlFor={`${id}-grace`}>
        Rotate the site key
      </label>
      <select id={`${id}-grace`} className="select" value={grace} onChange={(e) => setGrace(Number(e.target.value) as GraceHours)} disabled={busy}>
        {GRACE_HOURS.map((h) => (
          <option key={h} value={h}>
            {GRACE_LABEL[h]}
          </option>
        ))}
      </select>
      {confirming ? (
        <div className="key-confirm" role="group" aria-label="Confirm key rotation">
          <p>
            {grace === 0
              ? 'Pages with the current snippet stop reporting visitors at once, and visitors on them are disconnected.'
              : `Pages with the current snippet keep working for ${grace === 168 ? '7 days' : grace === 1 ? '1 hour' : `${grace} hours`}; then they are refused and visitors still on them are disconnected.`}
          </p>
          <div className="key-confirm-actions">
            <button type="button" className="btn btn-sm btn-primary" onClick={rotate} disabled={busy} data-testid="confirm-rotate">
              {busy ? 'Rotating…' : 'Rotate the key'}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="btn btn-sm" onClick={() => (setDone(false), setConfirming(true))} data-testid="rotate-key">
          Rotate key…
        </button>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {done && (
        <div className="alert alert-success" role="status">
          New key created. Put the new snippet from <Link href={`/sites/${siteId}/install`}>Install</Link> on your pages.
        </div>
      )}
    </div>
  );
}
