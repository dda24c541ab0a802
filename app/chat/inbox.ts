// The agent's inbox: every conversation this tab knows of (from chat:list pages, chat:sync
// answers, acks and live chat:message / chat:conversation events), the unread total, and which
// of them a filtered list shows. Pure (no React, no socket): every rule here is unit-tested.
import type { ChatMessage, ConversationSummary, InboxFilter, InboxOwner, InboxStatus, LiveChat } from '../../server/protocol';
import { getParam, oneOf, type ParamSource } from '../lib/url-params';

// ---------- the view (filters) and its URL form ----------

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

// ---------- the store ----------

/** What a loaded list covers: everything updated since `floor` (every conversation when !more). */
export interface ListWindow {
  /** Oldest updatedAt of the pages loaded so far (the cursor for the next page). */
  floor: number | null;
  /** Older conversations exist beyond the floor. */
  more: boolean;
}

export interface InboxState {
  conversations: ReadonlyMap<string, ConversationSummary>;
  /** Visitor messages no agent has read, over every open conversation the agent can see. */
  unreadTotal: number;
  /** Lists loaded since the last (re)connect, by viewKey. */
  lists: ReadonlyMap<string, ListWindow>;
  /** A conversation this tab did not know changed without a message: ask the server for the total. */
  totalStale: boolean;
}

export const initialInbox: InboxState = {
  conversations: new Map(),
  unreadTotal: 0,
  lists: new Map(),
  totalStale: false,
};

export type InboxAction =
  /** A page of chat:list. `append`: a next page of a list already loaded (else its first page). */
  | { type: 'listed'; key: string; conversations: ConversationSummary[]; unreadTotal: number; more: boolean; append: boolean }
  /** The conversation as the server says it is now (a live event, an ack, a sync answer). */
  | { type: 'upsert'; conversation: ConversationSummary; message?: ChatMessage }
  /** The unread total alone (a one-row chat:list after totalStale). */
  | { type: 'total'; unreadTotal: number }
  /** The socket reconnected: lists are reloaded (what they cover may have changed meanwhile). */
  | { type: 'reconnected' };

/**
 * Is `next` at least as recent as `prev`? Messages only add to lastSeq; other changes (read,
 * assigned, closed) move updatedAt forward or keep it. An older copy (a late ack, a list that
 * was asked for before a live event came in) never replaces a newer one.
 */
export function notOlder(next: ConversationSummary, prev: ConversationSummary): boolean {
  if (next.lastSeq !== prev.lastSeq) return next.lastSeq > prev.lastSeq;
  return next.updatedAt >= prev.updatedAt;
}

/** What a conversation adds to the unread total: its unread messages while it is open (the server's rule). */
export const counted = (c: Pick<ConversationSummary, 'status' | 'unread'>): number => (c.status === 'open' ? c.unread : 0);

/** What to keep of a conversation when a copy arrives: the newer one, with read marks that never go back. */
function merged(prev: ConversationSummary | undefined, next: ConversationSummary): ConversationSummary | null {
  if (!prev) return next;
  if (!notOlder(next, prev)) {
    // Still take read marks that moved forward (they are monotonic).
    if (next.visitorReadSeq > prev.visitorReadSeq || next.agentReadSeq > prev.agentReadSeq) {
      return { ...prev, visitorReadSeq: Math.max(prev.visitorReadSeq, next.visitorReadSeq), agentReadSeq: Math.max(prev.agentReadSeq, next.agentReadSeq) };
    }
    return null;
  }
  if (next.visitorReadSeq >= prev.visitorReadSeq && next.agentReadSeq >= prev.agentReadSeq) return next;
  return { ...next, visitorReadSeq: Math.max(prev.visitorReadSeq, next.visitorReadSeq), agentReadSeq: Math.max(prev.agentReadSeq, next.agentReadSeq) };
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'listed': {
      const conversations = new Map(state.conversations);
      let floor: number | null = action.append ? (state.lists.get(action.key)?.floor ?? null) : null;
      for (const c of action.conversations) {
        const m = merged(conversations.get(c.id), c);
        if (m) conversations.set(c.id, m);
        floor = floor === null ? c.updatedAt : Math.min(floor, c.updatedAt);
      }
      const lists = new Map(state.lists);
      lists.set(action.key, { floor, more: action.more });
      // The server's total is the truth at the time it answered.
      return { ...state, conversations, lists, unreadTotal: Math.max(0, action.unreadTotal), totalStale: false };
    }
    case 'upsert': {
      const c = action.conversation;
      const prev = state.conversations.get(c.id);
      const next = merged(prev, c);
      if (!next) return state;
      let { unreadTotal, totalStale } = state;
      if (prev) {
        unreadTotal += counted(next) - counted(prev);
      } else if (action.message?.from === 'visitor') {
        // Unknown to this tab: brand new, or older than the pages loaded. Either way a visitor's
        // message is one more unread message (and it (re)opens the conversation).
        unreadTotal += 1;
      } else if (c.lastSeq > 0) {
        // What it counted before is unknown (a read or an agent's reply zeroes it, closing
        // removes it): ask the server. An empty one (a chat just started) counts nothing.
        totalStale = true;
      }
      const conversations = new Map(state.conversations);
      conversations.set(c.id, next);
      return { ...state, conversations, unreadTotal: Math.max(0, unreadTotal), totalStale };
    }
    case 'total':
      return { ...state, unreadTotal: Math.max(0, action.unreadTotal), totalStale: false };
    case 'reconnected':
      return { ...state, lists: new Map() };
  }
}

/**
 * The rows of a list, newest first: the conversations known to match the view that the loaded
 * pages cover (updated since the floor of the pages loaded), plus `keep` (the open one) when it
 * is known, so a conversation being read never vanishes under the agent's eyes.
 */
export function inboxRows(state: InboxState, view: InboxView, me: string, keep: string | null = null): ConversationSummary[] {
  const win = state.lists.get(viewKey(view));
  const rows: ConversationSummary[] = [];
  for (const c of state.conversations.values()) {
    const covered = !win || !win.more || win.floor === null || c.updatedAt >= win.floor;
    // An empty conversation (a proactive chat nobody wrote in yet) is listed only while it is open.
    if ((covered && c.lastSeq > 0 && matchesView(c, view, me)) || (c.id === keep && (!view.site || c.siteId === view.site))) rows.push(c);
  }
  return rows.sort(byRecency);
}

/** Newest first, as the server lists them (updatedAt, then id, both descending). */
export function byRecency(a: ConversationSummary, b: ConversationSummary): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

// ---------- what the list and the window show ----------

/** "(3) Conversations · Porchlight"; the title itself when nothing is unread. Idempotent. */
export function titleWithUnread(title: string, unread: number): string {
  const bare = title.replace(/^\(\d+\+?\)\s+/, '');
  if (unread <= 0) return bare;
  return `(${unread > 99 ? '99+' : unread}) ${bare}`;
}

/** The badge text for an unread count ("" when none). */
export function badgeText(unread: number): string {
  return unread <= 0 ? '' : unread > 99 ? '99+' : String(unread);
}

/** The words of a system line, for a thread and a list preview. */
export function systemText(event: ChatMessage['event'], who: string | null, visitor: string): string {
  switch (event) {
    case 'call_requested':
      return `${visitor} asked for a video call`;
    case 'closed':
      return who ? `${who} closed the conversation` : 'The conversation was closed';
    case 'reopened':
      return who ? `${who} reopened the conversation` : 'The conversation was reopened';
    default:
      return '';
  }
}

/** The one-line preview of a conversation's last message: "You: " for the team's messages. */
export function previewOf(c: Pick<ConversationSummary, 'lastMessage'>, visitor: string): { prefix: string; text: string } {
  const m = c.lastMessage;
  if (!m) return { prefix: '', text: 'No messages yet' };
  if (m.from === 'system') {
    if (m.event === 'call_requested') return { prefix: '', text: 'Asked for a video call' };
    if (m.event === 'closed') return { prefix: '', text: 'Conversation closed' };
    if (m.event === 'reopened') return { prefix: '', text: 'Conversation reopened' };
    return { prefix: '', text: systemText(m.event, null, visitor) };
  }
  const text = m.text.replace(/\s+/g, ' ').trim();
  return { prefix: m.from === 'agent' ? 'You: ' : '', text: text.length > 140 ? `${text.slice(0, 139)}…` : text };
}

const DAY = 86_400_000;

/** "now", "5m", "3h", "Yesterday", "Tue", "Jun 3", "Jun 3, 2024": compact, for list rows. */
export function shortAgo(at: number, now: number): string {
  const diff = Math.max(0, now - at);
  if (diff < 60_000) return 'now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  const d = new Date(at);
  const n = new Date(now);
  if (diff < 12 * 3_600_000 || sameDay(d, n)) return `${Math.floor(diff / 3_600_000)}h`;
  const startToday = new Date(n.getFullYear(), n.getMonth(), n.getDate()).getTime();
  if (at >= startToday - DAY) return 'Yesterday';
  if (at >= startToday - 6 * DAY) return d.toLocaleDateString('en', { weekday: 'short' });
  if (d.getFullYear() === n.getFullYear()) return d.toLocaleDateString('en', { month: 'short', day: 'numeric' });
  return d.toLocaleDateString('en', { month: 'short', day: 'numeric', year: 'numeric' });
}

/** The day separator of a thread: "Today", "Yesterday", "Monday, June 3", "June 3, 2024". */
export function dayLabel(at: number, now: number): string {
  const d = new Date(at);
  const n = new Date(now);
  if (sameDay(d, n)) return 'Today';
  const y = new Date(n.getFullYear(), n.getMonth(), n.getDate() - 1);
  if (sameDay(d, y)) return 'Yesterday';
  if (d.getFullYear() === n.getFullYear()) return d.toLocaleDateString('en', { weekday: 'long', month: 'long', day: 'numeric' });
  return d.toLocaleDateString('en', { month: 'long', day: 'numeric', year: 'numeric' });
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The seq of the team's message to show "Seen" under: the last one the visitor has read. */
export function seenSeq(messages: readonly ChatMessage[], visitorReadSeq: number): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.from === 'agent' && m.seq <= visitorReadSeq) return m.seq;
  }
  return null;
}

/** Should the visitor's message (or call request) alert an agent who is not looking at it? */
export function alerts(m: ChatMessage): boolean {
  return m.from === 'visitor' || (m.from === 'system' && m.event === 'call_requested');
}

/** A live row's chat state: a tag ("Chat · 2 unread", "Chatting") and who ("with Ana"); null without one. */
export function chatStateOf(chat: LiveChat | null): { text: string; tag: string; sub: string; tone: 'unread' | 'active' | 'closed' } | null {
  if (!chat) return null;
  const name = chat.assigneeName?.trim() ?? '';
  const who = name ? `with ${name.length > 30 ? `${name.slice(0, 29)}…` : name}` : '';
  const make = (tag: string, sub: string, tone: 'unread' | 'active' | 'closed') => ({ text: sub ? `${tag} ${sub}` : tag, tag, sub, tone });
  if (chat.unread > 0 && chat.status === 'open') return make(`Chat · ${chat.unread} unread`, who, 'unread');
  if (chat.status === 'closed') return make('Chat closed', '', 'closed');
  if (who) return make('Chatting', who, 'active');
  return make('Chat open', '', 'active');
}
