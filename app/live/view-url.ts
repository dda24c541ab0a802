// A view's URL form, so it can be bookmarked and shared. Reading tolerates anything a person
// might type into the address bar; writing gives one canonical query string per view.
import { getParam, oneOf, type ParamSource } from '../lib/url-params';
import { CALL_FILTERS, CHAT_FILTERS, DEFAULT_VIEW, DEVICE_TYPES, FIRST_DIR, SORT_KEYS, STATUSES, UNKNOWN_COUNTRY, type ViewState } from './view-state';

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
