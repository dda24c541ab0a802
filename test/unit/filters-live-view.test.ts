// The live table's view as the page keeps it (app/live/live-view.ts, app/live/view-counts.ts):
// stable ordering while the user reads, counts, the one-pass view and its incremental updates.
import { describe, expect, it } from 'vitest';
import { applyView, type ViewState } from '../../app/live/filters';
import { changedIds, computeView, liveView, stableOrder } from '../../app/live/live-view';
import { facetCounts, facetSummary, pageCounts, statusCounts } from '../../app/live/view-counts';
import type { LiveVisitor } from '../../server/protocol';
import { MIN, NOW, crowd, ids, view, visitor } from '../support/live-crowd';

describe('stable ordering while the user reads', () => {
  it('keeps existing rows where they were and appends new arrivals at the end', () => {
    const before = ['dave', 'alice', 'carol'];
    // Bob arrives and would sort first; Alice's time would now put her first.
    const sorted = [crowd[1]!, crowd[0]!, crowd[3]!, crowd[2]!];
    expect(ids(stableOrder(before, sorted))).toEqual(['dave', 'alice', 'carol', 'bob']);
  });

  it('drops rows that are no longer listed without reordering the others', () => {
    const sorted = [crowd[2]!, crowd[0]!];
    expect(ids(stableOrder(['dave', 'alice', 'carol'], sorted))).toEqual(['alice', 'carol']);
  });

  it('shows the updated row data at the frozen position', () => {
    const moved = { ...crowd[0]!, page: { url: 'https://shop.example/checkout', title: 'Checkout', path: '/checkout' } };
    const out = stableOrder(['alice', 'dave'], [crowd[3]!, moved]);
    expect(out[0]!.page.path).toBe('/checkout');
  });
});

describe('counts', () => {
  it('counts visitors per current page, ignoring query strings, busiest first', () => {
    expect(pageCounts(crowd)).toEqual([
      { path: '/pricing', count: 2 },
      { path: '/blog/launch', count: 1 },
      { path: '/contact', count: 1 },
    ]);
    expect(pageCounts(crowd, 1)).toEqual([{ path: '/pricing', count: 2 }]);
  });

  it('lists facet values with counts for the filter menus', () => {
    expect(facetCounts(crowd, 'source')).toEqual([
      { value: 'google', count: 2 },
      { value: 'direct', count: 1 },
      { value: 'news.ycombinator.com', count: 1 },
    ]);
    expect(facetCounts(crowd, 'country').map((c) => c.value)).toEqual(['DE', 'FR', 'unknown', 'US']);
  });
});

describe('the live page\'s view in one pass (computeView)', () => {
  const views: Partial<ViewState>[] = [
    {},
    { page: '/pricing' },
    { page: 'PRICING', source: 'google' },
    { q: 'pricing', sort: 'page', dir: 'asc' },
    { status: 'active', timeOver: 3, sort: 'country', dir: 'desc' },
    { identified: 'no', sort: 'identity' },
  ];

  it('gives the same rows, in the same order, as applyView', () => {
    for (const o of views) expect(ids(computeView(crowd, view(o), NOW).rows), JSON.stringify(o)).toEqual(ids(applyView(crowd, view(o), NOW)));
  });

  it('counts top pages over every filter but the page filter, so picking a page keeps the card whole', () => {
    const all = computeView(crowd, view(), NOW).pages;
    expect(all).toEqual(pageCounts(crowd, 8));
    const picked = computeView(crowd, view({ page: '/pricing' }), NOW);
    expect(ids(picked.rows)).toEqual(['alice', 'carol']);
    expect(picked.pages).toEqual(all);
    // Other filters do narrow the card: only google visitors are counted.
    expect(computeView(crowd, view({ page: '/pricing', source: 'google' }), NOW).pages).toEqual([
      { path: '/contact', count: 1 },
      { path: '/pricing', count: 1 },
    ]);
    expect(computeView(crowd, view(), NOW, 1).pages).toEqual([{ path: '/pricing', count: 2 }]);
  });

  it('reads visitors from any iterable (the live store\'s map) without modifying it', () => {
    const map = new Map(crowd.map((v) => [v.id, v] as const));
    expect(ids(computeView(map.values(), view({ sort: 'page', dir: 'asc' }), NOW).rows)).toEqual(['bob', 'dave', 'alice', 'carol']);
    expect([...map.keys()]).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(statusCounts(map.values())).toEqual({ active: 2, idle: 1, hidden: 1 });
  });
});

describe('facet summary for the filter menus', () => {
  it('counts every facet, calls and chats in one pass, as facetCounts does', () => {
    const list = [
      ...crowd,
      visitor('erin', { call: { callId: 'c1', agentName: 'Ana', phase: 'ringing' }, chat: { conversationId: 'k1', status: 'open', assigneeName: null, unread: 2 } }),
      visitor('finn', { chat: { conversationId: 'k2', status: 'open', assigneeName: 'Ana', unread: 0 } }),
      visitor('gus', { chat: { conversationId: 'k3', status: 'closed', assigneeName: 'Ana', unread: 0 } }),
    ];
    const f = facetSummary(list);
    expect(f.source).toEqual(facetCounts(list, 'source'));
    expect(f.country).toEqual(facetCounts(list, 'country'));
    expect(f.device).toEqual(facetCounts(list, 'device'));
    expect({ inCall: f.inCall, unread: f.unread, chatting: f.chatting }).toEqual({ inCall: 1, unread: 1, chatting: 2 });
  });
});

describe('the live view kept up to date from one update to the next (liveView)', () => {
  // A seeded random walk of a site: visitors arrive, leave and move between pages, in batches.
  function walk(seed: number, steps: number) {
    let x = seed >>> 0;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x % n;
    };
    const paths = ['/', '/pricing', '/pricing?ref=nav', '/blog/launch', '/contact', '/Docs/Setup'];
    const sources = ['google', 'direct', 'news.ycombinator.com'];
    let next = 0;
    const make = (id: string): LiveVisitor => {
      const path = paths[rnd(paths.length)]!;
      return visitor(id, {
        path,
        title: `Title ${path}`,
        source: sources[rnd(3)]!,
        status: (['active', 'idle', 'hidden'] as const)[rnd(3)],
        pagesViewed: rnd(6),
        visitStartedAt: NOW - rnd(20) * MIN, // ties on purpose
        country: rnd(4) === 0 ? null : (['DE', 'FR', 'US'] as const)[rnd(3)],
        identity: rnd(3) === 0 ? { name: `N${rnd(50)}`, attributes: {} } : { attributes: {} },
      });
    };
    let map = new Map<string, LiveVisitor>();
    for (let i = 0; i < 60; i++, next++) map.set(`v${next}`, make(`v${next}`));
    const states = [map];
    for (let s = 0; s < steps; s++) {
      map = new Map(map);
      const n = 1 + rnd(8);
      for (let k = 0; k < n; k++) {
        const op = rnd(10);
        const ids = [...map.keys()];
        if (op < 2 || ids.length === 0) {
          map.set(`v${next}`, make(`v${next}`));
          next++;
        } else if (op < 4) map.delete(ids[rnd(ids.length)]!);
        else {
          const id = ids[rnd(ids.length)]!;
          map.set(id, { ...make(id), visitStartedAt: map.get(id)!.visitStartedAt });
        }
      }
      states.push(map);
    }
    return states;
  }

  const views: Partial<ViewState>[] = [
    {},
    { sort: 'time', dir: 'asc' },
    { page: 'pricing' },
    { q: 'google', sort: 'page', dir: 'asc' },
    { status: 'active', sort: 'country', dir: 'desc' },
    { sort: 'identity', dir: 'asc', source: 'direct' },
    { sort: 'pages', dir: 'desc', page: '/docs' },
  ];

  it('gives exactly what computing the view afresh gives, after every update', () => {
    for (const [i, o] of views.entries()) {
      const v = view(o);
      let live = null as ReturnType<typeof liveView> | null;
      for (const map of walk(i + 1, 120)) {
        live = liveView(live, map, v, NOW, 3);
        const fresh = computeView(map.values(), v, NOW, 3);
        expect(ids(live.rows), JSON.stringify(o)).toEqual(ids(fresh.rows));
        expect(live.pages).toEqual(fresh.pages);
        expect(live.statuses).toEqual(statusCounts(map.values()));
      }
    }
  });

  it('returns the same result when nothing changed, and starts afresh for a new view or clock', () => {
    const [first, second] = walk(9, 1) as [Map<string, LiveVisitor>, Map<string, LiveVisitor>];
    const v = view();
    const a = liveView(null, first, v, NOW);
    expect(liveView(a, first, v, NOW)).toBe(a);
    const frozenRows = [...a.rows];
    const b = liveView(a, second, v, NOW);
    expect(ids(b.rows)).toEqual(ids(computeView(second.values(), v, NOW).rows));
    expect(a.rows).toEqual(frozenRows); // the previous result is not modified
    const narrowed = view({ status: 'idle' });
    expect(ids(liveView(b, second, narrowed, NOW).rows)).toEqual(ids(computeView(second.values(), narrowed, NOW).rows));
    const timed = view({ timeOver: 5 });
    const t1 = liveView(null, second, timed, NOW);
    expect(ids(liveView(t1, second, timed, NOW + 10 * MIN).rows)).toEqual(ids(computeView(second.values(), timed, NOW + 10 * MIN).rows));
  });

  it('finds the visitors added, replaced and removed between two maps, up to a limit', () => {
    const a = new Map(crowd.map((v) => [v.id, v] as const));
    const b = new Map(a);
    b.delete('bob');
    b.set('alice', { ...crowd[0]!, status: 'idle' });
    b.set('erin', visitor('erin'));
    expect(changedIds(a, b, 10)?.sort()).toEqual(['alice', 'bob', 'erin']);
    expect(changedIds(a, a, 10)).toEqual([]);
    expect(changedIds(a, b, 2)).toBe(null);
  });
});
