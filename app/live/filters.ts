// What the live table shows: filters, search, sort, and their URL form. Pure functions, no React,
// so a view can be bookmarked/shared as a URL and every rule here is unit-tested.
import type { Device, LiveVisitor, VisitorStatus } from '../../server/protocol';
import { countryName } from './format';
import { getParam, oneOf, type ParamSource } from '../lib/url-params';

export const SORT_KEYS = ['status', 'page', 'pages', 'time', 'source', 'country', 'device', 'visitor', 'identity'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

const STATUSES: readonly VisitorStatus[] = ['active', 'idle', 'hidden'];
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

const MAX_TEXT = 200;
const MAX_NUMBER = 100_000;


function text(value: string | undefined): string {
  return (value ?? '').slice(0, MAX_TEXT);
}

function count(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.min(MAX_NUMBER, n);
}

/** Reads a view from URL query parameters. Unknown or malformed values fall back to defaults. */
export function parseView(params: ParamSource): ViewState {
  const sort = oneOf(getParam(params, 'sort'), SORT_KEYS) ?? DEFAULT_VIEW.sort;
  const dirParam = oneOf(getParam(params, 'dir'), ['asc', 'desc'] as const);
  const source = text(getParam(params, 'source')).trim().toLowerCase();
  const country = text(getParam(params, 'country')).trim();
  return {
    q: text(getParam(params, 'q')),
    status: oneOf(getParam(params, 'status'), STATUSES),
    page: text(getParam(params, 'page')),
    source: source || null,
    country: country.toLowerCase() === UNKNOWN_COUNTRY ? UNKNOWN_COUNTRY : /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : null,
    device: oneOf(getParam(params, 'device'), DEVICE_TYPES),
    visitor: oneOf(getParam(params, 'visitor'), ['new', 'returning'] as const),
    identified: oneOf(getParam(params, 'identified'), ['yes', 'no'] as const),
    call: oneOf(getParam(params, 'call'), CALL_FILTERS),
    chat: oneOf(getParam(params, 'chat'), CHAT_FILTERS),
    timeOver: count(getParam(params, 'time_over')),
    pagesOver: count(getParam(params, 'pages_over')),
    sort,
    dir: dirParam ?? (getParam(params, 'sort') ? FIRST_DIR[sort] : DEFAULT_VIEW.dir),
  };
}

/** The query string (without "?") for a view; only values that differ from the defaults, in a fixed order. */
export function serializeView(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.q.trim()) p.set('q', v.q.trim());
  if (v.status) p.set('status', v.status);
  if (v.page.trim()) p.set('page', v.page.trim());
  if (v.source) p.set('source', v.source);
  if (v.country) p.set('country', v.country);
  if (v.device) p.set('device', v.device);
  if (v.visitor) p.set('visitor', v.visitor);
  if (v.identified) p.set('identified', v.identified);
  if (v.call) p.set('call', v.call);
  if (v.chat) p.set('chat', v.chat);
  if (v.timeOver !== null) p.set('time_over', String(v.timeOver));
  if (v.pagesOver !== null) p.set('pages_over', String(v.pagesOver));
  if (v.sort !== DEFAULT_VIEW.sort || v.dir !== DEFAULT_VIEW.dir) {
    p.set('sort', v.sort);
    p.set('dir', v.dir);
  }
  return p.toString();
}

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

export const timeOnSite = (v: LiveVisitor, now: number): number => Math.max(0, now - v.visitStartedAt);
export const isIdentified = (v: LiveVisitor): boolean => !!(v.identity.name?.trim() || v.identity.email?.trim());

// The searchable text of a visitor, built once per row object (rows are replaced, never mutated).
const haystacks = new WeakMap<LiveVisitor, string>();
function haystackOf(v: LiveVisitor): string {
  let h = haystacks.get(v);
  if (h === undefined) {
    const parts = [
      v.identity.name,
      v.identity.email,
      ...Object.entries(v.identity.attributes ?? {}).flatMap(([k, val]) => [k, String(val)]),
      v.page.title,
      v.page.path,
      v.source,
      v.referrer,
      v.utm.source,
      v.utm.medium,
      v.utm.campaign,
      v.utm.term,
      v.utm.content,
      v.country ?? '',
      v.country ? countryName(v.country) : 'unknown',
      v.device.type,
      v.device.browser,
      v.device.os,
      v.language,
      v.timeZone,
      v.id,
    ];
    h = parts.filter((x): x is string => typeof x === 'string' && x !== '').join('\n').toLowerCase();
    haystacks.set(v, h);
  }
  return h;
}

/** Does the visitor pass every filter of the view? `now` is server time (for time on site). */
export function matches(v: LiveVisitor, view: ViewState, now: number): boolean {
  if (view.status && v.status !== view.status) return false;
  const page = view.page.trim().toLowerCase();
  if (page && !v.page.path.toLowerCase().includes(page) && !v.page.title.toLowerCase().includes(page)) return false;
  if (view.source && v.source.toLowerCase() !== view.source) return false;
  if (view.country) {
    if (view.country === UNKNOWN_COUNTRY ? v.country !== null : v.country?.toUpperCase() !== view.country) return false;
  }
  if (view.device && v.device.type !== view.device) return false;
  if (view.visitor === 'new' && v.visitCount > 1) return false;
  if (view.visitor === 'returning' && v.visitCount <= 1) return false;
  if (view.identified === 'yes' && !isIdentified(v)) return false;
  if (view.identified === 'no' && isIdentified(v)) return false;
  if (view.call === 'in-call' && !v.call) return false;
  if (view.call === 'none' && v.call) return false;
  if (view.chat && !chatMatches(v, view.chat)) return false;
  if (view.timeOver !== null && timeOnSite(v, now) <= view.timeOver * 60_000) return false;
  if (view.pagesOver !== null && v.pagesViewed <= view.pagesOver) return false;
  const q = view.q.trim().toLowerCase();
  if (q) {
    const h = haystackOf(v);
    for (const word of q.split(/\s+/)) if (!h.includes(word)) return false;
  }
  return true;
}

/** Does the visitor's conversation state pass the chat filter? */
export function chatMatches(v: Pick<LiveVisitor, 'chat'>, f: ChatFilter): boolean {
  const open = !!v.chat && v.chat.status === 'open';
  switch (f) {
    case 'unread':
      return !!v.chat && v.chat.unread > 0;
    case 'active':
      return open;
    case 'none':
      return !open;
  }
}

const STATUS_RANK: Record<VisitorStatus, number> = { active: 0, idle: 1, hidden: 2 };

type SortValue = number | string | null;

function sortValue(v: LiveVisitor, key: SortKey, now: number): SortValue {
  switch (key) {
    case 'status':
      return STATUS_RANK[v.status];
    case 'page':
      return v.page.path.toLowerCase();
    case 'pages':
      return v.pagesViewed;
    case 'time':
      return timeOnSite(v, now);
    case 'source':
      return v.source.toLowerCase();
    case 'country':
      return v.country ? v.country.toUpperCase() : null;
    case 'device':
      return `${v.device.type} ${v.device.browser} ${v.device.os}`.toLowerCase();
    case 'visitor':
      return v.visitCount;
    case 'identity':
      return (v.identity.name?.trim() || v.identity.email?.trim() || '').toLowerCase() || null;
  }
}

/**
 * A comparator for a column. Missing values (unknown country, anonymous visitor) go last in
 * both directions; ties fall back to the longest time on site, then the id, so order is total.
 */
export function comparator(key: SortKey, dir: SortDir, now: number): (a: LiveVisitor, b: LiveVisitor) => number {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = sortValue(a, key, now);
    const y = sortValue(b, key, now);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
      const c = String(x).localeCompare(String(y));
      if (c !== 0) return c * sign;
    }
    if (a.visitStartedAt !== b.visitStartedAt) return a.visitStartedAt - b.visitStartedAt;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Filter then sort: the rows the table shows, in order. Does not modify its input. */
export function applyView(visitors: readonly LiveVisitor[], view: ViewState, now: number): LiveVisitor[] {
  return visitors.filter((v) => matches(v, view, now)).sort(comparator(view.sort, view.dir, now));
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

/** "/pricing?ref=nav#plans" -> "/pricing" (the server already reduced the URL to its path). */
function pathOnly(path: string): string {
  const cut = path.search(/[?#]/);
  const p = cut === -1 ? path : path.slice(0, cut);
  return p || '/';
}

export interface PageCount {
  path: string;
  count: number;
}

/** Visitors per current page (path without query/hash), most visited first: "12 on /pricing". */
export function pageCounts(visitors: readonly LiveVisitor[], limit = 5): PageCount[] {
  const counts = new Map<string, number>();
  for (const v of visitors) {
    const p = pathOnly(v.page.path);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts]
    .map(([path, count]) => ({ path, count }))
    .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path))
    .slice(0, limit);
}

/** Distinct values of a facet with counts, for filter menus (most common first). */
export function facetCounts(visitors: readonly LiveVisitor[], facet: 'source' | 'country' | 'device'): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of visitors) {
    const key = facet === 'source' ? v.source.toLowerCase() : facet === 'country' ? (v.country?.toUpperCase() ?? UNKNOWN_COUNTRY) : v.device.type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function statusCounts(visitors: readonly LiveVisitor[]): Record<VisitorStatus, number> {
  const out: Record<VisitorStatus, number> = { active: 0, idle: 0, hidden: 0 };
  for (const v of visitors) out[v.status] += 1;
  return out;
}
