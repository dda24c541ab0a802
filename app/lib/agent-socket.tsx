'use client';
// One /agent socket per dashboard tab, shared by the live page and the call dock. It lives in the
// (app) layout, so it (and a call on it) survives client-side navigation between dashboard pages.
// Users of the socket add and remove their own listeners; only this provider connects,
// reconnects and closes it.
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { AgentClientEvents, AgentServerEvents } from '../../server/protocol';

export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

export interface AgentSocketContext {
  /** Null during server rendering only. */
  socket: AgentSocket | null;
  /** Why the socket gave up for good (session expired, refused origin); null otherwise. */
  failure: string | null;
  /** The signed-in user the socket is opened as (to tell "me" from colleagues). */
  userId: string | null;
}

const Ctx = createContext<AgentSocketContext>({ socket: null, failure: null, userId: null });

export const FAILURE_MESSAGES: Record<string, string> = {
  unauthorized: 'Your session has expired. Log in again to keep watching.',
  forbidden: 'This dashboard was opened from an address the server does not accept.',
  not_member: 'You are no longer a member of this workspace. Reload the page to continue.',
};

/**
 * `workspaceId` is the workspace the page shows (null: the user has none yet): the socket works in
 * that one only. Switching workspaces re-renders the layout with another id, and the socket
 * reconnects to it (listeners stay; each user of the socket re-syncs on connect).
 */
export function AgentSocketProvider({ userId, workspaceId, children }: { userId: string; workspaceId: string | null; children: ReactNode }) {
  // Created on the first client render (not connected yet) so children's effects can add their
  // listeners before it connects; connected in the effect below.
  const [socket] = useState<AgentSocket | null>(() =>
    typeof window === 'undefined'
      ? null
      : io('/agent', { withCredentials: true, reconnectionDelayMax: 5_000, autoConnect: false, auth: workspaceId ? { workspaceId } : {} }),
  );
  const boundTo = useRef(workspaceId);
  useEffect(() => {
    if (!socket || boundTo.current === workspaceId) return;
    boundTo.current = workspaceId;
    socket.auth = workspaceId ? { workspaceId } : {};
    if (socket.active) socket.disconnect().connect();
  }, [socket, workspaceId]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!socket) return;
    const onDisconnect = (reason: string) => {
      // The server closed us on purpose (e.g. a deploy): come back anyway; auth is re-checked.
      if (reason === 'io server disconnect') socket.connect();
    };
    const onConnectError = (err: Error) => {
      const message = FAILURE_MESSAGES[err.message];
      if (!message) return; // network trouble: socket.io retries by itself
      setFailure(message);
      socket.disconnect();
    };
    const onConnect = () => setFailure(null);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('connect', onConnect);
    socket.connect();
    return () => {
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('connect', onConnect);
      socket.disconnect();
    };
  }, [socket]);

  const value = useMemo(() => ({ socket, failure, userId }), [socket, failure, userId]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAgentSocket(): AgentSocketContext {
  return useContext(Ctx);
}
