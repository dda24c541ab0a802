// The pure parts of what spans processes (server/cluster/): who is alive, the merge rule for a
// visitor seen by several processes, the summed sparkline, and the engine's held-back removals.
import { describe, expect, it } from 'vitest';
import { CallDirectory } from '../../server/cluster/call-directory';
import type { CallSummary } from '../../server/calls/call-ops';
import { MembershipView, pointsOf, slotOf } from '../../server/cluster/membership';
import { mergeSnapshots } from '../../server/cluster/merge';
import { PresenceEngine, type TabConnect } from '../../server/presence/engine';
import type { LiveVisitor } from '../../server/protocol';
import { initialLiveState, liveReducer } from '../../app/live/live-store';

describe('membership view', () => {
  it('reports nothing on the first look, then who left and who joined', () => {
    const v = new MembershipView('me');
    expect(v.update([{ uid: 'me', epoch: '1' }, { uid: 'a', epoch: '1' }])).toEqual({ left: [], joined: [] });
    expect(v.update([{ uid: 'me', epoch: '1' }, { uid: 'a', epoch: '1' }, { uid: 'b', epoch: '1' }])).toEqual({ left: [], joined: ['b'] });
    expect(v.update([{ uid: 'me', epoch: '1' }, { uid: 'b', epoch: '1' }])).toEqual({ left: ['a'], joined: [] });
  });

  it('a process whose link came back (new epoch) counts as joined: what it published meanwhile was lost', () => {
    const v = new MembershipView('me');
    v.update([{ uid: 'a', epoch: '1' }]);
    expect(v.update([{ uid: 'a', epoch: '2' }])).toEqual({ left: [], joined: ['a'] });
    expect(v.update([{ uid: 'a', epoch: '2' }])).toEqual({ left: [], joined: [] });
  });
});

describe('sparkline across processes', () => {
  it('reads the count of each slot and fills slots nobody wrote with zero', () => {
    const every = 10_000;
    expect(slotOf(123_456, every)).toBe(120_000);
    // '<slot>:<uid>' is the per-process format of earlier versions, left to expire.
    const fields = { '100000': '3', '110000': '3', '130000': '4', '90000': '9', '120000:a': '7', 'junk': 'x' };
    expect(pointsOf(fields, every, 100_000, 130_000)).toEqual([
      { at: 100_000, count: 3 },
      { at: 110_000, count: 3 },
      { at: 120_000, count: 0 },
      { at: 130_000, count: 4 },
    ]);
  });
});

const row = (over: Partial<LiveVisitor>): LiveVisitor => ({
  id: 'v1',
  status: 'active',
  tabs: 1,
  page: { url: 'https://shop.example/', title: 'Home', path: '/' },
  pagesViewed: 1,
  visitStartedAt: 0,
  lastActivityAt: 0,
  referrer: '',
  source: 'direct',
  utm: {},
  country: null,
  device: { type: 'desktop', browser: 'Chrome', os: 'macOS' },
  language: 'en',
  timeZone: 'UTC',
  visitCount: 1,
  identity: { attributes: {} },
  call: null,
  chat: null,
  ...over,
});

describe('merge rule', () => {
  it('one row per visitor: the most attentive copy, tabs of every copy counted', () => {
    const a = [row({ status: 'hidden', lastActivityAt: 50, page: { url: 'https://shop.example/a', title: 'A', path: '/a' }, pagesViewed: 4 }), row({ id: 'v2' })];
    const b = [row({ status: 'active', lastActivityAt: 10, page: { url: 'https://shop.example/b', title: 'B', path: '/b' }, pagesViewed: 2 })];
    const merged = mergeSnapshots(a, b);
    expect(merged.map((v) => v.id).sort()).toEqual(['v1', 'v2']);
    const v1 = merged.find((v) => v.id === 'v1')!;
    expect(v1).toMatchObject({ status: 'active', tabs: 2, pagesViewed: 4 });
    expect(v1.page.path).toBe('/b');
  });
  it('among equally attentive copies the freshest wins', () => {
    const merged = mergeSnapshots([row({ lastActivityAt: 5, page: { url: 'u1', title: '1', path: '1' } })], [row({ lastActivityAt: 9, page: { url: 'u2', title: '2', path: '2' } })]);
    expect(merged[0]!.page.url).toBe('u2');
  });
});

function tab(over: Partial<TabConnect> = {}): TabConnect {
  return {
    siteId: 's',
    visitorId: 'v1',
    tabId: 't1',
    visitId: 'visit1',
    visitStartedAt: 0,
    visitCount: 1,
    page: { url: 'https://shop.example/', title: 'Home' },
    referrer: '',
    utm: {},
    language: 'en',
    timeZone: 'UTC',
    state: 'active',
    device: { type: 'desktop', browser: 'Chrome 131', os: 'macOS' },
    country: null,
    ...over,
  };
}

describe('presence engine with several processes', () => {
  it('holds a removal back until the cluster answers; a visitor online elsewhere leaves without a removal', () => {
    let t = 1_000;
    const e = new PresenceEngine({ now: () => t, graceMs: 100, sampleEveryMs: 10_000, samplesKept: 10, confirmRemovals: true });
    e.connectTab(tab());
    e.connectTab(tab({ visitorId: 'v2', tabId: 't2' }));
    e.drain();
    e.disconnectTab('s', 'v1', 't1');
    e.disconnectTab('s', 'v2', 't2');
    t += 200;
    e.tick();
    expect(e.drain()).toEqual([]); // nothing announced yet
    expect(e.takeDue()).toEqual([{ siteId: 's', visitorId: 'v1' }, { siteId: 's', visitorId: 'v2' }]);
    e.forget('s', 'v1', false); // online on another process: that process's row stays
    e.forget('s', 'v2', true);
    const [diff] = e.drain();
    expect(diff!.removed).toEqual(['v2']);
    expect(e.has('s', 'v1')).toBe(false);
  });

  it('a tab that came back while the cluster was asked keeps the visitor', () => {
    let t = 1_000;
    const e = new PresenceEngine({ now: () => t, graceMs: 100, sampleEveryMs: 10_000, samplesKept: 10, confirmRemovals: true });
    e.connectTab(tab());
    e.disconnectTab('s', 'v1', 't1');
    t += 200;
    e.tick();
    const due = e.takeDue();
    e.connectTab(tab({ tabId: 't9' }));
    for (const r of due) e.forget(r.siteId, r.visitorId, true);
    expect(e.has('s', 'v1')).toBe(true);
  });

  it('answers which visitors it holds with an open tab, and sends their rows out again', () => {
    const e = new PresenceEngine({ now: () => 1, graceMs: 100, sampleEveryMs: 10_000, samplesKept: 10, confirmRemovals: true });
    e.connectTab(tab());
    e.drain();
    expect(e.holding([{ siteId: 's', visitorId: 'v1' }, { siteId: 's', visitorId: 'nobody' }])).toEqual([{ siteId: 's', visitorId: 'v1' }]);
    expect(e.drain()[0]!.upserts.map((v) => v.id)).toEqual(['v1']);
    expect(e.counts()).toEqual([{ siteId: 's', count: 1 }]);
  });
});

describe('live store resync', () => {
  it('keeps the rows while a fresh snapshot is on its way, replays newer diffs on it, and drops what the snapshot no longer has', () => {
    let s = liveReducer(initialLiveState('s'), { type: 'snapshot', visitors: [row({ id: 'gone' }), row({ id: 'stays' })], history: [], at: 100, receivedAt: 100 });
    s = liveReducer(s, { type: 'resync' });
    expect(s.visitors.size).toBe(2); // still on screen
    s = liveReducer(s, { type: 'diffs', diffs: [{ siteId: 's', upserts: [row({ id: 'new' })], removed: [], total: 0, at: 300 }], receivedAt: 300 });
    expect(s.visitors.has('new')).toBe(false); // waits for the snapshot
    s = liveReducer(s, { type: 'snapshot', visitors: [row({ id: 'stays' })], history: [], at: 200, receivedAt: 310 });
    expect([...s.visitors.keys()].sort()).toEqual(['new', 'stays']);
    expect(s.connection).toBe('live');
  });
});

describe('call directory (calls held by other processes)', () => {
  const summary = (callId: string, acceptedAt: number | null = null): CallSummary => ({
    siteId: 's',
    visitorId: 'v1',
    invite: { callId, agent: { name: 'Ana', initials: 'A', avatar: null }, company: 'Shop', video: true, expiresAt: 0 },
    tabId: null,
    acceptedAt,
    media: null,
  });
  const held = { holder: 'p1', lock: null };
  it('changes the row when a call appears, is answered or ends; an old call’s end leaves a newer one alone', () => {
    let t = 0;
    const dir = new CallDirectory(() => t, 1000);
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: summary('c1'), ...held })).toMatchObject({ changed: true });
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: summary('c1'), ...held })).toEqual({ changed: false });
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: summary('c1', 5), ...held })).toMatchObject({ changed: true });
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c2', summary: summary('c2'), ...held })).toMatchObject({ changed: true });
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: null, ...held })).toEqual({ changed: false });
    expect(dir.get('s', 'v1')?.invite.callId).toBe('c2');
    expect(dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c2', summary: null, ...held })).toEqual({ changed: true, summary: null });
    expect(dir.has('s', 'v1')).toBe(false);
  });
  it('forgets calls whose holder stopped announcing them', () => {
    let t = 0;
    const dir = new CallDirectory(() => t, 1000);
    dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: summary('c1'), ...held });
    t = 900;
    expect(dir.expire()).toEqual([]);
    t = 1500;
    expect(dir.expire().map((s) => s.invite.callId)).toEqual(['c1']);
    expect(dir.has('s', 'v1')).toBe(false);
  });
  it('drops the calls of a process that died at once, with their visitor locks', () => {
    const dir = new CallDirectory(() => 0, 60_000);
    const lock = { key: 'call-visitor:s:v1', value: 'x' };
    dir.heard({ siteId: 's', visitorId: 'v1', callId: 'c1', summary: summary('c1'), holder: 'p1', lock });
    dir.heard({ siteId: 's', visitorId: 'v2', callId: 'c2', summary: { ...summary('c2'), visitorId: 'v2' }, holder: 'p2', lock: null });
    expect(dir.dropHolders(['p3'])).toEqual([]);
    expect(dir.dropHolders(['p1'])).toEqual([{ summary: summary('c1'), lock }]);
    expect(dir.has('s', 'v1')).toBe(false);
    expect(dir.has('s', 'v2')).toBe(true);
  });
});
