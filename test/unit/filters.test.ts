// The live table's filters, search, sort and URL form (app/live/filters.ts). The live view built
// from them (ordering, counts, updates) is in filters-live-view.test.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, activeFilterCount, applyView, clearFilters, compileFilter, matches, parseView, serializeView, sortRows, toggleSort, viewUsesClock, type ViewState } from '../../app/live/filters';
import { MIN, NOW, crowd, ids, view, visitor } from '../support/live-crowd';

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
