// The live table's state: a snapshot from `site:watch`, then `presence:diff` messages applied
// incrementally. A pure reducer (no React, no socket) so every rule is unit-tested.
import type { LiveVisitor, PresenceDiff, PresencePoint } from '../../server/protocol';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** When a row arrived or changed page on this dashboard (client clock), for brief highlights. */
export interface RowMark {
  arrivedAt?: number;
  pageAt?: number;
}

export interface LiveState {
  siteId: string;
  connection: Connection;
  /** Why the connection is offline (e.g. the session expired), for the user. */
  error: string | null;
  /** True once a snapshot was applied: until then the table is loading, not empty. */
  ready: boolean;
  /** True when the current connection's snapshot was applied (diffs before it are buffered). */
  synced: boolean;
  visitors: ReadonlyMap<string, LiveVisitor>;
  marks: ReadonlyMap<string, RowMark>;
  /** Sparkline samples (server clock), the last 30 minutes. */
  history: readonly PresencePoint[];
  /** Server clock minus client clock, measured at the snapshot. */
  clockOffset: number;
  /** Diffs that arrived before the snapshot; replayed on it when newer. */
  pending: readonly PresenceDiff[];
}

export type LiveAction =
  | { type: 'connecting' }
  /** The server asked for a fresh snapshot (presence:resync): rows stay, diffs wait for it. */
  | { type: 'resync' }
  | { type: 'disconnected' }
  | { type: 'failed'; message: string }
  | { type: 'snapshot'; visitors: LiveVisitor[]; history: PresencePoint[]; at: number; receivedAt: number }
  | { type: 'diffs'; diffs: PresenceDiff[]; receivedAt: number }
  | { type: 'point'; siteId: string; point: PresencePoint }
  | { type: 'tick'; now: number };

export const HISTORY_WINDOW_MS = 30 * 60_000;
/** How long a new row (or a row whose page changed) stays highlighted. */
export const HIGHLIGHT_MS = 4_000;
const MAX_PENDING = 500;

export function initialLiveState(siteId: string): LiveState {
  return {
    siteId,
    connection: 'connecting',
    error: null,
    ready: false,
    synced: false,
    visitors: new Map(),
    marks: new Map(),
    history: [],
    clockOffset: 0,
    pending: [],
  };
}

function trimHistory(points: readonly PresencePoint[], latest: number): PresencePoint[] {
  const from = latest - HISTORY_WINDOW_MS;
  const byAt = new Map<number, PresencePoint>();
  for (const p of points) if (p.at >= from && Number.isFinite(p.at) && Number.isFinite(p.count)) byAt.set(p.at, p);
  return [...byAt.values()].sort((a, b) => a.at - b.at);
}

function pruneMarks(marks: Map<string, RowMark>, now: number): void {
  for (const [id, m] of marks) {
    const last = Math.max(m.arrivedAt ?? 0, m.pageAt ?? 0);
    if (now - last > HIGHLIGHT_MS) marks.delete(id);
  }
}

/** Applies diffs to copies of the maps (the previous state is never modified). */
function applyDiffs(state: LiveState, diffs: readonly PresenceDiff[], receivedAt: number, markNew: boolean): LiveState {
  const visitors = new Map(state.visitors);
  const marks = new Map(state.marks);
  for (const diff of diffs) {
    if (diff.siteId !== state.siteId) continue;
    for (const id of diff.removed) {
      visitors.delete(id);
      marks.delete(id);
    }
    for (const v of diff.upserts) {
      const prev = visitors.get(v.id);
      if (!prev) {
        if (markNew) marks.set(v.id, { arrivedAt: receivedAt });
      } else if (prev.page.url !== v.page.url && markNew) {
        marks.set(v.id, { ...marks.get(v.id), pageAt: receivedAt });
      }
      visitors.set(v.id, v);
    }
  }
  pruneMarks(marks, receivedAt);
  return { ...state, visitors, marks };
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'connecting':
      return { ...state, connection: state.ready ? 'reconnecting' : 'connecting', error: null, synced: false, pending: [] };
    case 'resync':
      // Diffs that arrive while the new snapshot is on its way are replayed on it when newer.
      return state.synced ? { ...state, synced: false, pending: [] } : state;
    case 'disconnected':
      // Rows stay on screen (marked stale by the UI) until the next snapshot replaces them.
      return { ...state, connection: state.ready ? 'reconnecting' : 'connecting', synced: false, pending: [] };
    case 'failed':
      // Access ended (signed out, removed, site gone): what was shown goes too.
      return { ...state, connection: 'offline', error: action.message, synced: false, pending: [], visitors: new Map(), marks: new Map(), history: [] };
    case 'snapshot': {
      const visitors = new Map<string, LiveVisitor>();
      for (const v of action.visitors) visitors.set(v.id, v);
      // On a re-snapshot (after a reconnect), rows we had not seen before are new arrivals.
      const marks = new Map<string, RowMark>();
      if (state.ready) {
        for (const [id, m] of state.marks) if (visitors.has(id)) marks.set(id, m);
        for (const id of visitors.keys()) if (!state.visitors.has(id)) marks.set(id, { arrivedAt: action.receivedAt });
      }
      let next: LiveState = {
        ...state,
        connection: 'live',
        error: null,
        ready: true,
        synced: true,
        visitors,
        marks,
        history: trimHistory(action.history, action.at),
        clockOffset: action.at - action.receivedAt,
        pending: [],
      };
      const newer = state.pending.filter((d) => d.at > action.at);
      if (newer.length > 0) next = applyDiffs(next, newer, action.receivedAt, true);
      return next;
    }
    case 'diffs': {
      if (!state.synced) {
        const pending = [...state.pending, ...action.diffs.filter((d) => d.siteId === state.siteId)];
        return { ...state, pending: pending.slice(-MAX_PENDING) };
      }
      return applyDiffs(state, action.diffs, action.receivedAt, true);
    }
    case 'point': {
      if (action.siteId !== state.siteId) return state;
      return { ...state, history: trimHistory([...state.history, action.point], action.point.at) };
    }
    case 'tick': {
      if (state.marks.size === 0) return state;
      const marks = new Map(state.marks);
      pruneMarks(marks, action.now);
      return marks.size === state.marks.size ? state : { ...state, marks };
    }
  }
}

/** Updates wait this long after the agent's last keystroke before they are applied... */
export const TYPING_QUIET_MS = 150;
/** ...but never longer than this after the first of them arrived. */
export const MAX_UPDATE_DELAY_MS = 600;

/**
 * How much longer buffered updates should wait before they are applied (0: now), so an update's
 * render never competes with the agent's keystroke: until the typing pauses for TYPING_QUIET_MS,
 * and at most MAX_UPDATE_DELAY_MS after the oldest buffered update arrived. Times in ms, one clock.
 */
export function flushDelay(now: number, lastKeyAt: number, bufferedSince: number): number {
  const quiet = lastKeyAt + TYPING_QUIET_MS - now;
  const limit = bufferedSince + MAX_UPDATE_DELAY_MS - now;
  return Math.max(0, Math.min(quiet, limit));
}

/** All visitors online, in no particular order. */
export function visitorList(state: Pick<LiveState, 'visitors'>): LiveVisitor[] {
  return [...state.visitors.values()];
}

/**
 * The sparkline's points: the server's samples over the last 30 minutes, then the live count
 * now (so the line moves as soon as someone arrives, not at the next sample).
 */
export function sparklineSeries(
  state: Pick<LiveState, 'history' | 'ready' | 'clockOffset'> & { visitors: { size: number } },
  clientNow: number,
): PresencePoint[] {
  const now = clientNow + state.clockOffset;
  const points = state.history.filter((p) => p.at >= now - HISTORY_WINDOW_MS && p.at <= now);
  if (state.ready) points.push({ at: now, count: state.visitors.size });
  return points;
}

/** Is this row highlighted as new (or as having just changed page)? */
export function highlightOf(state: Pick<LiveState, 'marks'>, id: string, clientNow: number): 'new' | 'moved' | null {
  return rowHighlight(state.marks, id, clientNow).kind;
}

/**
 * A row's highlight and the client time it started (0 when none): two plain values, so a row
 * whose highlight did not change is not re-rendered.
 */
export function rowHighlight(marks: ReadonlyMap<string, RowMark>, id: string, clientNow: number): { kind: 'new' | 'moved' | null; since: number } {
  const m = marks.get(id);
  if (!m) return NO_HIGHLIGHT;
  if (m.arrivedAt !== undefined && clientNow - m.arrivedAt < HIGHLIGHT_MS) return { kind: 'new', since: m.arrivedAt };
  if (m.pageAt !== undefined && clientNow - m.pageAt < HIGHLIGHT_MS) return { kind: 'moved', since: m.pageAt };
  return NO_HIGHLIGHT;
}

const NO_HIGHLIGHT = Object.freeze({ kind: null, since: 0 });
