'use client';
// Watches one site on the dashboard's shared /agent socket (app/lib/agent-socket.tsx) and feeds
// the live store. The socket is shared with the call dock: only this hook's own listeners are
// added and removed here; the provider connects, reconnects and closes the socket.
import { startTransition, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Ack, PresenceDiff, PresencePoint, VisitorAttention, VisitorDetails } from '../../server/protocol';
import { FAILURE_MESSAGES, useAgentSocket, type AgentSocket } from '../lib/agent-socket';
import { NO_ATTENTION, applyAttention, attentionSnapshot, type AttentionMap } from './attention';
import { flushDelay, initialLiveState, liveReducer } from './live-store';

const ACK_TIMEOUT_MS = 10_000;
const RETRY_WATCH_MS = 3_000;
/** Dashboards spread their fresh snapshots after a resync over this long. */
const RESYNC_SPREAD_MS = 1_000;
/**
 * Diffs are applied in small batches: one state update per burst instead of one per message
 * (the server sends one every 40 ms under load). Each update costs the table a render and a
 * frame; 100 ms is still well within "a fraction of a second".
 */
const BATCH_MS = 100;

export type DetailsResult = Ack<{ details: VisitorDetails }>;

export function useLiveSite(siteId: string) {
  const [state, dispatch] = useReducer(liveReducer, siteId, initialLiveState);
  const { socket, failure, userId } = useAgentSocket();
  const socketRef = useRef<AgentSocket | null>(null);
  // Which colleagues are on which visitor (faces on the rows); kept apart from the rows so a
  // colleague opening a panel re-renders one row, not the table.
  const [attention, setAttention] = useState<AttentionMap>(NO_ATTENTION);

  useEffect(() => {
    if (!failure) return;
    dispatch({ type: 'failed', message: failure });
    setAttention(NO_ATTENTION);
  }, [failure]);

  useEffect(() => {
    if (!socket) return;
    socketRef.current = socket;
    let buffer: PresenceDiff[] = [];
    let bufferedSince = 0;
    let batchTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let closed = false;
    // While the agent types (a filter, a search), updates wait for a short pause in the typing:
    // each keystroke is drawn without an update's render competing with it (flushDelay).
    let lastKeyAt = -Infinity;
    const onKey = () => {
      lastKeyAt = performance.now();
    };
    document.addEventListener('keydown', onKey, true);

    const flush = (force = false) => {
      batchTimer = null;
      if (buffer.length === 0) return;
      const wait = force ? 0 : flushDelay(performance.now(), lastKeyAt, bufferedSince);
      if (wait > 0) {
        batchTimer = setTimeout(flush, wait);
        return;
      }
      const diffs = buffer;
      buffer = [];
      const receivedAt = Date.now();
      // A transition: a keystroke in the filters is rendered first, never queued behind updates.
      startTransition(() => dispatch({ type: 'diffs', diffs, receivedAt }));
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
          setAttention(NO_ATTENTION);
          return;
        }
        flush(true); // diffs received before the snapshot go into the pending buffer first
        dispatch({ type: 'snapshot', visitors: res.visitors, history: res.history, at: res.at, receivedAt: Date.now() });
        setAttention(attentionSnapshot(res.attention, userId));
      });
    };

    const onConnect = () => {
      dispatch({ type: 'connecting' });
      watch();
    };
    const onDisconnect = () => dispatch({ type: 'disconnected' });
    const onConnectError = (err: Error) => {
      // Refusals (session expired, not a member any more) are final: the provider reports them as `failure`.
      if (!(err.message in FAILURE_MESSAGES)) dispatch({ type: 'disconnected' });
    };
    const onDiff = (diff: PresenceDiff) => {
      if (buffer.length === 0) bufferedSince = performance.now();
      buffer.push(diff);
      batchTimer ??= setTimeout(flush, BATCH_MS);
    };
    const onPoint = (p: { siteId: string; point: PresencePoint }) => dispatch({ type: 'point', siteId: p.siteId, point: p.point });
    // A server process died or came back, or Redis did: what the table shows may be wrong, and
    // only a fresh snapshot (gathered from the processes alive now) puts it right.
    // Every dashboard hears it at the same moment: each asks after its own short random delay,
    // so a cluster with many dashboards is not asked for every snapshot at once.
    const onResync = () => {
      if (retryTimer) clearTimeout(retryTimer);
      dispatch({ type: 'resync' });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        watch();
      }, Math.random() * RESYNC_SPREAD_MS);
    };
    const onAttention = (p: VisitorAttention & { siteId: string }) => {
      if (p.siteId === siteId) setAttention((m) => applyAttention(m, p, userId));
    };

    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('presence:diff', onDiff);
    socket.on('presence:point', onPoint);
    socket.on('presence:resync', onResync);
    socket.on('visitor:attention', onAttention);
    // The socket may have connected before this page opened (another dashboard page came first).
    if (socket.connected) onConnect();

    const ticker = setInterval(() => {
      const now = Date.now();
      startTransition(() => dispatch({ type: 'tick', now }));
    }, 1_000);

    return () => {
      closed = true;
      document.removeEventListener('keydown', onKey, true);
      clearInterval(ticker);
      if (batchTimer) clearTimeout(batchTimer);
      if (retryTimer) clearTimeout(retryTimer);
      if (socket.connected) socket.emit('site:unwatch', { siteId });
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('presence:diff', onDiff);
      socket.off('presence:point', onPoint);
      socket.off('presence:resync', onResync);
      socket.off('visitor:attention', onAttention);
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [socket, siteId, userId]);

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

  return { state, attention, requestDetails };
}

/** The current time, updated every `everyMs` (for ticking durations). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => {
      const now = Date.now();
      startTransition(() => setNow(now));
    }, everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
