// The live table's filters, search, sort, URL form and stable ordering (app/live/filters.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, activeFilterCount, applyView, clearFilters, compileFilter, matches, parseView, serializeView, sortRows, toggleSort, viewUsesClock, type ViewState } from '../../app/live/filters';
import { changedIds, computeView, liveView, stableOrder } from '../../app/live/live-view';
import { facetCounts, facetSummary, pageCounts, statusCounts } from '../../app/live/view-counts';
import type { LiveVisitor } from '../../server/protocol';
import { liveVisitor } from '../support/live-visitor';

const NOW = 1_750_000_000_000;
const MIN = 60_000;

function visitor(id: string, o: Partial<Omit<LiveVisitor, 'page'>> & { path?: string; title?: string } = {}): LiveVisitor {
  const { path = '/', title = 'Home', ...rest } = o;
  return liveVisitor(id, { page: { url: `https://shop.example${path}`, title, path }, ...rest }, NOW);
}

const view = (o: Partial<ViewState> = {}): ViewState => ({ ...DEFAULT_VIEW, ...o });
const ids = (list: LiveVisitor[]) => list.map((v) => v.id);

// A small site: who a sales person would be looking at.
const crowd = [
  visitor('alice', { path: '/pricing', title: 'Pricing', source: 'google', visitCount: 3, visitStartedAt: NOW - 5 * MIN, pagesViewed: 6, identity: { name: 'Alice Ng', email: 'alice@acme.io', attributes: { plan: 'pro' } } }),
  visitor('bob', { path: '/blog/launch', title: 'We launched', source: 'news.ycombinator.com', status: 'idle', country: 'US', visitStartedAt: NOW - 30_000 }),
  visitor('carol', { path: '/pricing?ref=nav', title: 'Pricing', source: 'direct', status: 'hidden', country: null, device: { type: 'mobile', browser: 'Safari', os: 'iOS' }, visitCount: 2, visitStartedAt: NOW - 2 * MIN, pagesViewed: 2 }),
  visitor('dave', { path: '/contact', title: 'Contact us', source: 'google', country: 'FR', visitStartedAt: NOW - 12 * MIN, pagesViewed: 3, identity: { email: 'dave@corp.fr', attributes: {} } }),
];

describe('filters', () => {
  it('shows everyone with the default view, longest on site first', () => {
    expect(ids(applyView(crowd, DEFAULT_VIEW, NOW))).toEqual(['dave', 'alice', 'carol', 'bob']);
  });

  it('filters by status', () => {
    expect(ids(applyView(crowd, view({ status: 'idle' }), NOW))).toEqual(['bob']);
    expect(ids(applyView(crowd, view({ status: 'hidden' }), NOW))).toEqual(['carol']);
  });

  it('"page contains" matches the path or the title, ignoring case', () => {
    expect(ids(applyView(crowd, view({ page: '/PRICING' }), NOW))).toEqual(['alice', 'carol']);
    expect(ids(applyView(crowd, view({ page: 'launched' }), NOW))).toEqual(['bob']);
    expect(ids(applyView(crowd, view({ page: '/careers' }), NOW))).toEqual([]);
  });

  it('filters by source, country (including unknown) and device', () => {
    expect(ids(applyView(crowd, view({ source: 'google' }), NOW))).toEqual(['dave', 'alice']);
    expect(ids(applyView(crowd, view({ country: 'US' }), NOW))).toEqual(['bob']);
    expect(ids(applyView(crowd, view({ country: 'unknown' }), NOW))).toEqual(['carol']);
    expect(ids(applyView(crowd, view({ device: 'mobile' }), NOW))).toEqual(['carol']);
  });

  it('separates new from returning visitors by visit count', () => {
    expect(ids(applyView(crowd, view({ visitor: 'new' }), NOW))).toEqual(['dave', 'bob']);
    expect(ids(applyView(crowd, view({ visitor: 'returning' }), NOW))).toEqual(['alice', 'carol']);
  });

  it('separates identified (name or email) from anonymous visitors', () => {
    expect(ids(applyView(crowd, view({ identified: 'yes' }), NOW))).toEqual(['dave', 'alice']);
    expect(ids(applyView(crowd, view({ identified: 'no' }), NOW))).toEqual(['carol', 'bob']);
  });

  it('separates visitors in a call (ringing or talking) from the others', () => {
    const calls = [
      ...crowd,
      visitor('erin', { call: { callId: 'c1', agentName: 'Ana', phase: 'in-call' }, visitStartedAt: NOW - 20 * MIN }),
      visitor('finn', { call: { callId: 'c2', agentName: 'Ben', phase: 'ringing' }, visitStartedAt: NOW - 15 * MIN }),
    ];
    expect(ids(applyView(calls, view({ call: 'in-call' }), NOW))).toEqual(['erin', 'finn']);
    expect(ids(applyView(calls, view({ call: 'none' }), NOW))).toEqual(['dave', 'alice', 'carol', 'bob']);
    expect(ids(applyView(calls, view({ call: 'in-call', q: 'finn' }), NOW))).toEqual(['finn']);
  });

  it('"time on site over N minutes" and "pages over N" are strict and follow the clock', () => {
    expect(ids(applyView(crowd, view({ timeOver: 2 }), NOW))).toEqual(['dave', 'alice']);
    // Carol has been here exactly 2 minutes: one second later she is over.
    expect(ids(applyView(crowd, view({ timeOver: 2 }), NOW + 1000))).toEqual(['dave', 'alice', 'carol']);
    expect(ids(applyView(crowd, view({ pagesOver: 2 }), NOW))).toEqual(['dave', 'alice']);
  });

  it('combines filters (returning visitors on /pricing for more than 2 minutes, from Google)', () => {
    const v = view({ visitor: 'returning', page: '/pricing', timeOver: 2, source: 'google' });
    expect(ids(applyView(crowd, v, NOW))).toEqual(['alice']);
  });

  it('free-text search looks across name, email, attributes, page, source, country and device; every word must match', () => {
    const search = (q: string) => ids(applyView(crowd, view({ q }), NOW));
    expect(search('acme')).toEqual(['alice']); // email
    expect(search('pro')).toEqual(['alice']); // attribute value
    expect(search('safari')).toEqual(['carol']);
    expect(search('france')).toEqual(['dave']); // country name, not only the code
    expect(search('ycombinator')).toEqual(['bob']);
    expect(search('pricing google')).toEqual(['alice']);
    expect(search('pricing zzz')).toEqual([]);
  });

  it('does not modify the list it is given', () => {
    const copy = [...crowd];
    applyView(crowd, view({ sort: 'page', dir: 'asc', status: 'active' }), NOW);
    expect(crowd).toEqual(copy);
  });
});

describe('sorting', () => {
  it('sorts on every column, both ways', () => {
    const sorted = (sort: ViewState['sort'], dir: ViewState['dir']) => ids(applyView(crowd, view({ sort, dir }), NOW));
    expect(sorted('status', 'asc')).toEqual(['dave', 'alice', 'bob', 'carol']); // active, idle, hidden
    expect(sorted('page', 'asc')).toEqual(['bob', 'dave', 'alice', 'carol']);
    expect(sorted('pages', 'desc')).toEqual(['alice', 'dave', 'carol', 'bob']);
    expect(sorted('time', 'asc')).toEqual(['bob', 'carol', 'alice', 'dave']);
    expect(sorted('source', 'asc')).toEqual(['carol', 'dave', 'alice', 'bob']);
    expect(sorted('visitor', 'desc')).toEqual(['alice', 'carol', 'dave', 'bob']);
    expect(sorted('device', 'asc')).toEqual(['dave', 'alice', 'bob', 'carol']);
  });

  it('puts unknown countries and anonymous visitors last in both directions', () => {
    expect(ids(applyView(crowd, view({ sort: 'country', dir: 'asc' }), NOW))).toEqual(['alice', 'dave', 'bob', 'carol']);
    expect(ids(applyView(crowd, view({ sort: 'country', dir: 'desc' }), NOW))).toEqual(['bob', 'dave', 'alice', 'carol']);
    expect(ids(applyView(crowd, view({ sort: 'identity', dir: 'asc' }), NOW)).slice(0, 2)).toEqual(['alice', 'dave']);
    expect(ids(applyView(crowd, view({ sort: 'identity', dir: 'desc' }), NOW)).slice(0, 2)).toEqual(['dave', 'alice']);
  });

  it('a header click sorts in the natural direction first, then flips', () => {
    const a = toggleSort(DEFAULT_VIEW, 'pages');
    expect([a.sort, a.dir]).toEqual(['pages', 'desc']);
    const b = toggleSort(a, 'pages');
    expect([b.sort, b.dir]).toEqual(['pages', 'asc']);
    const c = toggleSort(b, 'page');
    expect([c.sort, c.dir]).toEqual(['page', 'asc']);
  });
});

describe('the view in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const v = view({
      q: 'acme corp',
      status: 'active',
      page: '/pricing',
      source: 'google',
      country: 'DE',
      device: 'mobile',
      visitor: 'returning',
      identified: 'yes',
      call: 'in-call',
      timeOver: 2,
      pagesOver: 3,
      sort: 'pages',
      dir: 'asc',
    });
    const qs = serializeView(v);
    expect(parseView(new URLSearchParams(qs))).toEqual(v);
  });

  it('writes nothing for the default view and only what differs otherwise', () => {
    expect(serializeView(DEFAULT_VIEW)).toBe('');
    expect(serializeView(view({ page: '/pricing', visitor: 'returning' }))).toBe('page=%2Fpricing&visitor=returning');
  });

  it('reads the parameters a shared link carries (Next searchParams objects too)', () => {
    const v = parseView({ status: 'idle', time_over: '5', country: 'us', sort: 'time', dir: 'asc', extra: 'ignored' });
    expect(v).toEqual(view({ status: 'idle', timeOver: 5, country: 'US', sort: 'time', dir: 'asc' }));
  });

  it('ignores malformed or hostile values instead of failing', () => {
    const v = parseView(new URLSearchParams('status=online&time_over=-3&pages_over=abc&country=<script>&device=fridge&sort=drop&dir=up&visitor=maybe&call=ringing'));
    expect(v).toEqual(DEFAULT_VIEW);
    expect(parseView(new URLSearchParams(`q=${'x'.repeat(5000)}`)).q).toHaveLength(200);
  });

  it('keeps the call filter in the URL as `call`', () => {
    expect(serializeView(view({ call: 'none' }))).toBe('call=none');
    expect(parseView({ call: 'IN-CALL' }).call).toBe('in-call');
  });

  it('counts active filters and clears them while keeping the sort', () => {
    const v = view({ status: 'active', q: 'x', call: 'none', sort: 'page', dir: 'asc' });
    expect(activeFilterCount(v)).toBe(3);
    expect(clearFilters(v)).toEqual(view({ sort: 'page', dir: 'asc' }));
    expect(activeFilterCount(DEFAULT_VIEW)).toBe(0);
  });
});

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

describe('compiled filters', () => {
  it('normalise the view once: surrounding spaces, case and repeated spaces in the search and the page filter', () => {
    const test = compileFilter(view({ q: '  PRICING   Google ', page: ' /Pricing ' }), NOW);
    expect(crowd.filter(test).map((v) => v.id)).toEqual(['alice']);
    expect(matches(crowd[0]!, view({ q: '  PRICING   Google ' }), NOW)).toBe(true);
    expect(matches(crowd[1]!, view({ q: '  PRICING   Google ' }), NOW)).toBe(false);
  });

  it('can leave the page filter out (for the top pages card)', () => {
    const v = view({ page: '/contact', status: 'active' });
    expect(crowd.filter(compileFilter(v, NOW)).map((x) => x.id)).toEqual(['dave']);
    expect(crowd.filter(compileFilter(v, NOW, true)).map((x) => x.id)).toEqual(['alice', 'dave']);
  });

  it('depend on the clock only with a time-on-site filter', () => {
    expect(viewUsesClock(view())).toBe(false);
    expect(viewUsesClock(view({ sort: 'time', dir: 'asc' }))).toBe(false);
    expect(viewUsesClock(view({ timeOver: 0 }))).toBe(true);
  });
});

describe('sorting rows (sortRows)', () => {
  it('orders by time on site without the clock: the same order now and an hour later', () => {
    const now = ids(applyView(crowd, view({ sort: 'time', dir: 'desc' }), NOW));
    expect(now).toEqual(['dave', 'alice', 'carol', 'bob']);
    expect(ids(applyView(crowd, view({ sort: 'time', dir: 'desc' }), NOW + 3_600_000))).toEqual(now);
  });

  it('breaks ties by the longest time on site, then the id, in both directions', () => {
    const same = [
      visitor('zed', { pagesViewed: 2, visitStartedAt: NOW - MIN }),
      visitor('amy', { pagesViewed: 2, visitStartedAt: NOW - MIN }),
      visitor('old', { pagesViewed: 2, visitStartedAt: NOW - 9 * MIN }),
      visitor('top', { pagesViewed: 5, visitStartedAt: NOW }),
    ];
    expect(ids(sortRows([...same], 'pages', 'desc'))).toEqual(['top', 'old', 'amy', 'zed']);
    expect(ids(sortRows([...same], 'pages', 'asc'))).toEqual(['old', 'amy', 'zed', 'top']);
  });

  it('orders text as localeCompare does (accents, case) and sorts the array it is given', () => {
    const names = ['Émile', 'eve', 'Zoë', 'adam', 'Ádám', 'bob'];
    const list = names.map((n, i) => visitor(`v${i}`, { identity: { name: n, attributes: {} } }));
    const out = sortRows(list, 'identity', 'asc');
    expect(out).toBe(list);
    expect(out.map((v) => v.identity.name)).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
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
