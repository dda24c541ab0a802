'use client';
// Tells colleagues which visitor this tab has open (visitor:focus), for the faces on the live
// table's rows. The server keeps it on the socket, so it is said again after every reconnect,
// and taken back when the component goes away.
import { useEffect } from 'react';
import type { AttentionDoing } from '../../server/protocol';
import { useAgentSocket } from './agent-socket';

export function useVisitorFocus(doing: AttentionDoing, siteId: string | null, visitorId: string | null): void {
  const { socket } = useAgentSocket();
  useEffect(() => {
    if (!socket || !siteId || !visitorId) return;
    const say = () => socket.emit('visitor:focus', { doing, visitor: { siteId, visitorId } });
    socket.on('connect', say);
    if (socket.connected) say();
    return () => {
      socket.off('connect', say);
      if (socket.connected) socket.emit('visitor:focus', { doing, visitor: null });
    };
  }, [socket, doing, siteId, visitorId]);
}
