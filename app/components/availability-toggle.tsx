'use client';
// Online / Away in the header. Away is the agent's choice (kept by the server for all their tabs);
// a tab hidden for `idleAfterMs` also stops counting as online until it is shown again.
import { useEffect, useState } from 'react';
import { useAgentSocket } from '../lib/agent-socket';

export function AvailabilityToggle({ idleAfterMs }: { idleAfterMs: number }) {
  const { socket } = useAgentSocket();
  const [away, setAway] = useState<boolean | null>(null);

  useEffect(() => {
    if (!socket) return;
    const onAvailability = (p: { away: boolean }) => setAway(p.away);
    socket.on('agent:availability', onAvailability);
    let idleTimer: ReturnType<typeof setTimeout> | null = null;
    let idle = false;
    const report = (next: boolean) => {
      if (idle === next) return;
      idle = next;
      if (socket.connected) socket.emit('agent:availability', { idle: next }, () => {});
    };
    const onVisibility = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      if (document.visibilityState === 'hidden') idleTimer = setTimeout(() => report(true), idleAfterMs);
      else report(false);
    };
    // A reconnected socket starts not idle on the server: say so again if this tab still is.
    const onConnect = () => {
      if (idle) socket.emit('agent:availability', { idle: true }, () => {});
    };
    document.addEventListener('visibilitychange', onVisibility);
    socket.on('connect', onConnect);
    onVisibility();
    return () => {
      socket.off('agent:availability', onAvailability);
      socket.off('connect', onConnect);
      document.removeEventListener('visibilitychange', onVisibility);
      if (idleTimer) clearTimeout(idleTimer);
    };
  }, [socket, idleAfterMs]);

  const toggle = () => {
    if (!socket || away === null) return;
    const next = !away;
    setAway(next);
    socket.emit('agent:availability', { away: next }, (r) => {
      if (r.ok) setAway(r.away);
      else setAway(!next);
    });
  };

  const label = away === null ? 'Connecting' : away ? 'Away' : 'Online';
  return (
    <button
      type="button"
      className={`availability ${away ? 'is-away' : away === false ? 'is-online' : ''}`}
      onClick={toggle}
      disabled={away === null}
      aria-label={away === null ? 'Availability: connecting' : `Availability: ${label}. Switch to ${away ? 'Online' : 'Away'}`}
      data-testid="availability"
      data-away={away === null ? undefined : String(away)}
      title={away ? 'Visitors see nobody online, and nothing rings for you. Click to go online.' : 'Visitors see you online. Click to go away.'}
    >
      <span className="availability-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
