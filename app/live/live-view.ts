// The live table's rows and top pages for a view, computed in one pass, and again from the
// previous result when only a few visitors changed (liveView). Pure functions, unit-tested.
import type { LiveVisitor, VisitorStatus } from '../../server/protocol';
import { compareKeyed, sortRows, sortValue, type Keyed } from './sort-rows';
import type { ViewState } from './view-state';
import { compileFilter } from './visitor-filter';
import { pathOnly, topPaths, type PageCount } from './view-counts';

export interface ViewResult {
  /** The rows the table shows, filtered and sorted. */
  rows: LiveVisitor[];
  /** Visitors per current page among those passing every filter but the page filter itself. */
  pages: PageCount[];
}

/**
 * What the live page shows for a view, in one pass over the visitors: the table's rows
 * (applyView) and the top pages card (pageCounts of the visitors passing every other filter,
 * so clicking a page sets the page filter without emptying the card).
 */
export function computeView(visitors: Iterable<LiveVisitor>, view: ViewState, now: number, pageLimit = 8): ViewResult {
  const { rows, pages } = fullView(visitors, view, now, pageLimit);
  return { rows, pages };
}

function fullView(visitors: Iterable<LiveVisitor>, view: ViewState, now: number, pageLimit: number): ViewResult & { counts: Map<string, number>; statuses: Record<VisitorStatus, number> } {
  const others = compileFilter(view, now, true);
  const onPage = pageFilter(view);
  const counts = new Map<string, number>();
  const statuses: Record<VisitorStatus, number> = { active: 0, idle: 0, hidden: 0 };
  const rows: LiveVisitor[] = [];
  for (const v of visitors) {
    statuses[v.status] += 1;
    if (!others(v)) continue;
    const p = pathOnly(v.page.path);
    counts.set(p, (counts.get(p) ?? 0) + 1);
    if (onPage(v)) rows.push(v);
  }
  return { rows: sortRows(rows, view.sort, view.dir), pages: topPaths(counts, pageLimit), counts, statuses };
}

/** The "page contains" filter alone. */
function pageFilter(view: ViewState): (v: LiveVisitor) => boolean {
  const page = view.page.trim().toLowerCase();
  if (!page) return () => true;
  return (v) => v.page.path.toLowerCase().includes(page) || v.page.title.toLowerCase().includes(page);
}

/** A computed view with what it was computed from, so the next one can start from it. */
export interface LiveView extends ViewResult {
  visitors: ReadonlyMap<string, LiveVisitor>;
  view: ViewState;
  now: number;
  pageLimit: number;
  /** Visitors per page (every page, not only the top ones) among those passing the other filters. */
  counts: ReadonlyMap<string, number>;
  /** Every visitor (filtered or not) by status, as statusCounts gives. */
  statuses: Readonly<Record<VisitorStatus, number>>;
}

/** Past this many changed visitors, filtering and sorting everyone again is as quick. */
const MAX_INCREMENTAL = 256;

/**
 * computeView for the live store's visitor map, reusing the previous result when only the
 * visitors changed (same view, same clock): only the visitors whose row object changed (the
 * store replaces a visitor's object when, and only when, it changes) are tested, and they are
 * taken out of and inserted into the sorted rows by binary search. The result is the same as
 * computeView's. `prev` is never modified.
 */
export function liveView(prev: LiveView | null, visitors: ReadonlyMap<string, LiveVisitor>, view: ViewState, now: number, pageLimit = 8): LiveView {
  const full = (): LiveView => ({ ...fullView(visitors.values(), view, now, pageLimit), visitors, view, now, pageLimit });
  if (!prev || prev.view !== view || prev.now !== now || prev.pageLimit !== pageLimit) return full();
  if (prev.visitors === visitors) return prev;
  const changed = changedIds(prev.visitors, visitors, MAX_INCREMENTAL);
  if (!changed) return full();

  const others = compileFilter(view, now, true);
  const onPage = pageFilter(view);
  const counts = new Map(prev.counts);
  const statuses = { ...prev.statuses };
  const gone = new Set<string>();
  const add: LiveVisitor[] = [];
  for (const id of changed) {
    const before = prev.visitors.get(id);
    const after = visitors.get(id);
    if (before) statuses[before.status] -= 1;
    if (after) statuses[after.status] += 1;
    if (before && others(before)) {
      const p = pathOnly(before.page.path);
      const n = (counts.get(p) ?? 0) - 1;
      if (n > 0) counts.set(p, n);
      else counts.delete(p);
      if (onPage(before)) gone.add(id);
    }
    if (after && others(after)) {
      const p = pathOnly(after.page.path);
      counts.set(p, (counts.get(p) ?? 0) + 1);
      if (onPage(after)) add.push(after);
    }
  }
  if (gone.size === 0 && add.length === 0) return { ...prev, pages: topPaths(counts, pageLimit), counts, statuses, visitors };
  const rows = gone.size > 0 ? prev.rows.filter((v) => !gone.has(v.id)) : prev.rows.slice();
  const sign = view.dir === 'asc' ? 1 : -1;
  for (const v of add) {
    const k: Keyed = { v, k: sortValue(v, view.sort) };
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = rows[mid] as LiveVisitor;
      if (compareKeyed({ v: m, k: sortValue(m, view.sort) }, k, sign) < 0) lo = mid + 1;
      else hi = mid;
    }
    rows.splice(lo, 0, v);
  }
  return { rows, pages: topPaths(counts, pageLimit), counts, statuses, visitors, view, now, pageLimit };
}

/** The ids whose visitor was added, replaced or removed from `a` to `b`; null when more than `max`. */
export function changedIds(a: ReadonlyMap<string, LiveVisitor>, b: ReadonlyMap<string, LiveVisitor>, max: number): string[] | null {
  const out: string[] = [];
  let kept = 0;
  for (const [id, v] of b) {
    const old = a.get(id);
    if (old !== undefined) kept++;
    if (old !== v) {
      out.push(id);
      if (out.length > max) return null;
    }
  }
  if (kept < a.size) {
    for (const id of a.keys()) {
      if (!b.has(id)) {
        out.push(id);
        if (out.length > max) return null;
      }
    }
  }
  return out;
}

/**
 * Rows must not jump while someone reads them: keep the rows of the previous order where they
 * were (dropping those no longer listed) and append the new rows after them, in sorted order.
 */
export function stableOrder(previousIds: readonly string[], sorted: readonly LiveVisitor[]): LiveVisitor[] {
  const byId = new Map(sorted.map((v) => [v.id, v] as const));
  const out: LiveVisitor[] = [];
  const kept = new Set<string>();
  for (const id of previousIds) {
    const v = byId.get(id);
    if (v && !kept.has(id)) {
      out.push(v);
      kept.add(id);
    }
  }
  for (const v of sorted) if (!kept.has(v.id)) out.push(v);
  return out;
}
