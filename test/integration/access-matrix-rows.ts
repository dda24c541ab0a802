// The rows of the access matrix over the /agent namespace (access-matrix-personas.test.ts): for every
// event of AgentClientEvents, what a member of W does with it and checks, what the outsider sends
// with W's ids and what must come back, and what the stranger would send.
// The table is a Record over the protocol's event map: a new event without a row does not compile.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AgentCall, AgentClientEvents, Assignee, ChatMessage, ChatPage, ConversationSummary, ErrorCode, LiveVisitor, VisitorAttention, VisitorDetails } from '../../server/protocol';
import { expectOk, MEMBERS, SECRET_TEXT, type Fixture, type Member } from '../support/agent-access-fixture';
import { ask, nextEvent } from '../support/server';

/** A member's cell: sends the event with W's ids and checks what comes back (and what others notice). */
type MemberCell = (f: Fixture, me: Member) => Promise<void>;
/**
 * The outsider sends W's ids. `refused`: ok:false with not_found or forbidden. `ok`: the event only
 * concerns the outsider themselves (it must work, and carry nothing of W). `no-data`: either way,
 * but nothing of W comes back.
 */
interface OutsiderCell {
  payload: (f: Fixture) => unknown;
  expect: 'refused' | 'ok' | 'no-data';
}
interface Row {
  member: MemberCell;
  outsider: OutsiderCell;
  /** A payload that would be valid for a member: the stranger's socket must not deliver it anywhere. */
  stranger: (f: Fixture) => unknown;
}

export const REFUSALS: readonly ErrorCode[] = ['not_found', 'forbidden'];

/** A member places a call to the call visitor; with `answer`, the visitor accepts it. */
async function placeCall(f: Fixture, me: Member, answer: boolean): Promise<string> {
  const s = f.sockets[me];
  const invited = nextEvent<{ callId: string }>(f.callVisitor.socket, 'call:invite');
  const started = expectOk(await ask<{ call: AgentCall }>(s, 'call:start', { siteId: f.siteS.id, visitorId: f.callVisitor.id, video: false }), `${me} call:start`);
  expect((await invited).callId).toBe(started.call.callId);
  if (answer) {
    const accepted = nextEvent<{ callId: string }>(s, 'call:accepted', (p) => p.callId === started.call.callId);
    expectOk(await ask(f.callVisitor.socket, 'call:accept', { callId: started.call.callId, media: { audio: true, video: false } }), 'visitor call:accept');
    await accepted;
  }
  return started.call.callId;
}

/** The call ends for the visitor (what the visitor notices) after `act`. */
async function endsFor(f: Fixture, callId: string, act: () => Promise<unknown>): Promise<{ reason: string }> {
  const ended = nextEvent<{ callId: string; reason: string }>(f.callVisitor.socket, 'call:ended', (e) => e.callId === callId);
  await act();
  return ended;
}

/** A colleague's call (W's, placed by someone else) is not this member's to act on. */
async function colleaguesCallRefused(f: Fixture, me: Member, event: keyof AgentClientEvents, payload: object): Promise<void> {
  expect(await ask(f.sockets[me], event, { callId: f.callW, ...payload }), `${me} ${event} on a colleague's call`).toMatchObject({ ok: false, code: 'forbidden' });
}

export const conversation = (f: Fixture, me: Member) => ask<{ conversation: ConversationSummary } & ChatPage>(f.sockets[me], 'chat:sync', { conversationId: f.conversationC, after: 0 });

/** One row per event of the /agent namespace: adding an event to the protocol without a row here fails the typecheck. */
export const MATRIX: Record<keyof AgentClientEvents, Row> = {
  'site:watch': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ visitors: LiveVisitor[] }>(f.sockets[me], 'site:watch', { siteId: f.siteS.id }), `${me} site:watch`);
      expect(r.visitors.map((v) => v.id)).toEqual(expect.arrayContaining([f.chatVisitor.id, f.callVisitor.id]));
    },
    outsider: { payload: (f) => ({ siteId: f.siteS.id }), expect: 'refused' },
    stranger: (f) => ({ siteId: f.siteS.id }),
  },
  'site:unwatch': {
    member: async (f, me) => {
      expectOk(await ask(f.sockets[me], 'site:unwatch', { siteId: f.siteS.id }), `${me} site:unwatch`);
      // Back to watching: later cells (and the live rows) expect it.
      expectOk(await ask(f.sockets[me], 'site:watch', { siteId: f.siteS.id }), `${me} site:watch again`);
    },
    // Leaving a room one is not in is harmless; it answers nothing.
    outsider: { payload: (f) => ({ siteId: f.siteS.id }), expect: 'ok' },
    stranger: (f) => ({ siteId: f.siteS.id }),
  },
  'visitor:focus': {
    member: async (f, me) => {
      const visitor = { siteId: f.siteS.id, visitorId: f.chatVisitor.id };
      const seen = nextEvent<VisitorAttention>(f.colleague, 'visitor:attention', (p) => p.visitorId === visitor.visitorId && p.agents.some((a) => a.id === f.accounts[me].userId && a.doing === 'viewing'));
      expectOk(await ask(f.sockets[me], 'visitor:focus', { doing: 'viewing', visitor }), `${me} visitor:focus`);
      await seen;
      const gone = nextEvent<VisitorAttention>(f.colleague, 'visitor:attention', (p) => p.visitorId === visitor.visitorId && !p.agents.some((a) => a.id === f.accounts[me].userId));
      expectOk(await ask(f.sockets[me], 'visitor:focus', { doing: 'viewing', visitor: null }), `${me} visitor:focus off`);
      await gone;
    },
    outsider: { payload: (f) => ({ doing: 'chatting', visitor: { siteId: f.siteS.id, visitorId: f.chatVisitor.id } }), expect: 'refused' },
    stranger: (f) => ({ doing: 'viewing', visitor: { siteId: f.siteS.id, visitorId: f.chatVisitor.id } }),
  },
  'visitor:details': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ details: VisitorDetails }>(f.sockets[me], 'visitor:details', { siteId: f.siteS.id, visitorId: f.chatVisitor.id }), `${me} visitor:details`);
      expect(r.details.visitorId).toBe(f.chatVisitor.id);
      expect(r.details.identity.name).toBe('Vera Visible');
    },
    outsider: { payload: (f) => ({ siteId: f.siteS.id, visitorId: f.chatVisitor.id }), expect: 'refused' },
    stranger: (f) => ({ siteId: f.siteS.id, visitorId: f.chatVisitor.id }),
  },
  'call:start': {
    member: async (f, me) => {
      const callId = await placeCall(f, me, false);
      await endsFor(f, callId, () => ask(f.sockets[me], 'call:cancel', { callId }));
    },
    outsider: { payload: (f) => ({ siteId: f.siteS.id, visitorId: f.callVisitor.id, video: true }), expect: 'refused' },
    stranger: (f) => ({ siteId: f.siteS.id, visitorId: f.callVisitor.id, video: true }),
  },
  'call:cancel': {
    member: async (f, me) => {
      await colleaguesCallRefused(f, me, 'call:cancel', {});
      const callId = await placeCall(f, me, false);
      const ended = await endsFor(f, callId, async () => expectOk(await ask(f.sockets[me], 'call:cancel', { callId }), `${me} call:cancel`));
      expect(ended.reason).toBe('cancelled');
    },
    outsider: { payload: (f) => ({ callId: f.callW }), expect: 'refused' },
    stranger: (f) => ({ callId: f.callW }),
  },
  'call:signal': {
    member: async (f, me) => {
      await colleaguesCallRefused(f, me, 'call:signal', { data: 'x' });
      const callId = await placeCall(f, me, true);
      const got = nextEvent<{ callId: string; data: string }>(f.callVisitor.socket, 'call:signal', (p) => p.callId === callId);
      expectOk(await ask(f.sockets[me], 'call:signal', { callId, data: `{"from":"${me}"}` }), `${me} call:signal`);
      expect((await got).data).toBe(`{"from":"${me}"}`);
      await endsFor(f, callId, () => ask(f.sockets[me], 'call:hangup', { callId }));
    },
    outsider: { payload: (f) => ({ callId: f.callW, data: '{"type":"offer"}' }), expect: 'refused' },
    stranger: (f) => ({ callId: f.callW, data: '{"type":"offer"}' }),
  },
  'call:connected': {
    member: async (f, me) => {
      await colleaguesCallRefused(f, me, 'call:connected', {});
      const callId = await placeCall(f, me, true);
      expectOk(await ask(f.sockets[me], 'call:connected', { callId }), `${me} call:connected`);
      await endsFor(f, callId, () => ask(f.sockets[me], 'call:hangup', { callId }));
    },
    outsider: { payload: (f) => ({ callId: f.callW }), expect: 'refused' },
    stranger: (f) => ({ callId: f.callW }),
  },
  'call:media': {
    member: async (f, me) => {
      await colleaguesCallRefused(f, me, 'call:media', { audio: false, video: false });
      const callId = await placeCall(f, me, true);
      const got = nextEvent<{ callId: string; audio: boolean }>(f.callVisitor.socket, 'call:media', (p) => p.callId === callId);
      expectOk(await ask(f.sockets[me], 'call:media', { callId, audio: false, video: true }), `${me} call:media`);
      expect(await got).toMatchObject({ callId, audio: false, video: true });
      await endsFor(f, callId, () => ask(f.sockets[me], 'call:hangup', { callId }));
    },
    outsider: { payload: (f) => ({ callId: f.callW, audio: false, video: false }), expect: 'refused' },
    stranger: (f) => ({ callId: f.callW, audio: false, video: false }),
  },
  'call:hangup': {
    member: async (f, me) => {
      await colleaguesCallRefused(f, me, 'call:hangup', {});
      const callId = await placeCall(f, me, true);
      const ended = await endsFor(f, callId, async () => expectOk(await ask(f.sockets[me], 'call:hangup', { callId }), `${me} call:hangup`));
      expect(ended.reason).toBe('hangup');
    },
    outsider: { payload: (f) => ({ callId: f.callW }), expect: 'refused' },
    stranger: (f) => ({ callId: f.callW }),
  },
  'chat:list': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ conversations: ConversationSummary[] }>(f.sockets[me], 'chat:list', { siteId: f.siteS.id, status: 'all' }), `${me} chat:list`);
      expect(r.conversations.map((c) => c.id)).toContain(f.conversationC);
    },
    // Their own inbox (empty of W) or a refusal for a site that is not theirs: either way nothing of W.
    outsider: { payload: (f) => ({ siteId: f.siteS.id, status: 'all' }), expect: 'no-data' },
    stranger: () => ({}),
  },
  'chat:sync': {
    member: async (f, me) => {
      const r = expectOk(await conversation(f, me), `${me} chat:sync`);
      expect(r.conversation.id).toBe(f.conversationC);
      expect(r.messages.map((m) => m.text)).toContain(SECRET_TEXT);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC, after: 0 }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC, after: 0 }),
  },
  'chat:start': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ conversation: ConversationSummary }>(f.sockets[me], 'chat:start', { siteId: f.siteS.id, visitorId: f.chatVisitor.id }), `${me} chat:start`);
      // The visitor already has a conversation: it is the one.
      expect(r.conversation.id).toBe(f.conversationC);
    },
    outsider: { payload: (f) => ({ siteId: f.siteS.id, visitorId: f.chatVisitor.id }), expect: 'refused' },
    stranger: (f) => ({ siteId: f.siteS.id, visitorId: f.chatVisitor.id }),
  },
  'chat:send': {
    member: async (f, me) => {
      const text = `hello from the ${me}`;
      const got = nextEvent<ChatMessage>(f.chatVisitor.socket, 'chat:message', (m) => m.text === text);
      const r = expectOk(await ask<{ message: ChatMessage }>(f.sockets[me], 'chat:send', { conversationId: f.conversationC, id: randomUUID(), text }), `${me} chat:send`);
      expect(r.message.conversationId).toBe(f.conversationC);
      expect((await got).agent?.name).toBe(f.accounts[me].name);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC, id: randomUUID(), text: OUTSIDER_TEXT }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC, id: randomUUID(), text: OUTSIDER_TEXT }),
  },
  'chat:typing': {
    member: async (f, me) => {
      const got = nextEvent<{ typing: boolean; agent: { name: string } }>(f.chatVisitor.socket, 'chat:typing', (p) => p.typing && p.agent.name === f.accounts[me].name);
      expectOk(await ask(f.sockets[me], 'chat:typing', { conversationId: f.conversationC, typing: true }), `${me} chat:typing`);
      await got;
      expectOk(await ask(f.sockets[me], 'chat:typing', { conversationId: f.conversationC, typing: false }), `${me} chat:typing off`);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC, typing: true }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC, typing: true }),
  },
  'chat:read': {
    member: async (f, me) => {
      expectOk(await ask(f.sockets[me], 'chat:read', { conversationId: f.conversationC, seq: 1 }), `${me} chat:read`);
      expect(expectOk(await conversation(f, me), 'chat:sync').conversation.agentReadSeq).toBeGreaterThanOrEqual(1);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC, seq: 1_000 }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC, seq: 1_000 }),
  },
  'chat:close': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ conversation: ConversationSummary }>(f.sockets[me], 'chat:close', { conversationId: f.conversationC }), `${me} chat:close`);
      expect(r.conversation.status).toBe('closed');
      expectOk(await ask(f.sockets[me], 'chat:reopen', { conversationId: f.conversationC }), `${me} chat:reopen (restore)`);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC }),
  },
  'chat:reopen': {
    member: async (f, me) => {
      expectOk(await ask(f.sockets[me], 'chat:close', { conversationId: f.conversationC }), `${me} chat:close (setup)`);
      const r = expectOk(await ask<{ conversation: ConversationSummary }>(f.sockets[me], 'chat:reopen', { conversationId: f.conversationC }), `${me} chat:reopen`);
      expect(r.conversation.status).toBe('open');
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC }),
  },
  'chat:assign': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ conversation: ConversationSummary }>(f.sockets[me], 'chat:assign', { conversationId: f.conversationC, to: f.accounts[me].userId }), `${me} chat:assign`);
      expect(r.conversation.assignee?.id).toBe(f.accounts[me].userId);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC, to: f.accounts.outsider.userId }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC, to: null }),
  },
  'chat:assignees': {
    member: async (f, me) => {
      const r = expectOk(await ask<{ agents: Assignee[] }>(f.sockets[me], 'chat:assignees', { conversationId: f.conversationC }), `${me} chat:assignees`);
      expect(r.agents.map((a) => a.id)).toEqual(expect.arrayContaining(MEMBERS.map((m) => f.accounts[m].userId)));
      expect(r.agents.map((a) => a.id)).not.toContain(f.accounts.outsider.userId);
    },
    outsider: { payload: (f) => ({ conversationId: f.conversationC }), expect: 'refused' },
    stranger: (f) => ({ conversationId: f.conversationC }),
  },
  'agent:availability': {
    member: async (f, me) => {
      expect(expectOk(await ask<{ away: boolean }>(f.sockets[me], 'agent:availability', { away: false }), `${me} agent:availability`).away).toBe(false);
    },
    // Their own availability: it works and says nothing about W.
    outsider: { payload: () => ({ away: false }), expect: 'ok' },
    stranger: () => ({ away: true }),
  },
};

export const OUTSIDER_TEXT = 'outsider was here';
export const EVENTS = Object.keys(MATRIX) as (keyof AgentClientEvents)[];
