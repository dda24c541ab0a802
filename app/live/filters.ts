// What the live table shows: filters, search, sort, and their URL form. Pure functions, no React,
// so a view can be bookmarked/shared as a URL and every rule here is unit-tested. This module is
// the entry point for pages and tests; each part lives in its own file.
import type { LiveVisitor } from '../../server/protocol';
import { sortRows } from './sort-rows';
import type { ViewState } from './view-state';
import { compileFilter } from './visitor-filter';

export {
  CALL_FILTERS,
  CHAT_FILTERS,
  DEFAULT_VIEW,
  DEVICE_TYPES,
  FIRST_DIR,
  SORT_KEYS,
  UNKNOWN_COUNTRY,
  activeFilterCount,
  clearFilters,
  toggleSort,
  type CallFilter,
  type ChatFilter,
  type SortDir,
  type SortKey,
  type ViewState,
} from './view-state';
export { parseView, serializeView } from './view-url';
export { chatMatches, compileFilter, isIdentified, matches, timeOnSite, viewUsesClock } from './visitor-filter';
export { compareKeyed, sortRows, sortValue, type Keyed } from './sort-rows';

/** Filter then sort: the rows the table shows, in order. Does not modify its input. */
export function applyView(visitors: Iterable<LiveVisitor>, view: ViewState, now: number): LiveVisitor[] {
  const test = compileFilter(view, now);
  const out: LiveVisitor[] = [];
  for (const v of visitors) if (test(v)) out.push(v);
  return sortRows(out, view.sort, view.dir);
}
