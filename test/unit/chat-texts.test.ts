// What the chat UI writes (app/chat/inbox.ts): the tab title with the
// unread count, list previews, times, day separators, "Seen", the live row's chat state.
import { describe, expect, it } from 'vitest';
import { alerts, chatStateOf, badgeText, dayLabel, previewOf, seenSeq, shortAgo, systemText, titleWithUnread } from '../../app/chat/inbox';
import type { ChatMessage } from '../../server/protocol';

const ANA = { id: 'user-ana', name: 'Ana Lima', initials: 'AL' };
const local = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();
const NOW = local(2025, 6, 18, 15, 30); // a Wednesday

const m = (seq: number, from: ChatMessage['from'], o: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  from,
  agent: from === 'agent' ? ANA : null,
  text: 't',
  event: null,
  at: NOW,
  ...o,
});

describe('tab title', () => {
  it('prefixes the unread count, replaces an old count, and drops it at zero', () => {
    expect(titleWithUnread('Live visitors · Porchlight', 3)).toBe('(3) Live visitors · Porchlight');
    expect(titleWithUnread('(3) Live visitors · Porchlight', 4)).toBe('(4) Live visitors · Porchlight');
    expect(titleWithUnread('(4) Live visitors · Porchlight', 0)).toBe('Live visitors · Porchlight');
    expect(titleWithUnread('Conversations · Porchlight', 250)).toBe('(99+) Conversations · Porchlight');
    expect(titleWithUnread(titleWithUnread('Calls · Porchlight', 2), 2)).toBe('(2) Calls · Porchlight');
  });

  it('badge text', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(100)).toBe('99+');
  });
});

describe('list preview', () => {
  it('prefixes the team’s messages with "You: " and keeps one line', () => {
    expect(previewOf({ lastMessage: { from: 'agent', text: 'Sure,\nhere  it is', event: null, at: NOW } }, 'Amber Fox')).toEqual({ prefix: 'You: ', text: 'Sure, here it is' });
    expect(previewOf({ lastMessage: { from: 'visitor', text: 'how much?', event: null, at: NOW } }, 'Amber Fox')).toEqual({ prefix: '', text: 'how much?' });
    expect(previewOf({ lastMessage: { from: 'visitor', text: 'x'.repeat(500), event: null, at: NOW } }, 'A').text).toHaveLength(140);
  });

  it('words system lines', () => {
    expect(previewOf({ lastMessage: { from: 'system', text: '', event: 'call_requested', at: NOW } }, 'Amber Fox').text).toBe('Asked for a video call');
    expect(previewOf({ lastMessage: { from: 'system', text: '', event: 'closed', at: NOW } }, 'Amber Fox').text).toBe('Conversation closed');
    expect(previewOf({ lastMessage: null }, 'A').text).toBe('No messages yet');
    expect(systemText('closed', 'Ana Lima', 'Amber Fox')).toBe('Ana Lima closed the conversation');
    expect(systemText('reopened', 'You', 'Amber Fox')).toBe('You reopened the conversation');
    expect(systemText('call_requested', null, 'Amber Fox')).toBe('Amber Fox asked for a video call');
  });
});

describe('times', () => {
  it('short relative times for the list', () => {
    expect(shortAgo(NOW - 20_000, NOW)).toBe('now');
    expect(shortAgo(NOW - 5 * 60_000, NOW)).toBe('5m');
    expect(shortAgo(NOW - 3 * 3_600_000, NOW)).toBe('3h');
    expect(shortAgo(local(2025, 6, 17, 9), NOW)).toBe('Yesterday');
    expect(shortAgo(local(2025, 6, 14, 9), NOW)).toBe('Sat');
    expect(shortAgo(local(2025, 3, 2, 9), NOW)).toBe('Mar 2');
    expect(shortAgo(local(2024, 3, 2, 9), NOW)).toBe('Mar 2, 2024');
    expect(shortAgo(NOW + 5_000, NOW)).toBe('now'); // clock skew
  });

  it('day separators', () => {
    expect(dayLabel(local(2025, 6, 18, 0, 5), NOW)).toBe('Today');
    expect(dayLabel(local(2025, 6, 17, 23, 55), NOW)).toBe('Yesterday');
    expect(dayLabel(local(2025, 6, 2, 10), NOW)).toBe('Monday, June 2');
    expect(dayLabel(local(2024, 12, 31, 10), NOW)).toBe('December 31, 2024');
  });
});

describe('seen and alerts', () => {
  it('"Seen" goes under the team’s last message the visitor has read', () => {
    const thread = [m(1, 'visitor'), m(2, 'agent'), m(3, 'agent'), m(4, 'visitor'), m(5, 'agent')];
    expect(seenSeq(thread, 0)).toBeNull();
    expect(seenSeq(thread, 2)).toBe(2);
    expect(seenSeq(thread, 4)).toBe(3);
    expect(seenSeq(thread, 5)).toBe(5);
  });

  it('alerts for a visitor’s message or call request, not for the team’s or other system lines', () => {
    expect(alerts(m(1, 'visitor'))).toBe(true);
    expect(alerts(m(1, 'system', { event: 'call_requested' }))).toBe(true);
    expect(alerts(m(1, 'agent'))).toBe(false);
    expect(alerts(m(1, 'system', { event: 'closed', agent: ANA }))).toBe(false);
  });
});

describe('live row chat state', () => {
  it('says unread first, then who is chatting', () => {
    expect(chatStateOf(null)).toBeNull();
    expect(chatStateOf({ conversationId: 'c', status: 'open', assigneeName: null, unread: 2 })).toMatchObject({ text: 'Chat · 2 unread', tone: 'unread' });
    expect(chatStateOf({ conversationId: 'c', status: 'open', assigneeName: 'Ana', unread: 1 })).toMatchObject({ tag: 'Chat · 1 unread', sub: 'with Ana' });
    expect(chatStateOf({ conversationId: 'c', status: 'open', assigneeName: 'Ana', unread: 0 })).toMatchObject({ text: 'Chatting with Ana', tone: 'active' });
    expect(chatStateOf({ conversationId: 'c', status: 'open', assigneeName: null, unread: 0 })?.text).toBe('Chat open');
    expect(chatStateOf({ conversationId: 'c', status: 'closed', assigneeName: 'Ana', unread: 0 })?.text).toBe('Chat closed');
  });
});
