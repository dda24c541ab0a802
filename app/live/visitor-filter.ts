// Which visitors a view's filters and search let through: the view compiled into one test per
// visitor, plus the per-visitor facts the filters read (time on site, identified, chat state).
import type { LiveVisitor } from '../../server/protocol';
import { countryName } from './format';
import { UNKNOWN_COUNTRY, type ChatFilter, type ViewState } from './view-state';

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
