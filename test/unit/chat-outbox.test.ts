// The agent's outbox and threads together (app/chat/outbox.ts, app/chat/chat-store.ts): a
// message typed while disconnected waits, goes out with the same id after the reconnect, shows
// as "Sending…" until stored, and is never shown twice.
import { describe, expect, it } from 'vitest';
import { chatReducer, initialChat, pendingBubbles, type ChatAction, type ChatState } from '../../app/chat/chat-store';
import { cleanText, due, outboxReducer, parseOutbox, serializeOutbox, tooLong, type Outbox } from '../../app/chat/outbox';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';

const T = 1_750_000_000_000;
const ANA = { id: 'user-ana', name: 'Ana Lima', initials: 'AL' };

function conv(lastSeq: number, o: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: 'c1',
    siteId: 's1',
    siteName: 'Demo Store',
    visitorId: 'v1',
    visitorName: null,
    visitorEmail: null,
    status: 'open',
    waiting: false,
    offline: false,
    assignee: ANA,
    lastMessage: null,
    lastSeq,
    unread: 0,
    visitorReadSeq: 0,
    agentReadSeq: lastSeq,
    createdAt: T,
    updatedAt: T + lastSeq,
    ...o,
  };
}

const msg = (seq: number, id = `m${seq}`, from: ChatMessage['from'] = 'visitor'): ChatMessage => ({
  id,
  conversationId: 'c1',
  seq,
  from,
  agent: from === 'agent' ? ANA : null,
  text: `text ${seq}`,
  event: null,
  at: T + seq,
});

const run = (actions: ChatAction[], from: ChatState = initialChat) => actions.reduce(chatReducer, from);
const seqs = (s: ChatState) => s.threads.get('c1')?.messages.map((m) => m.seq);

describe('outbox', () => {
  it('a message typed while offline waits, is sent once connected, and is done when the server stores it', () => {
    let s = run([{ type: 'synced', conversation: conv(2), messages: [msg(1), msg(2)] }]);
    s = chatReducer(s, { type: 'queue', entry: { id: 'mine-1', conversationId: 'c1', text: 'hi there', createdAt: T } });
    expect(pendingBubbles(s, 'c1').map((e) => e.text)).toEqual(['hi there']);
    expect(due(s.outbox).map((e) => e.id)).toEqual(['mine-1']);

    // On the wire: not due again while its ack may still come.
    s = chatReducer(s, { type: 'sending', ids: ['mine-1'] });
    expect(due(s.outbox)).toEqual([]);
    // The connection dropped before the ack: it goes again, with the same id.
    s = chatReducer(s, { type: 'unanswered' });
    expect(due(s.outbox).map((e) => [e.id, e.attempts])).toEqual([['mine-1', 1]]);
    s = chatReducer(s, { type: 'sending', ids: ['mine-1'] });
    expect(s.outbox[0]?.attempts).toBe(2);

    // The ack: stored as seq 3; the bubble is now a message, shown once.
    s = chatReducer(s, { type: 'message', message: msg(3, 'mine-1', 'agent'), conversation: conv(3) });
    expect(s.outbox).toEqual([]);
    expect(pendingBubbles(s, 'c1')).toEqual([]);
    expect(seqs(s)).toEqual([1, 2, 3]);
  });

  it('is done when its message comes back another way first (live event or sync), and a late ack changes nothing', () => {
    let s = run([
      { type: 'synced', conversation: conv(1), messages: [msg(1)] },
      { type: 'queue', entry: { id: 'mine-2', conversationId: 'c1', text: 'x', createdAt: T } },
      { type: 'sending', ids: ['mine-2'] },
    ]);
    s = chatReducer(s, { type: 'synced', conversation: conv(2), messages: [msg(2, 'mine-2', 'agent')] });
    expect(s.outbox).toEqual([]);
    const again = chatReducer(s, { type: 'message', message: msg(2, 'mine-2', 'agent'), conversation: conv(2) });
    expect(seqs(again)).toEqual([1, 2]);
  });

  it('a refused message leaves the outbox (the composer gets its text back)', () => {
    let box: Outbox = outboxReducer([], { type: 'queue', entry: { id: 'a', conversationId: 'c1', text: 'no', createdAt: T } });
    box = outboxReducer(box, { type: 'sending', ids: ['a'] });
    box = outboxReducer(box, { type: 'rejected', id: 'a' });
    expect(box).toEqual([]);
  });

  it('sends the oldest first and ignores a second queue of the same id', () => {
    let box: Outbox = [];
    box = outboxReducer(box, { type: 'queue', entry: { id: 'late', conversationId: 'c1', text: '2', createdAt: T + 5 } });
    box = outboxReducer(box, { type: 'queue', entry: { id: 'early', conversationId: 'c2', text: '1', createdAt: T } });
    box = outboxReducer(box, { type: 'queue', entry: { id: 'early', conversationId: 'c2', text: 'dup', createdAt: T } });
    expect(due(box).map((e) => e.id)).toEqual(['early', 'late']);
    expect(box).toHaveLength(2);
  });

  it('a timeout of one attempt puts only that one back in line', () => {
    let box: Outbox = [];
    for (const id of ['a', 'b']) box = outboxReducer(box, { type: 'queue', entry: { id, conversationId: 'c1', text: id, createdAt: T } });
    box = outboxReducer(box, { type: 'sending', ids: ['a', 'b'] });
    box = outboxReducer(box, { type: 'unanswered', ids: ['a'] });
    expect(due(box).map((e) => e.id)).toEqual(['a']);
  });

  it('survives a reload of the tab with the same ids; stale or malformed entries are dropped', () => {
    let box: Outbox = outboxReducer([], { type: 'queue', entry: { id: 'keep-me-1', conversationId: 'c1', text: 'typed offline', createdAt: T } });
    box = outboxReducer(box, { type: 'sending', ids: ['keep-me-1'] });
    const back = parseOutbox(serializeOutbox(box), T + 60_000);
    expect(back).toEqual([{ id: 'keep-me-1', conversationId: 'c1', text: 'typed offline', createdAt: T }]);
    // Restored entries are due again (nothing is in flight after a reload).
    const restored = back.reduce<Outbox>((b, entry) => outboxReducer(b, { type: 'queue', entry }), []);
    expect(due(restored).map((e) => e.id)).toEqual(['keep-me-1']);
    expect(parseOutbox(serializeOutbox(box), T + 2 * 86_400_000)).toEqual([]);
    expect(parseOutbox('{not json', T)).toEqual([]);
    expect(parseOutbox(JSON.stringify([{ id: 'bad id!', conversationId: 'c', text: 'x', createdAt: T }, { id: 'good-id-1', conversationId: 'c', text: '  ', createdAt: T }]), T)).toEqual([]);
  });

  it('cleans what is sent: trailing blanks go, an empty message is nothing, the cap is in UTF-16 units', () => {
    expect(cleanText('  hello\nworld  \n\n')).toBe('  hello\nworld');
    expect(cleanText(' \n \t')).toBeNull();
    expect(tooLong('x'.repeat(5000))).toBe(false);
    expect(tooLong('😀'.repeat(2501))).toBe(true);
  });
});

describe('threads', () => {
  it('keeps messages by seq, each once, whatever order they come in, and notices a gap', () => {
    let s = run([{ type: 'synced', conversation: conv(2), messages: [msg(1), msg(2)] }]);
    s = chatReducer(s, { type: 'message', message: msg(4), conversation: conv(4) });
    expect(s.threads.get('c1')).toMatchObject({ lastSeq: 2, gap: true });
    s = chatReducer(s, { type: 'synced', conversation: conv(4), messages: [msg(3), msg(4)] });
    expect(seqs(s)).toEqual([1, 2, 3, 4]);
    expect(s.threads.get('c1')).toMatchObject({ lastSeq: 4, gap: false });
  });

  it('does not start a thread from a live message of a conversation never opened (it would have a hole)', () => {
    const s = run([{ type: 'message', message: msg(7), conversation: conv(7) }]);
    expect(s.threads.has('c1')).toBe(false);
    expect(s.inbox.conversations.get('c1')?.lastSeq).toBe(7);
  });
});
