// The chat widget's state, rule by rule, as the visitor sees it: the thread in order without
// duplicates whatever order messages arrive in, "Sending…" until the server's copy arrives,
// unread badge and preview only when nobody looks, "Seen", typing, offline mode.
import { describe, expect, it } from 'vitest';
import type { AgentBrief, ChatMessage, VisitorChatInfo } from '../../server/protocol';
import { initialState, isOffline, items, needsEmail, readToSend, reduce, seesThread, type Action, type ChatState } from '../../embed-snippet/src/chat/state';

const ana: AgentBrief = { id: 'u-ana', name: 'Ana Lima', initials: 'AL' };
const ben: AgentBrief = { id: 'u-ben', name: 'Ben Ode', initials: 'BO' };
const msg = (seq: number, from: ChatMessage['from'], text = `m${seq}`, o: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `msg-${String(seq).padStart(5, '0')}`,
  conversationId: 'c1',
  seq,
  from,
  agent: from === 'agent' ? ana : null,
  text,
  event: null,
  at: 1000 + seq,
  ...o,
});
const info = (o: Partial<VisitorChatInfo> = {}): VisitorChatInfo => ({
  team: 'Lumen Lamps',
  greeting: 'Hi!',
  agents: [ana],
  sneakPeek: false,
  conversationId: null,
  lastSeq: 0,
  agentReadSeq: 0,
  unread: 0,
  email: null,
  ...o,
});
const run = (s: ChatState, ...actions: Action[]): ChatState => actions.reduce(reduce, s);
const open = (): ChatState => run(initialState(), { type: 'connected', connected: true }, { type: 'panel', panel: 'open' }, { type: 'hello', info: info() });

describe('the thread', () => {
  it('shows messages once and in order, whatever order live events and sync pages arrive in', () => {
    const s = run(
      open(),
      { type: 'messages', messages: [msg(3, 'agent')], live: true },
      { type: 'messages', messages: [msg(1, 'visitor'), msg(2, 'agent'), msg(3, 'agent')], live: false },
      { type: 'messages', messages: [msg(2, 'agent')], live: true },
    );
    expect(items(s).map((i) => i.text)).toEqual(['m1', 'm2', 'm3']);
    expect(s.thread.gap).toBe(false);
  });

  it('says a message is "Sending…" until the server\'s copy arrives, then shows it once', () => {
    let s = run(open(), { type: 'queue', entry: { id: 'msg-mine01', kind: 'text', text: 'hello', at: 5 } });
    expect(items(s)).toMatchObject([{ key: 'msg-mine01', who: 'me', text: 'hello', status: 'sending' }]);
    // The ack (or the same message live from the server, or a sync) brings the stored copy.
    s = reduce(s, { type: 'messages', messages: [msg(1, 'visitor', 'hello', { id: 'msg-mine01' })], live: false });
    expect(items(s)).toMatchObject([{ key: 'msg-mine01', who: 'me', text: 'hello', status: '' }]);
    expect(s.outbox).toEqual([]);
  });

  it('keeps a refused message visible as not sent, and sends it again on retry', () => {
    let s = run(open(), { type: 'queue', entry: { id: 'msg-mine02', kind: 'text', text: 'hello', at: 5 } }, { type: 'failed', id: 'msg-mine02', code: 'bad_request', error: 'could not be sent' });
    expect(items(s)[0]!.status).toBe('failed');
    expect(s.error).toBe('could not be sent');
    s = reduce(s, { type: 'retry', id: 'msg-mine02' });
    expect(items(s)[0]!.status).toBe('sending');
    expect(s.error).toBe('');
  });

  it('shows a call request as a system line, and a stored one too', () => {
    const s = run(open(), { type: 'messages', messages: [msg(1, 'system', '', { event: 'call_requested' })], live: true }, { type: 'queue', entry: { id: 'msg-call01', kind: 'call', text: '', at: 9 } });
    expect(items(s)).toMatchObject([
      { who: 'system', event: 'call_requested', status: '' },
      { who: 'system', event: 'call_requested', status: 'sending' },
    ]);
  });

  it('shows an agent\'s name and face on the first of their messages in a row only', () => {
    const s = run(open(), {
      type: 'messages',
      messages: [msg(1, 'agent'), msg(2, 'agent'), msg(3, 'agent', 'x', { agent: ben }), msg(4, 'visitor'), msg(5, 'visitor'), msg(6, 'agent')],
      live: false,
    });
    expect(items(s).map((i) => i.first)).toEqual([true, false, true, true, false, true]);
  });
});

describe('"Seen"', () => {
  it('goes under the visitor\'s last message an agent has read', () => {
    let s = run(open(), { type: 'messages', messages: [msg(1, 'visitor'), msg(2, 'visitor'), msg(3, 'visitor')], live: false });
    expect(items(s).filter((i) => i.status === 'seen')).toEqual([]);
    s = reduce(s, { type: 'agent-read', seq: 2 });
    expect(items(s).map((i) => i.status)).toEqual(['', 'seen', '']);
    s = reduce(s, { type: 'agent-read', seq: 1 }); // never backwards
    expect(items(s).map((i) => i.status)).toEqual(['', 'seen', '']);
  });

  it('counts an agent\'s reply as having read what came before it', () => {
    const s = run(open(), { type: 'messages', messages: [msg(1, 'visitor'), msg(2, 'visitor')], live: false }, { type: 'messages', messages: [msg(3, 'agent')], live: true });
    expect(items(s).map((i) => i.status)).toEqual(['', 'seen', '']);
  });

  it('starts from what hello says the agents read', () => {
    const s = run(initialState(), { type: 'messages', messages: [msg(1, 'visitor'), msg(2, 'visitor')], live: false }, { type: 'hello', info: info({ agentReadSeq: 1 }) });
    expect(items(s).map((i) => i.status)).toEqual(['seen', '']);
  });
});

describe('unread messages', () => {
  it('counts agent messages that arrive while the panel is closed, and previews the newest', () => {
    const closed = run(initialState(), { type: 'connected', connected: true });
    const s = run(closed, { type: 'messages', messages: [msg(1, 'agent', 'first')], live: true }, { type: 'messages', messages: [msg(2, 'agent', 'second')], live: true }, { type: 'messages', messages: [msg(2, 'agent', 'second')], live: true });
    expect(s.unread).toBe(2);
    expect(s.preview?.text).toBe('second');
    // History loaded by a sync is not news.
    expect(run(closed, { type: 'messages', messages: [msg(1, 'agent')], live: false }).unread).toBe(0);
    // The visitor's own messages from another tab are not unread.
    expect(run(closed, { type: 'messages', messages: [msg(1, 'visitor')], live: true }).unread).toBe(0);
  });

  it('counts a live agent message once even when a sync page that raced it brought it first', () => {
    // The part loads on the agent's typing and syncs; the message is stored before that sync
    // runs, so the page has it, and then the live chat:message for it arrives.
    const closed = run(initialState(), { type: 'connected', connected: true });
    const s = run(closed, { type: 'messages', messages: [msg(1, 'agent', 'Can I help?')], live: false }, { type: 'messages', messages: [msg(1, 'agent', 'Can I help?')], live: true });
    expect(s.unread).toBe(1);
    expect(s.preview?.text).toBe('Can I help?');
    // What the server counted on connect is not counted again when it comes live.
    const counted = run(closed, { type: 'unread', count: 1, last: msg(1, 'agent') }, { type: 'messages', messages: [msg(1, 'agent')], live: true });
    expect(counted.unread).toBe(1);
    // Nor what the visitor already read.
    expect(run(open(), { type: 'messages', messages: [msg(1, 'agent')], live: true }, { type: 'panel', panel: 'closed' }, { type: 'messages', messages: [msg(1, 'agent')], live: true }).unread).toBe(0);
  });

  it('takes the count and preview the server sends on connect', () => {
    const s = reduce(initialState(), { type: 'unread', count: 3, last: msg(7, 'agent', 'last one') });
    expect(s.unread).toBe(3);
    expect(s.preview?.seq).toBe(7);
  });

  it('does not preview again what the visitor dismissed', () => {
    let s = reduce(initialState(), { type: 'unread', count: 1, last: msg(7, 'agent') });
    s = reduce(s, { type: 'dismiss' });
    expect(s.preview).toBeNull();
    expect(s.unread).toBe(1); // the badge stays: the message is still unread
    expect(reduce(s, { type: 'unread', count: 1, last: msg(7, 'agent') }).preview).toBeNull();
    expect(reduce(s, { type: 'unread', count: 2, last: msg(8, 'agent') }).preview?.seq).toBe(8);
  });

  it('marks as read what the open, visible panel shows, and only then', () => {
    let s = run(initialState(), { type: 'connected', connected: true }, { type: 'messages', messages: [msg(1, 'visitor'), msg(2, 'agent')], live: true });
    expect(s.unread).toBe(1);
    expect(readToSend(s)).toBe(0); // closed
    s = run(s, { type: 'panel', panel: 'min' });
    expect(readToSend(s)).toBe(0); // folded to its header
    s = run(s, { type: 'panel', panel: 'open' }, { type: 'visible', visible: false });
    expect(seesThread(s)).toBe(false);
    expect(readToSend(s)).toBe(0); // another tab is in front
    s = reduce(s, { type: 'visible', visible: true });
    expect(readToSend(s)).toBe(2);
    s = reduce(s, { type: 'read', seq: 2 });
    expect(s.unread).toBe(0);
    expect(readToSend(s)).toBe(0);
    // While the visitor looks, new agent messages are read at once, never counted.
    s = reduce(s, { type: 'messages', messages: [msg(3, 'agent')], live: true });
    expect(s.unread).toBe(0);
    expect(readToSend(s)).toBe(3);
  });

  it('sends no read for the visitor\'s own messages and none while disconnected', () => {
    const s = run(open(), { type: 'messages', messages: [msg(1, 'visitor')], live: true });
    expect(readToSend(s)).toBe(0);
    const offline = run(open(), { type: 'connected', connected: false }, { type: 'messages', messages: [msg(1, 'agent')], live: true });
    expect(readToSend(offline)).toBe(0);
  });
});

describe('typing, agents, offline mode', () => {
  it('lists who is typing, and an agent\'s message ends their typing', () => {
    let s = run(open(), { type: 'typing', agent: ana, typing: true }, { type: 'typing', agent: ben, typing: true }, { type: 'typing', agent: ana, typing: true });
    expect(s.typing.map((a) => a.id)).toEqual(['u-ben', 'u-ana']);
    s = reduce(s, { type: 'messages', messages: [msg(1, 'agent')], live: true });
    expect(s.typing.map((a) => a.id)).toEqual(['u-ben']);
    expect(reduce(s, { type: 'connected', connected: false }).typing).toEqual([]);
  });

  it('asks for an email when nobody is online, until one is known', () => {
    let s = run(open(), { type: 'agents', agents: [] });
    expect(isOffline(s)).toBe(true);
    expect(needsEmail(s)).toBe(true);
    s = reduce(s, { type: 'email', email: 'ana@example.com' });
    expect(needsEmail(s)).toBe(false);
    expect(isOffline(s)).toBe(true);
    expect(needsEmail(run(open(), { type: 'hello', info: info({ agents: [], email: 'known@example.com' }) }))).toBe(false);
    // Before hello nothing is known: no offline mode yet.
    expect(isOffline(initialState())).toBe(false);
    expect(isOffline(reduce(s, { type: 'agents', agents: [ben] }))).toBe(false);
  });

  it('puts a rate-limited message back (out of the outbox) with the error', () => {
    const s = run(open(), { type: 'queue', entry: { id: 'msg-mine03', kind: 'text', text: 'too fast', at: 5 } }, { type: 'drop', id: 'msg-mine03', error: 'slow down' });
    expect(s.outbox).toEqual([]);
    expect(items(s)).toEqual([]);
    expect(s.error).toBe('slow down');
  });
});
