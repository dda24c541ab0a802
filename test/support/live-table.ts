// What a dashboard's live table shows, computed the way the dashboard does (app/live/live-store.ts
// driven like app/live/use-live-site.ts): a snapshot from site:watch, then presence:diff, and a
// fresh snapshot whenever the server sends presence:resync.
import { initialLiveState, liveReducer, type LiveAction, type LiveState } from '../../app/live/live-store';
import type { PresenceDiff, PresencePoint } from '../../server/protocol';
import type { AgentSocket } from './server';

export interface LiveTable {
  state(): LiveState;
  ids(): string[];
  /** How many snapshots were applied (the first one included). */
  snapshots(): number;
  /** The reason of each presence:resync the server sent, in order. */
  resyncs(): string[];
  /** How many site:watch requests failed (answered not ok, or not at all) and were retried. */
  failedWatches(): number;
  close(): void;
}

export async function watchTable(socket: AgentSocket, siteId: string): Promise<LiveTable> {
  let state = initialLiveState(siteId);
  let snapshots = 0;
  let failedWatches = 0;
  const resyncs: string[] = [];
  let closed = false;
  const dispatch = (a: LiveAction) => {
    state = liveReducer(state, a);
  };
  const watch = async (): Promise<void> => {
    for (;;) {
      if (closed) return;
      try {
        const res = await socket.timeout(10_000).emitWithAck('site:watch', { siteId });
        if (!res.ok) throw new Error(res.code);
        dispatch({ type: 'snapshot', visitors: res.visitors, history: res.history, at: res.at, receivedAt: Date.now() });
        snapshots++;
        return;
      } catch {
        failedWatches++;
        await new Promise((r) => setTimeout(r, 1000)); // as the dashboard retries a watch
      }
    }
  };
  const onDiff = (diff: PresenceDiff) => dispatch({ type: 'diffs', diffs: [diff], receivedAt: Date.now() });
  const onPoint = (p: { siteId: string; point: PresencePoint }) => dispatch({ type: 'point', siteId: p.siteId, point: p.point });
  const onResync = (p: { reason: string }) => {
    if (process.env.CLUSTER_DEBUG) console.log(`[live-table] resync (${p.reason}) at ${Date.now()}`);
    resyncs.push(p.reason);
    dispatch({ type: 'resync' });
    void watch();
  };
  socket.on('presence:diff', onDiff);
  socket.on('presence:point', onPoint);
  socket.on('presence:resync', onResync);
  dispatch({ type: 'connecting' });
  await watch();
  return {
    state: () => state,
    ids: () => [...state.visitors.keys()].sort(),
    snapshots: () => snapshots,
    resyncs: () => [...resyncs],
    failedWatches: () => failedWatches,
    close: () => {
      closed = true;
      socket.off('presence:diff', onDiff);
      socket.off('presence:point', onPoint);
      socket.off('presence:resync', onResync);
    },
  };
}

/** Polls until `check` holds; resolves with how long it took (ms), rejects after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, check: () => boolean, everyMs = 50): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
