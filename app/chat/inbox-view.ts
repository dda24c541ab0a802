// The inbox's view (which site, status and owner a list shows) and its URL form, and whether a
// conversation belongs in a list with that view. Pure, like the store in inbox.ts.
import type { ConversationSummary, InboxFilter, InboxOwner, InboxStatus } from '../../server/protocol';
import { getParam, oneOf } from '../lib/url-params';
import type { ParamSource } from '../lib/url-params';

export const INBOX_STATUSES: readonly InboxStatus[] = ['open', 'waiting', 'closed', 'all'];
export const INBOX_OWNERS: readonly InboxOwner[] = ['mine', 'unassigned', 'all'];

export interface InboxView {
  /** One site, or every site of the agent's workspaces. */
  site: string | null;
  status: InboxStatus;
  owner: InboxOwner;
}

export const DEFAULT_INBOX_VIEW: InboxView = Object.freeze({ site: null, status: 'open', owner: 'all' });

const SITE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the view from the query string; anything unknown falls back to the default. */
export function parseInboxView(p: ParamSource): InboxView {
  const site = getParam(p, 'site')?.trim() ?? '';
  return {
    site: SITE_ID.test(site) ? site.toLowerCase() : null,
    status: oneOf(getParam(p, 'status'), INBOX_STATUSES) ?? DEFAULT_INBOX_VIEW.status,
    owner: oneOf(getParam(p, 'owner'), INBOX_OWNERS) ?? DEFAULT_INBOX_VIEW.owner,
  };
}

/** The query string (no "?") of a view: only what differs from the default, in a fixed order. */
export function serializeInboxView(v: InboxView): string {
  const p = new URLSearchParams();
  if (v.site) p.set('site', v.site);
  if (v.status !== DEFAULT_INBOX_VIEW.status) p.set('status', v.status);
  if (v.owner !== DEFAULT_INBOX_VIEW.owner) p.set('owner', v.owner);
  return p.toString();
}

/** A key per distinct list (the lists a tab has loaded are remembered by it). */
export const viewKey = (v: InboxView): string => serializeInboxView(v) || 'default';

export function toFilter(v: InboxView, before?: number, limit?: number): InboxFilter {
  const f: InboxFilter = { status: v.status, owner: v.owner };
  if (v.site) f.siteId = v.site;
  if (before !== undefined) f.before = before;
  if (limit !== undefined) f.limit = limit;
  return f;
}

/** Does a conversation belong in a list with this view? `me` is the agent's user id. */
export function matchesView(c: ConversationSummary, v: InboxView, me: string): boolean {
  if (v.site && c.siteId !== v.site) return false;
  switch (v.status) {
    case 'open':
      if (c.status !== 'open') return false;
      break;
    case 'waiting':
      if (c.status !== 'open' || !c.waiting) return false;
      break;
    case 'closed':
      if (c.status !== 'closed') return false;
      break;
    case 'all':
      break;
  }
  if (v.owner === 'mine' && c.assignee?.id !== me) return false;
  if (v.owner === 'unassigned' && c.assignee) return false;
  return true;
}
