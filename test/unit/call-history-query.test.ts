// The calls history page's URL filters and paging (app/call/calls-query.ts).
import { describe, expect, it } from 'vitest';
import { CALLS_PAGE_SIZE, callsHref, hasCallFilters, pageOf, parseCallsQuery, serializeCallsQuery } from '../../app/call/calls-query';

const SITE = '5f0c1f7e-1111-4222-8333-944444444444';
const T = 1_750_000_000_000;

describe('calls history query', () => {
  it('reads every filter', () => {
    const q = parseCallsQuery({ outcome: 'Missed', site: SITE.toUpperCase(), agent: 'u_Ab-12', q: '  alice  ', before: String(T) });
    expect(q).toEqual({ outcome: 'missed', site: SITE, agent: 'u_Ab-12', q: 'alice', before: T, beforeId: null });
    expect(parseCallsQuery(new URLSearchParams('outcome=ongoing')).outcome).toBe('ongoing');
  });

  it('drops malformed values instead of passing them on', () => {
    const q = parseCallsQuery({ outcome: 'won', site: 'not-a-site', agent: "x' OR 1=1", q: 'a'.repeat(500), before: '-5' });
    expect(q.outcome).toBeNull();
    expect(q.site).toBeNull();
    expect(q.agent).toBeNull();
    expect(q.q).toHaveLength(100);
    expect(q.before).toBeNull();
    expect(parseCallsQuery({ before: '1.5' }).before).toBeNull();
    expect(parseCallsQuery({ before: 'abc' }).before).toBeNull();
    expect(parseCallsQuery({ outcome: ['declined', 'missed'] }).outcome).toBe('declined');
    expect(parseCallsQuery({})).toEqual({ outcome: null, site: null, agent: null, q: '', before: null, beforeId: null });
    expect(parseCallsQuery({ before: String(T), before_id: "x' OR 1=1" }).beforeId).toBeNull();
  });

  it('round-trips through the URL, set values only', () => {
    const q = parseCallsQuery({ outcome: 'answered', q: 'bob', before: String(T) });
    expect(serializeCallsQuery(q)).toBe(`outcome=answered&q=bob&before=${T}`);
    expect(parseCallsQuery(new URLSearchParams(serializeCallsQuery(q)))).toEqual(q);
    expect(callsHref(parseCallsQuery({}))).toBe('/calls');
    expect(hasCallFilters(parseCallsQuery({ before: String(T) }))).toBe(false);
    expect(hasCallFilters(parseCallsQuery({ agent: 'u1' }))).toBe(true);
  });

  it('shows 50 rows and links to the older ones, keeping the filters', () => {
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const rows = Array.from({ length: CALLS_PAGE_SIZE + 1 }, (_, i) => ({ id: id(i), startedAt: T - i * 1000 }));
    const q = parseCallsQuery({ outcome: 'missed' });
    const page = pageOf(rows, q);
    expect(page.rows).toHaveLength(CALLS_PAGE_SIZE);
    // The cursor names the last call shown, so calls started in the same millisecond are not skipped.
    expect(page.olderHref).toBe(`/calls?outcome=missed&before=${T - (CALLS_PAGE_SIZE - 1) * 1000}&before_id=${id(CALLS_PAGE_SIZE - 1)}`);
    expect(parseCallsQuery(new URLSearchParams(page.olderHref!.split('?')[1]))).toMatchObject({ before: T - (CALLS_PAGE_SIZE - 1) * 1000, beforeId: id(CALLS_PAGE_SIZE - 1) });
    expect(pageOf(rows.slice(0, CALLS_PAGE_SIZE), q).olderHref).toBeNull();
    expect(pageOf([], q)).toEqual({ rows: [], olderHref: null });
  });
});
