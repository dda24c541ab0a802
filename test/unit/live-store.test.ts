// The live table's state: snapshot then diffs (app/live/live-store.ts).
import { describe, expect, it } from 'vitest';
import {
  HIGHLIGHT_MS,
  HISTORY_WINDOW_MS,
  MAX_UPDATE_DELAY_MS,
  TYPING_QUIET_MS,
  flushDelay,
  highlightOf,
  initialLiveState,
  liveReducer,
  rowHighlight,
  sparklineSeries,
  visitorList,
  type LiveAction,
  type LiveState,
} from '../../app/live/live-store';
import type { LiveVisitor, PresenceDiff } from '../../server/protocol';

const SITE = '5f0c1f7e-1111-4222-8333-944444444444';
const OTHER_SITE = '5f0c1f7e-9999-4222-8333-944444444444';
const T = 1_750_000_000_000;

function visitor(id: string, path = '/', o: Partial<LiveVisitor> = {}): LiveVisitor {
  return {
    id,
    status: 'active',
    tabs: 1,
    page: { url: `https://shop.example${path}`, title: path, path },
    pagesViewed: 1,
    visitStartedAt: T - 60_000,
    lastActivityAt: T,
    referrer: '',
    source: 'direct',
    utm: {},
    country: null,
    device: { type: 'desktop', browser: 'Chrome', os: 'Linux' },
    language: 'en',
    timeZone: 'UTC',
    visitCount: 1,
    identity: { attributes: {} },
    call: null,
    chat: null,
    ...o,
  };
}

const diff = (at: number, upserts: LiveVisitor[], removed: string[] = [], siteId = SITE): PresenceDiff => ({
  siteId,
  upserts,
  removed,
  total: 0,
  at,
});

const run = (actions: LiveAction[], state: LiveState = initialLiveState(SITE)) => actions.reduce(liveReducer, state);
const rows = (s: LiveState) =>
  visitorList(s)
    .map((v) => `${v.id}@${v.page.path}`)
    .sort();

describe('live store', () => {
  it('is loading (not empty) until the snapshot arrives, then lists its visitors', () => {
    const s0 = initialLiveState(SITE);
    expect(s0.ready).toBe(false);
    expect(s0.connection).toBe('connecting');
    const s1 = liveReducer(s0, { type: 'snapshot', visitors: [visitor('a', '/pricing'), visitor('b')], history: [], at: T, receivedAt: T });
    expect(s1.ready).toBe(true);
    expect(s1.connection).toBe('live');
    expect(rows(s1)).toEqual(['a@/pricing', 'b@/']);
  });

  it('applies diffs: new visitors appear, page changes update the row, leavers disappear', () => {
    const s = run([
      { type: 'snapshot', visitors: [visitor('a'), visitor('b')], history: [], at: T, receivedAt: T },
      { type: 'diffs', diffs: [diff(T + 100, [visitor('c', '/blog')])], receivedAt: T + 100 },
      { type: 'diffs', diffs: [diff(T + 200, [visitor('a', '/pricing')], ['b'])], receivedAt: T + 200 },
    ]);
    expect(rows(s)).toEqual(['a@/pricing', 'c@/blog']);
  });

  it('applies several diffs batched into one action in order', () => {
    const s = run([
      { type: 'snapshot', visitors: [], history: [], at: T, receivedAt: T },
      { type: 'diffs', diffs: [diff(T + 1, [visitor('a', '/one')]), diff(T + 2, [visitor('a', '/two')]), diff(T + 3, [], ['a'])], receivedAt: T + 3 },
    ]);
    expect(rows(s)).toEqual([]);
  });

  it('never modifies the previous state (React can compare by reference)', () => {
    const s1 = run([{ type: 'snapshot', visitors: [visitor('a')], history: [], at: T, receivedAt: T }]);
    const s2 = liveReducer(s1, { type: 'diffs', diffs: [diff(T + 1, [visitor('b')], ['a'])], receivedAt: T + 1 });
    expect(rows(s1)).toEqual(['a@/']);
    expect(rows(s2)).toEqual(['b@/']);
    expect(s2.visitors).not.toBe(s1.visitors);
  });

  it('ignores diffs for another site', () => {
    const s = run([
      { type: 'snapshot', visitors: [visitor('a')], history: [], at: T, receivedAt: T },
      { type: 'diffs', diffs: [diff(T + 1, [visitor('intruder')], ['a'], OTHER_SITE)], receivedAt: T + 1 },
    ]);
    expect(rows(s)).toEqual(['a@/']);
  });

  it('buffers diffs that arrive before the snapshot and replays only those newer than it', () => {
    const s = run([
      { type: 'diffs', diffs: [diff(T - 50, [visitor('stale', '/old')])], receivedAt: T - 50 },
      { type: 'diffs', diffs: [diff(T + 50, [visitor('a', '/newer')])], receivedAt: T + 50 },
      { type: 'snapshot', visitors: [visitor('a', '/older')], history: [], at: T, receivedAt: T + 60 },
    ]);
    expect(rows(s)).toEqual(['a@/newer']);
  });

  it('keeps rows on screen while reconnecting, then replaces them with the new snapshot', () => {
    const s1 = run([
      { type: 'snapshot', visitors: [visitor('a'), visitor('b')], history: [], at: T, receivedAt: T },
      { type: 'disconnected' },
    ]);
    expect(s1.connection).toBe('reconnecting');
    expect(rows(s1)).toEqual(['a@/', 'b@/']);
    // While disconnected, a diff from the old connection must not be applied on top of stale rows.
    const s2 = run(
      [
        { type: 'connecting' },
        { type: 'diffs', diffs: [diff(T + 4000, [visitor('ghost')])], receivedAt: T + 4000 },
        { type: 'snapshot', visitors: [visitor('b', '/pricing'), visitor('c')], history: [], at: T + 5000, receivedAt: T + 5000 },
      ],
      s1,
    );
    expect(s2.connection).toBe('live');
    expect(rows(s2)).toEqual(['b@/pricing', 'c@/']);
    // c arrived while we were away: highlighted as new; b was already there.
    expect(highlightOf(s2, 'c', T + 5000)).toBe('new');
    expect(highlightOf(s2, 'b', T + 5000)).toBe(null);
  });

  it('reports a failure (e.g. expired session) as offline with the reason', () => {
    const s = run([{ type: 'failed', message: 'Your session has expired.' }]);
    expect(s.connection).toBe('offline');
    expect(s.error).toBe('Your session has expired.');
  });

  it('highlights new arrivals and page changes briefly, but not the initial snapshot', () => {
    const s = run([
      { type: 'snapshot', visitors: [visitor('a')], history: [], at: T, receivedAt: T },
      { type: 'diffs', diffs: [diff(T + 10, [visitor('b')])], receivedAt: T + 10 },
      { type: 'diffs', diffs: [diff(T + 20, [visitor('a', '/pricing')])], receivedAt: T + 20 },
      { type: 'diffs', diffs: [diff(T + 30, [{ ...visitor('a', '/pricing'), status: 'idle' }])], receivedAt: T + 30 },
    ]);
    expect(highlightOf(s, 'b', T + 1000)).toBe('new');
    expect(highlightOf(s, 'a', T + 1000)).toBe('moved'); // page change, and a later status-only change keeps it
    expect(highlightOf(s, 'b', T + 10 + HIGHLIGHT_MS)).toBe(null);
    const later = liveReducer(s, { type: 'tick', now: T + 60_000 });
    expect(later.marks.size).toBe(0);
  });

  it('gives each row its highlight and when it started, as plain values that stay equal while nothing changes', () => {
    const s = run([
      { type: 'snapshot', visitors: [visitor('a'), visitor('c')], history: [], at: T, receivedAt: T },
      { type: 'diffs', diffs: [diff(T + 10, [visitor('b')])], receivedAt: T + 10 },
      { type: 'diffs', diffs: [diff(T + 20, [visitor('a', '/pricing')])], receivedAt: T + 20 },
    ]);
    expect(rowHighlight(s.marks, 'b', T + 1000)).toEqual({ kind: 'new', since: T + 10 });
    expect(rowHighlight(s.marks, 'a', T + 1000)).toEqual({ kind: 'moved', since: T + 20 });
    expect(rowHighlight(s.marks, 'c', T + 1000)).toEqual({ kind: null, since: 0 });
    // Later clocks within the highlight give the same values (the row is not re-rendered).
    expect(rowHighlight(s.marks, 'a', T + 3000)).toEqual(rowHighlight(s.marks, 'a', T + 1000));
    expect(rowHighlight(s.marks, 'a', T + 20 + HIGHLIGHT_MS)).toEqual({ kind: null, since: 0 });
  });

  it('keeps 30 minutes of sparkline history and ends it with the live count', () => {
    const old = { at: T - HISTORY_WINDOW_MS - 10_000, count: 9 };
    const s1 = run([
      {
        type: 'snapshot',
        visitors: [visitor('a'), visitor('b')],
        history: [old, { at: T - 20_000, count: 1 }, { at: T - 10_000, count: 2 }],
        at: T,
        receivedAt: T - 3_000, // the browser clock is 3 s behind the server
      },
    ]);
    expect(s1.history.map((p) => p.count)).toEqual([1, 2]);
    const s2 = run(
      [
        { type: 'point', siteId: SITE, point: { at: T + 10_000, count: 2 } },
        { type: 'point', siteId: OTHER_SITE, point: { at: T + 10_000, count: 99 } },
        { type: 'diffs', diffs: [diff(T + 11_000, [visitor('c')])], receivedAt: T + 8_000 },
      ],
      s1,
    );
    const series = sparklineSeries(s2, T + 9_000); // client clock: server time T + 12 s
    expect(series.map((p) => p.count)).toEqual([1, 2, 2, 3]);
    expect(series.at(-1)!.at).toBe(T + 12_000);
  });
});

describe('updates while the agent types', () => {
  it('are applied at once when nobody is typing', () => {
    expect(flushDelay(10_000, -Infinity, 9_900)).toBe(0);
    expect(flushDelay(10_000, 10_000 - TYPING_QUIET_MS, 9_900)).toBe(0);
  });

  it('wait for a pause in the typing', () => {
    expect(flushDelay(10_000, 9_950, 9_900)).toBe(TYPING_QUIET_MS - 50);
  });

  it('never wait longer than the limit after the first of them arrived, however long the typing goes on', () => {
    expect(flushDelay(10_000, 9_990, 10_000 - MAX_UPDATE_DELAY_MS + 20)).toBe(20);
    expect(flushDelay(10_000, 9_990, 10_000 - MAX_UPDATE_DELAY_MS - 500)).toBe(0);
  });
});
