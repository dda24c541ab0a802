// Counts beside the live table: visitors per page (the top pages card), per source, country and
// device (the filter menus) and per status. Pure functions, unit-tested with the filters.
import type { LiveVisitor, VisitorStatus } from '../../server/protocol';
import { UNKNOWN_COUNTRY } from './view-state';
import { chatMatches } from './visitor-filter';

/** "/pricing?ref=nav#plans" -> "/pricing" (the server already reduced the URL to its path). */
export function pathOnly(path: string): string {
  const cut = path.search(/[?#]/);
  const p = cut === -1 ? path : path.slice(0, cut);
  return p || '/';
}

export interface PageCount {
  path: string;
  count: number;
}

/** Visitors per current page (path without query/hash), most visited first: "12 on /pricing". */
export function pageCounts(visitors: Iterable<LiveVisitor>, limit = 5): PageCount[] {
  const counts = new Map<string, number>();
  for (const v of visitors) {
    const p = pathOnly(v.page.path);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return topPaths(counts, limit);
}

export function topPaths(counts: ReadonlyMap<string, number>, limit: number): PageCount[] {
  return [...counts]
    .map(([path, count]) => ({ path, count }))
    .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path))
    .slice(0, limit);
}

export type Facet = 'source' | 'country' | 'device';
export type FacetCount = { value: string; count: number };

const facetKey = (v: LiveVisitor, facet: Facet): string =>
  facet === 'source' ? v.source.toLowerCase() : facet === 'country' ? (v.country?.toUpperCase() ?? UNKNOWN_COUNTRY) : v.device.type;

const byCount = (counts: ReadonlyMap<string, number>): FacetCount[] =>
  [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));

/** Distinct values of a facet with counts, for filter menus (most common first). */
export function facetCounts(visitors: Iterable<LiveVisitor>, facet: Facet): FacetCount[] {
  const counts = new Map<string, number>();
  for (const v of visitors) {
    const key = facetKey(v, facet);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return byCount(counts);
}

/** Everything the filter menus count, in one pass over the visitors. */
export interface FacetSummary {
  source: FacetCount[];
  country: FacetCount[];
  device: FacetCount[];
  inCall: number;
  unread: number;
  chatting: number;
}

export function facetSummary(visitors: Iterable<LiveVisitor>): FacetSummary {
  const source = new Map<string, number>();
  const country = new Map<string, number>();
  const device = new Map<string, number>();
  let inCall = 0;
  let unread = 0;
  let chatting = 0;
  for (const v of visitors) {
    const s = facetKey(v, 'source');
    source.set(s, (source.get(s) ?? 0) + 1);
    const c = facetKey(v, 'country');
    country.set(c, (country.get(c) ?? 0) + 1);
    device.set(v.device.type, (device.get(v.device.type) ?? 0) + 1);
    if (v.call) inCall++;
    if (chatMatches(v, 'unread')) unread++;
    if (chatMatches(v, 'active')) chatting++;
  }
  return { source: byCount(source), country: byCount(country), device: byCount(device), inCall, unread, chatting };
}

export function statusCounts(visitors: Iterable<LiveVisitor>): Record<VisitorStatus, number> {
  const out: Record<VisitorStatus, number> = { active: 0, idle: 0, hidden: 0 };
  for (const v of visitors) out[v.status] += 1;
  return out;
}
