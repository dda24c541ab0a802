// The dashboard's inbox (app/chat/inbox.ts): what the list shows, in which order, how live
// events and late copies change it, the unread total, and the view's URL form.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INBOX_VIEW,
  inboxReducer,
  inboxRows,
  initialInbox,
  matchesView,
  parseInboxView,
  serializeInboxView,
  toFilter,
  viewKey,
  type InboxAction,
  type InboxState,
  type InboxView,
} from '../../app/chat/inbox';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';

const T = 1_750_000_000_000;
const ME = 'user-me';
const ANA = { id: 'user-ana', name: 'Ana Lima', initials: 'AL' };
const SITE_A = '11111111-1111-4111-8111-111111111111';
const SITE_B = '22222222-2222-4222-8222-222222222222';

function conv(id: string, o: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    siteId: SITE_A,
    siteName: 'Demo Store',
    visitorId: `v-${id}`,
    visitorName: null,
    visitorEmail: null,
    status: 'open',
    waiting: true,
    offline: false,
    assignee: null,
    lastMessage: { from: 'visitor', text: 'hello', event: null, at: T },
    lastSeq: 1,
    unread: 1,
    visitorReadSeq: 0,
    agentReadSeq: 0,
    createdAt: T,
    updatedAt: T,
    ...o,
  };
}

function msg(conversationId: string, seq: number, from: ChatMessage['from'] = 'visitor', at = T + seq): ChatMessage {
  return { id: `m-${conversationId}-${seq}`, conversationId, seq, from, agent: from === 'agent' ? ANA : null, text: `message ${seq}`, event: null, at };
}

const view = (o: Partial<InboxView> = {}): InboxView => ({ ...DEFAULT_INBOX_VIEW, ...o });
const run = (actions: InboxAction[], from: InboxState = initialInbox) => actions.reduce(inboxReducer, from);
const ids = (rows: ConversationSummary[]) => rows.map((c) => c.id);
const listed = (conversations: ConversationSummary[], unreadTotal: number, o: Partial<Extract<InboxAction, { type: 'listed' }>> = {}): InboxAction => ({
  type: 'listed',
  key: viewKey(DEFAULT_INBOX_VIEW),
  conversations,
  unreadTotal,
  more: false,
  append: false,
  ...o,
});

describe('inbox list', () => {
  it('lists the newest conversation first, and a new message moves its conversation to the top', () => {
    let s = run([listed([conv('b', { updatedAt: T + 20 }), conv('a', { updatedAt: T + 10 }), conv('c', { updatedAt: T })], 3)]);
    expect(ids(inboxRows(s, view(), ME))).toEqual(['b', 'a', 'c']);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('c', { updatedAt: T + 30, lastSeq: 2, unread: 2 }), message: msg('c', 2) });
    expect(ids(inboxRows(s, view(), ME))).toEqual(['c', 'b', 'a']);
  });

  it('breaks ties the way the server pages them (id, descending), so rows never swap between reloads', () => {
    const s = run([listed([conv('a'), conv('c'), conv('b')], 3)]);
    expect(ids(inboxRows(s, view(), ME))).toEqual(['c', 'b', 'a']);
  });

  it('adds a brand-new conversation from a live message without a reload', () => {
    let s = run([listed([conv('a')], 1)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('new', { updatedAt: T + 5 }), message: msg('new', 1) });
    expect(ids(inboxRows(s, view(), ME))).toEqual(['new', 'a']);
  });

  it('keeps the newer copy when an older one arrives late (an ack after the live event)', () => {
    let s = run([listed([conv('a', { lastSeq: 1 })], 1)]);
    const newer = conv('a', { lastSeq: 3, updatedAt: T + 3, lastMessage: { from: 'visitor', text: 'third', event: null, at: T + 3 }, unread: 3 });
    s = inboxReducer(s, { type: 'upsert', conversation: newer, message: msg('a', 3) });
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { lastSeq: 2, updatedAt: T + 2, unread: 2 }), message: msg('a', 2) });
    expect(s.conversations.get('a')?.lastMessage?.text).toBe('third');
    expect(s.conversations.get('a')?.lastSeq).toBe(3);
    expect(s.unreadTotal).toBe(3);
  });

  it('takes a change without a message (read, closed) at the same seq, and never moves a read mark back', () => {
    let s = run([listed([conv('a', { lastSeq: 4, unread: 2, visitorReadSeq: 3 })], 2)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { lastSeq: 4, unread: 0, agentReadSeq: 4, visitorReadSeq: 3 }) });
    expect(s.conversations.get('a')?.unread).toBe(0);
    // An older copy still carrying visitorReadSeq 2 does not undo "Seen".
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { lastSeq: 4, unread: 0, agentReadSeq: 4, visitorReadSeq: 2, updatedAt: T + 1 }) });
    expect(s.conversations.get('a')?.visitorReadSeq).toBe(3);
  });

  it('filters by status: open, waiting for a reply, closed, all', () => {
    const s = run([
      listed(
        [
          conv('waiting', { waiting: true }),
          conv('answered', { waiting: false, updatedAt: T - 1 }),
          conv('closed', { status: 'closed', waiting: false, updatedAt: T - 2 }),
        ],
        1,
      ),
    ]);
    expect(ids(inboxRows(s, view({ status: 'open' }), ME))).toEqual(['waiting', 'answered']);
    expect(ids(inboxRows(s, view({ status: 'waiting' }), ME))).toEqual(['waiting']);
    expect(ids(inboxRows(s, view({ status: 'closed' }), ME))).toEqual(['closed']);
    expect(ids(inboxRows(s, view({ status: 'all' }), ME))).toEqual(['waiting', 'answered', 'closed']);
  });

  it('filters by owner (mine, unassigned) and by site', () => {
    const mine = conv('mine', { assignee: { id: ME, name: 'Me', initials: 'ME' } });
    const anas = conv('anas', { assignee: ANA, updatedAt: T - 1 });
    const nobody = conv('nobody', { siteId: SITE_B, updatedAt: T - 2 });
    const s = run([listed([mine, anas, nobody], 3)]);
    expect(ids(inboxRows(s, view({ owner: 'mine' }), ME))).toEqual(['mine']);
    expect(ids(inboxRows(s, view({ owner: 'unassigned' }), ME))).toEqual(['nobody']);
    expect(ids(inboxRows(s, view({ site: SITE_B }), ME))).toEqual(['nobody']);
    expect(ids(inboxRows(s, view({ site: SITE_A, owner: 'all' }), ME))).toEqual(['mine', 'anas']);
  });

  it('drops a conversation from a filtered list when it stops matching, except the one being read', () => {
    const v = view({ status: 'waiting' });
    let s = run([listed([conv('a'), conv('b', { updatedAt: T - 1 })], 2, { key: viewKey(v) })]);
    // Answered: no longer waiting.
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { waiting: false, lastSeq: 2, updatedAt: T + 1, unread: 0 }), message: msg('a', 2, 'agent') });
    expect(ids(inboxRows(s, v, ME))).toEqual(['b']);
    expect(ids(inboxRows(s, v, ME, 'a'))).toEqual(['a', 'b']);
  });

  it('shows only what the loaded pages cover: older conversations wait for "load more"', () => {
    const v = view();
    // Page 1 covers down to T - 10, and more exist.
    let s = run([listed([conv('p1a', { updatedAt: T }), conv('p1b', { updatedAt: T - 10 })], 0, { key: viewKey(v), more: true })]);
    // A conversation older than the floor became known otherwise (e.g. the recent list): not shown yet.
    s = inboxReducer(s, { type: 'upsert', conversation: conv('old', { updatedAt: T - 100 }) });
    expect(ids(inboxRows(s, v, ME))).toEqual(['p1a', 'p1b']);
    expect(toFilter(v, s.lists.get(viewKey(v))!.floor!, 30)).toEqual({ status: 'open', owner: 'all', before: T - 10, limit: 30 });
    s = inboxReducer(s, listed([conv('old', { updatedAt: T - 100 })], 0, { key: viewKey(v), more: false, append: true }));
    expect(ids(inboxRows(s, v, ME))).toEqual(['p1a', 'p1b', 'old']);
  });

  it('does not list an empty conversation (a proactive chat nobody wrote in) unless it is the open one', () => {
    const s = run([listed([], 0), { type: 'upsert', conversation: conv('fresh', { lastSeq: 0, lastMessage: null, unread: 0, waiting: false }) }]);
    expect(ids(inboxRows(s, view(), ME))).toEqual([]);
    expect(ids(inboxRows(s, view(), ME, 'fresh'))).toEqual(['fresh']);
  });

  it('forgets what lists cover on reconnect (they are reloaded) but keeps the rows on screen', () => {
    let s = run([listed([conv('a')], 1, { more: true })]);
    s = inboxReducer(s, { type: 'reconnected' });
    expect(s.lists.size).toBe(0);
    expect(ids(inboxRows(s, view(), ME))).toEqual(['a']);
  });
});

describe('unread total', () => {
  it('starts from the server total and follows live events', () => {
    let s = run([listed([conv('a', { unread: 2, lastSeq: 2 })], 5)]); // 3 more unread in conversations not loaded
    expect(s.unreadTotal).toBe(5);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { unread: 3, lastSeq: 3, updatedAt: T + 1 }), message: msg('a', 3) });
    expect(s.unreadTotal).toBe(6);
    // Someone reads it.
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { unread: 0, lastSeq: 3, agentReadSeq: 3, updatedAt: T + 1 }) });
    expect(s.unreadTotal).toBe(3);
  });

  it('counts a visitor message of a conversation this tab did not know as one more', () => {
    let s = run([listed([], 4)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('new', { unread: 1 }), message: msg('new', 1) });
    expect(s.unreadTotal).toBe(5);
    expect(s.totalStale).toBe(false);
  });

  it('counts open conversations only: closing one takes its unread messages out, reopening puts them back', () => {
    let s = run([listed([conv('a', { unread: 2, lastSeq: 2 })], 2)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { unread: 2, lastSeq: 3, status: 'closed', updatedAt: T + 1 }), message: { ...msg('a', 3, 'system'), event: 'closed' } });
    expect(s.unreadTotal).toBe(0);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { unread: 2, lastSeq: 4, status: 'open', updatedAt: T + 2 }), message: { ...msg('a', 4, 'system'), event: 'reopened' } });
    expect(s.unreadTotal).toBe(2);
  });

  it('asks for the total again when a conversation it did not know changes in a way it cannot count', () => {
    let s = run([listed([], 4)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('old', { unread: 0, lastSeq: 9 }) });
    expect(s.totalStale).toBe(true);
    expect(s.unreadTotal).toBe(4);
    s = inboxReducer(s, { type: 'total', unreadTotal: 2 });
    expect(s).toMatchObject({ totalStale: false, unreadTotal: 2 });
  });

  it('never goes below zero', () => {
    let s = run([listed([conv('a', { unread: 1 })], 0)]);
    s = inboxReducer(s, { type: 'upsert', conversation: conv('a', { unread: 0, updatedAt: T + 1 }) });
    expect(s.unreadTotal).toBe(0);
  });
});

describe('inbox view in the URL', () => {
  it('round-trips, with the defaults left out', () => {
    const v = view({ site: SITE_B, status: 'waiting', owner: 'mine' });
    expect(serializeInboxView(v)).toBe(`site=${SITE_B}&status=waiting&owner=mine`);
    expect(parseInboxView(new URLSearchParams(serializeInboxView(v)))).toEqual(v);
    expect(serializeInboxView(DEFAULT_INBOX_VIEW)).toBe('');
  });

  it('ignores malformed values', () => {
    expect(parseInboxView({ site: 'not-a-uuid', status: 'spam', owner: ['x'] })).toEqual(DEFAULT_INBOX_VIEW);
    expect(parseInboxView({ status: 'CLOSED' }).status).toBe('closed');
  });

  it('matches the server filter rules', () => {
    const c = conv('a', { status: 'open', waiting: false, assignee: ANA });
    expect(matchesView(c, view({ status: 'waiting' }), ME)).toBe(false);
    expect(matchesView(c, view({ owner: 'mine' }), ANA.id)).toBe(true);
    expect(toFilter(view({ site: SITE_A }))).toEqual({ siteId: SITE_A, status: 'open', owner: 'all' });
  });
});
