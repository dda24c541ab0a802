'use client';
// "Assign to…": take a conversation over, hand it to a colleague (who is told), or unassign it.
// The members come from the server when the picker is first used; who is online is marked.
import { useState } from 'react';
import type { Assignee, ConversationSummary } from '../../server/protocol';
import { useAgentSocket } from '../lib/agent-socket';

const ACK_MS = 8_000;

export function AssigneePicker({ conversation: c, meId }: { conversation: ConversationSummary; meId: string }) {
  const { socket } = useAgentSocket();
  const [agents, setAgents] = useState<Assignee[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => {
    if (!socket || agents) return;
    socket.timeout(ACK_MS).emit('chat:assignees', { conversationId: c.id }, (err, r) => {
      if (!err && r.ok) setAgents(r.agents);
    });
  };
  const assign = (to: string | null) => {
    if (!socket) return;
    setBusy(true);
    setError(null);
    socket.timeout(ACK_MS).emit('chat:assign', { conversationId: c.id, to }, (err, r) => {
      setBusy(false);
      if (err || !r.ok) setError('Could not change who has this conversation. Try again.');
    });
  };

  const current = c.assignee?.id ?? '';
  const options = agents ?? (c.assignee ? [{ ...c.assignee, online: false }] : []);
  const hasMe = options.some((a) => a.id === meId);
  return (
    <>
      <select
        className="select select-sm assignee-select"
        aria-label="Assign this conversation"
        value={current}
        disabled={busy || !socket}
        onFocus={load}
        onPointerDown={load}
        onChange={(e) => assign(e.target.value || null)}
        data-testid="assignee-select"
      >
        <option value="">Unassigned</option>
        {!hasMe && <option value={meId}>Me</option>}
        {options.map((a) => (
          <option key={a.id} value={a.id}>
            {a.id === meId ? `${a.name} (me)` : a.name}
            {agents ? (a.online ? ' · online' : ' · offline') : ''}
          </option>
        ))}
      </select>
      {error && (
        <span className="assignee-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
