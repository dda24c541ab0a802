'use client';
// Connects the dashboard to /agent, watches one site and feeds the live store.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { Ack, AgentClientEvents, AgentServerEvents, PresenceDiff, VisitorDetails } from '../../server/protocol';
import { initialLiveState, liveReducer } from './live-store';

type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

const ACK_TIMEOUT_MS = 10_000;
const RETRY_WATCH_MS = 3_000;
/** Diffs are applied in small batches: one state update per burst instead of one per message. */
const BATCH_MS = 60;

export type DetailsResult = Ack<{ details: VisitorDetails }>;

export function useLiveSite(siteId: string) {
  const [state, dispatch] = useReducer(liveReducer, siteId, initialLiveState);
  const socketRef = useRef<AgentSocket | null>(null);

  useEffect(() => {
    const socket: AgentSocket = io('/agent', { withCredentials: true, reconnectionDelayMax: 5_000 });
    socketRef.current = socket;
    let buffer: PresenceDiff[] = [];
    let batchTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let closed = false;

    const flush = () => {
      batchTimer = null;
      if (buffer.length === 0) return;
      const diffs = buffer;
      buffer = [];
      dispatch({ type: 'diffs', diffs, receivedAt: Date.now() });
    };

    const watch = () => {
      if (closed || !socket.connected) return;
      socket.timeout(ACK_TIMEOUT_MS).emit('site:watch', { siteId }, (err, res) => {
        if (closed) return;
        if (err) {
          retryTimer = setTimeout(watch, RETRY_WATCH_MS);
          return;
        }
        if (!res.ok) {
          if (res.code === 'rate_limited' || res.code === 'internal') {
            retryTimer = setTimeout(watch, RETRY_WATCH_MS);
            return;
          }
          dispatch({ type: 'failed', message: 'This site is not available to your account any more.' });
          return;
        }
        flush(); // diffs received before the snapshot go into the pending buffer first
        dispatch({ type: 'snapshot', visitors: res.visitors, history: res.history, at: res.at, receivedAt: Date.now() });
      });
    };

    socket.on('connect', () => {
      dispatch({ type: 'connecting' });
      watch();
    });
    socket.on('disconnect', (reason) => {
      dispatch({ type: 'disconnected' });
      // The server closed us on purpose (e.g. a deploy): come back anyway; auth is re-checked.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized') {
        dispatch({ type: 'failed', message: 'Your session has expired. Log in again to keep watching.' });
        socket.disconnect();
      } else if (err.message === 'forbidden') {
        dispatch({ type: 'failed', message: 'This dashboard was opened from an address the server does not accept.' });
        socket.disconnect();
      } else {
        dispatch({ type: 'disconnected' });
      }
    });
    socket.on('presence:diff', (diff) => {
      buffer.push(diff);
      batchTimer ??= setTimeout(flush, BATCH_MS);
    });
    socket.on('presence:point', (p) => dispatch({ type: 'point', siteId: p.siteId, point: p.point }));

    const ticker = setInterval(() => dispatch({ type: 'tick', now: Date.now() }), 1_000);

    return () => {
      closed = true;
      clearInterval(ticker);
      if (batchTimer) clearTimeout(batchTimer);
      if (retryTimer) clearTimeout(retryTimer);
      if (socket.connected) socket.emit('site:unwatch', { siteId });
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [siteId]);

  /** This visit's trail, past visits and stored identity of one visitor. */
  const requestDetails = useCallback(
    (visitorId: string) =>
      new Promise<DetailsResult>((resolve) => {
        const socket = socketRef.current;
        if (!socket?.connected) return resolve({ ok: false, code: 'internal', message: 'Not connected' });
        socket.timeout(ACK_TIMEOUT_MS).emit('visitor:details', { siteId, visitorId }, (err, res) => {
          resolve(err ? { ok: false, code: 'internal', message: 'The server did not answer in time' } : res);
        });
      }),
    [siteId],
  );

  return { state, requestDetails };
}

/** The current time, updated every `everyMs` (for ticking durations). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
