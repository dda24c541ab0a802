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

/**
 * A view's filters as one test per visitor. The view is normalised once here (trimmed,
 * lower-cased, search split into words), not once per visitor. `now` is server time (for time
 * on site). With `ignorePage`, the "page contains" filter is left out (the top pages card).
 */
export function compileFilter(view: ViewState, now: number, ignorePage = false): (v: LiveVisitor) => boolean {
  const { status, source, country, device, visitor, identified, call, chat, pagesOver } = view;
  const page = ignorePage ? '' : view.page.trim().toLowerCase();
  const minTime = view.timeOver === null ? null : view.timeOver * 60_000;
  const words = view.q.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  return (v) => {
    if (status && v.status !== status) return false;
    if (page && !v.page.path.toLowerCase().includes(page) && !v.page.title.toLowerCase().includes(page)) return false;
    if (source && v.source.toLowerCase() !== source) return false;
    if (country) {
      if (country === UNKNOWN_COUNTRY ? v.country !== null : v.country?.toUpperCase() !== country) return false;
    }
    if (device && v.device.type !== device) return false;
    if (visitor === 'new' && v.visitCount > 1) return false;
    if (visitor === 'returning' && v.visitCount <= 1) return false;
    if (identified === 'yes' && !isIdentified(v)) return false;
    if (identified === 'no' && isIdentified(v)) return false;
    if (call === 'in-call' && !v.call) return false;
    if (call === 'none' && v.call) return false;
    if (chat && !chatMatches(v, chat)) return false;
    if (minTime !== null && timeOnSite(v, now) <= minTime) return false;
    if (pagesOver !== null && v.pagesViewed <= pagesOver) return false;
    if (words.length > 0) {
      const h = haystackOf(v);
      for (const word of words) if (!h.includes(word)) return false;
    }
    return true;
  };
}

/** Does the visitor pass every filter of the view? `now` is server time (for time on site). */
export function matches(v: LiveVisitor, view: ViewState, now: number): boolean {
  return compileFilter(view, now)(v);
}

/** Does the view's result depend on the clock (so it must be recomputed as time passes)? */
export const viewUsesClock = (view: ViewState): boolean => view.timeOver !== null;

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

/**
 * The value a column sorts by. Time on site sorts as the visit's start, reversed (the longest
 * visit started first): the same order at any clock, so the table need not re-sort every second.
 */
export function sortValue(v: LiveVisitor, key: SortKey): SortValue {
  switch (key) {
    case 'status':
      return STATUS_RANK[v.status];
    case 'page':
      return v.page.path.toLowerCase();
    case 'pages':
      return v.pagesViewed;
    case 'time':
      return -v.visitStartedAt;
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

// String#localeCompare's order (the default locale), without building a collator per call.
const collator = new Intl.Collator();

export interface Keyed {
  v: LiveVisitor;
  k: SortValue;
}

export function compareKeyed(a: Keyed, b: Keyed, sign: number): number {
  const x = a.k;
  const y = b.k;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    const c = collator.compare(String(x), String(y));
    if (c !== 0) return c * sign;
  }
  const s = a.v.visitStartedAt - b.v.visitStartedAt;
  if (s !== 0) return s;
  return a.v.id < b.v.id ? -1 : a.v.id > b.v.id ? 1 : 0;
}

/**
 * Sorts rows by a column, in place, and returns them. Each row's sort value is computed once
 * (not twice per comparison). Missing values (unknown country, anonymous visitor) go last in
 * both directions; ties fall back to the longest time on site, then the id, so order is total.
 */
export function sortRows(rows: LiveVisitor[], key: SortKey, dir: SortDir): LiveVisitor[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed: Keyed[] = new Array<Keyed>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i] as LiveVisitor;
    keyed[i] = { v, k: sortValue(v, key) };
  }
  keyed.sort((a, b) => compareKeyed(a, b, sign));
  for (let i = 0; i < keyed.length; i++) rows[i] = (keyed[i] as Keyed).v;
  return rows;
}

/** Filter then sort: the rows the table shows, in order. Does not modify its input. */
export function applyView(visitors: Iterable<LiveVisitor>, view: ViewState, now: number): LiveVisitor[] {
  const test = compileFilter(view, now);
  const out: LiveVisitor[] = [];
  for (const v of visitors) if (test(v)) out.push(v);
  return sortRows(out, view.sort, view.dir);
}
