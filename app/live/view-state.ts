// What the live table shows (filters, search, sort) as plain data, and the changes a click makes
// to it. Pure, no React: the URL form is in view-url.ts, the tests per visitor in visitor-filter.ts.
import type { Device, VisitorStatus } from '../../server/protocol';

export const SORT_KEYS = ['status', 'page', 'pages', 'time', 'source', 'country', 'device', 'visitor', 'identity'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export const STATUSES: readonly VisitorStatus[] = ['active', 'idle', 'hidden'];
export const CALL_FILTERS = ['in-call', 'none'] as const;
export type CallFilter = (typeof CALL_FILTERS)[number];
/** unread: a conversation with visitor messages no agent has read; active: an open conversation; none: no open conversation. */
export const CHAT_FILTERS = ['unread', 'active', 'none'] as const;
export type ChatFilter = (typeof CHAT_FILTERS)[number];
export const DEVICE_TYPES: readonly Device['type'][] = ['desktop', 'mobile', 'tablet', 'tv', 'bot', 'other'];
/** The country filter value for visitors whose country could not be determined. */
export const UNKNOWN_COUNTRY = 'unknown';

export interface ViewState {
  /** Free text; every word must appear somewhere in the visitor's fields. */
  q: string;
  status: VisitorStatus | null;
  /** Current page (path or title) contains this, case-insensitive. */
  page: string;
  /** Exact source ("google", "direct", a referrer host, a utm_source). */
  source: string | null;
  /** ISO code (upper case) or UNKNOWN_COUNTRY. */
  country: string | null;
  device: Device['type'] | null;
  visitor: 'new' | 'returning' | null;
  identified: 'yes' | 'no' | null;
  /** In a call (ringing or talking) or not. */
  call: CallFilter | null;
  /** Their conversation: unread messages, open, or none open. */
  chat: ChatFilter | null;
  /** Time on site over N minutes. */
  timeOver: number | null;
  /** Pages viewed this visit over N. */
  pagesOver: number | null;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_VIEW: ViewState = Object.freeze({
  q: '',
  status: null,
  page: '',
  source: null,
  country: null,
  device: null,
  visitor: null,
  identified: null,
  call: null,
  chat: null,
  timeOver: null,
  pagesOver: null,
  sort: 'time',
  dir: 'desc',
});

/** The natural first direction when a column header is clicked. */
export const FIRST_DIR: Record<SortKey, SortDir> = {
  status: 'asc', // active first
  page: 'asc',
  pages: 'desc',
  time: 'desc',
  source: 'asc',
  country: 'asc',
  device: 'asc',
  visitor: 'desc', // most visits first
  identity: 'asc',
};

/** How many filters (search included, sort excluded) narrow the table. */
export function activeFilterCount(v: ViewState): number {
  return [
    v.q.trim() !== '',
    v.status !== null,
    v.page.trim() !== '',
    v.source !== null,
    v.country !== null,
    v.device !== null,
    v.visitor !== null,
    v.identified !== null,
    v.call !== null,
    v.chat !== null,
    v.timeOver !== null,
    v.pagesOver !== null,
  ].filter(Boolean).length;
}

export function clearFilters(v: ViewState): ViewState {
  return { ...DEFAULT_VIEW, sort: v.sort, dir: v.dir };
}

/** Clicking a column header: first click sorts in the column's natural direction, the next flips it. */
export function toggleSort(v: ViewState, key: SortKey): ViewState {
  if (v.sort === key) return { ...v, dir: v.dir === 'asc' ? 'desc' : 'asc' };
  return { ...v, sort: key, dir: FIRST_DIR[key] };
}
