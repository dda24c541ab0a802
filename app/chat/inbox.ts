// The agent's inbox: every conversation this tab knows of (from chat:list pages, chat:sync
// answers, acks and live chat:message / chat:conversation events), the unread total, and which
// of them a filtered list shows. Pure (no React, no socket): every rule here is unit-tested.
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import { matchesView, viewKey } from './inbox-view';
import type { InboxView } from './inbox-view';

// The view and the texts used to live here: pages and tests still import them from this module.
export {
  DEFAULT_INBOX_VIEW,
  INBOX_OWNERS,
  INBOX_STATUSES,
  matchesView,
  parseInboxView,
  serializeInboxView,
  toFilter,
  viewKey,
  type InboxView,
} from './inbox-view';
export { alerts, badgeText, chatStateOf, dayLabel, previewOf, sameDay, seenSeq, shortAgo, systemText, titleWithUnread } from './chat-texts';

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
