'use client';
// The workspace's assignment mode: round-robin to online agents, or the first to reply.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { AssignmentMode } from '../../server/chat/assignment';

const CHOICES: { mode: AssignmentMode; label: string; hint: string }[] = [
  { mode: 'round_robin', label: 'Round-robin', hint: 'Each new conversation goes to the next online agent in turn.' },
  { mode: 'first_reply', label: 'First to reply', hint: 'New conversations wait unassigned; the first agent who answers gets them.' },
];

export function AssignmentSetting({ mode, canEdit }: { mode: AssignmentMode; canEdit: boolean }) {
  const router = useRouter();
  const [value, setValue] = useState(mode);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const save = async (next: AssignmentMode) => {
    const before = value;
    setValue(next);
    setStatus(null);
    const res = await fetch('/api/team/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ assignmentMode: next }) }).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { ok?: boolean; message?: string } | null;
    if (!res?.ok || !body?.ok) {
      setValue(before);
      setStatus({ kind: 'error', text: body?.message ?? 'Could not save. Try again.' });
      return;
    }
    setStatus({ kind: 'ok', text: 'Saved.' });
    router.refresh();
  };

  return (
    <section className="card" aria-labelledby="assignment-title" data-testid="assignment-setting">
      <div className="card-header">
        <div>
          <h2 id="assignment-title">New conversations</h2>
          <p>Who gets a conversation a visitor starts. Anyone can take one over or hand it on from the conversation.</p>
        </div>
      </div>
      <div className="card-body">
        <fieldset className="assignment-choices" disabled={!canEdit}>
          <legend className="sr-only">Assignment</legend>
          {CHOICES.map((c) => (
            <label key={c.mode} className="assignment-choice">
              <input type="radio" name="assignment" value={c.mode} checked={value === c.mode} onChange={() => void save(c.mode)} />
              <span>
                <strong>{c.label}</strong>
                <span className="hint">{c.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {!canEdit && <p className="hint">Owners and admins change this.</p>}
        {status && (
          <p className={status.kind === 'error' ? 'field-error' : 'hint'} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
      </div>
    </section>
  );
}
