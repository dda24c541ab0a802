// The role matrix over the /agent namespace: every event of AgentClientEvents, tried as the
// owner, an admin and an agent of workspace W, as an outsider (who owns workspace X and sends W's
// ids) and as a stranger (no session). Members get their answers; the outsider is refused with
// not_found/forbidden and never hears any of W's data (not in an ack, not in any event pushed to
// their socket); the stranger's socket is refused before any event reaches a handler.
// The table is a Record over the protocol's event map: a new event without a row does not compile.
// Real server, real sockets, both databases.
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { Ack, AgentCall, AgentClientEvents, Assignee, ChatMessage, ChatPage, ConversationSummary, ErrorCode, LiveVisitor, VisitorAttention, VisitorDetails } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { ask, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from '../support/server';

const ORIGIN = 'https://shop.example';
type Member = 'owner' | 'admin' | 'agent';
const MEMBERS: readonly Member[] = ['owner', 'admin', 'agent'];

/** What the matrix works with: W's people, site, visitors, conversation and a live call; X's outsider. */
interface Fixture {
  server: Porchlight;
  accounts: Record<Member | 'outsider' | 'caller', Person>;
  sockets: Record<Member | 'outsider', AgentSocket>;
  /** A W colleague's dashboard, to see what members' actions look like to the team. */
  colleague: AgentSocket;
  workspaceW: string;
  workspaceX: string;
  siteS: { id: string; publicKey: string; name: string };
  siteT: { id: string };
  /** A visitor of S who chats: their conversation is C. */
  chatVisitor: { id: string; socket: VisitorSocket };
  conversationC: string;
  /** A visitor of S the members call in their cells (free between cells). */
  callVisitor: { id: string; socket: VisitorSocket };
  /** A call of W, answered and connected, between a colleague (caller) and another visitor of S. */
  callW: string;
  /** The visitor in that call. */
  fixVisitorId: string;
  /** Everything of W the outsider must never see. */
  secrets: string[];
}

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

const REFUSALS: readonly ErrorCode[] = ['not_found', 'forbidden'];

/** An account and the name it signed up with (what colleagues and visitors see). */
type Person = Account & { name: string };

function expectOk<T extends object>(r: Ack<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: refused with ${r.code} ${r.message ?? ''}`);
  return r;
}

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

const conversation = (f: Fixture, me: Member) => ask<{ conversation: ConversationSummary } & ChatPage>(f.sockets[me], 'chat:sync', { conversationId: f.conversationC, after: 0 });

/** One row per event of the /agent namespace: adding an event to the protocol without a row here fails the typecheck. */
const MATRIX: Record<keyof AgentClientEvents, Row> = {
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

const SECRET_TEXT = `the parcel code is ${randomUUID()}`;
const OUTSIDER_TEXT = 'outsider was here';
const EVENTS = Object.keys(MATRIX) as (keyof AgentClientEvents)[];

describe.each(testDatabases())('access matrix over /agent ($name)', (kind) => {
  let database: Database;
  let f: Fixture;
  const open: { disconnect(): void }[] = [];
  /** Everything pushed to the outsider's and the visitors' sockets, to look for leaks at the end. */
  const heardByOutsider: { event: string; args: unknown[] }[] = [];
  const heardByVisitors: { event: string; args: unknown[] }[] = [];
  const heardByColleague: { event: string; args: unknown[] }[] = [];
  let cells = 0;

  const dashboard = async (server: Porchlight, a: Account, o: { workspaceId?: string; listen?: (event: string, args: unknown[]) => void } = {}): Promise<AgentSocket> => {
    const s: AgentSocket = connect(`${server.url}/agent`, { transports: ['websocket'], extraHeaders: { cookie: a.cookie, origin: server.url }, auth: o.workspaceId ? { workspaceId: o.workspaceId } : {}, reconnection: false, forceNew: true });
    open.push(s);
    const listen = o.listen;
    // Before connecting: the server says things (availability) right on connect.
    if (listen) s.onAny((event: string, ...args: unknown[]) => listen(event, args));
    await connected(s);
    return s;
  };
  const person = async (server: Porchlight, name: string): Promise<Person> => ({ ...(await signUp(server.url, name)), name });
  const visitor = async (server: Porchlight, key: string) => {
    const auth = handshake();
    const socket = visitorSocket(server.url, { key, origin: ORIGIN, auth });
    open.push(socket);
    socket.onAny((event: string, ...args: unknown[]) => heardByVisitors.push({ event, args }));
    await connected(socket);
    return { id: auth.visitorId, socket };
  };

  beforeAll(async () => {
    database = await kind.open();
    const server = await startTestServer(database);
    const owner = await person(server, 'Olive Owner');
    const siteName = `Lumen Lamps ${randomUUID().slice(0, 8)}`;
    const site = await server.services.sites.create(owner.userId, { name: siteName, allowedOrigins: [ORIGIN] });
    const workspaceW = (await server.services.team.workspaceOf(owner.userId))!.id;
    const join = async (name: string, role: 'admin' | 'agent') => {
      const a = await person(server, name);
      const { link } = await server.services.team.invite(owner.userId, { email: a.email, role });
      await server.services.team.accept(a.userId, link.split('/invite/')[1]!);
      return a;
    };
    const admin = await join('Ada Admin', 'admin');
    const agent = await join('Abe Agent', 'agent');
    const caller = await join('Cal Colleague', 'agent');
    const outsider = await person(server, 'Otto Outsider');
    const siteT = await server.services.sites.create(outsider.userId, { name: 'Elsewhere Ltd', allowedOrigins: [ORIGIN] });
    const workspaceX = (await server.services.team.workspaceOf(outsider.userId))!.id;

    const sockets = {
      owner: await dashboard(server, owner),
      admin: await dashboard(server, admin),
      agent: await dashboard(server, agent),
      outsider: await dashboard(server, outsider, { listen: (event, args) => heardByOutsider.push({ event, args }) }),
    };
    const callerSocket = await dashboard(server, caller, { listen: (event, args) => heardByColleague.push({ event, args }) });

    const chatVisitor = await visitor(server, site.publicKey);
    expectOk(await ask(chatVisitor.socket, 'visitor:identify', { name: 'Vera Visible', email: 'vera@shop.example' }), 'identify');
    const sent = expectOk(await ask<{ message: ChatMessage }>(chatVisitor.socket, 'chat:send', { id: randomUUID(), text: SECRET_TEXT }), 'visitor chat:send');
    const callVisitor = await visitor(server, site.publicKey);

    // W's standing call: a colleague calls a third visitor, who answers; both report connected.
    const fixVisitor = await visitor(server, site.publicKey);
    const started = expectOk(await ask<{ call: AgentCall }>(callerSocket, 'call:start', { siteId: site.id, visitorId: fixVisitor.id, video: false }), 'fixture call:start');
    const callW = started.call.callId;
    expectOk(await ask(fixVisitor.socket, 'call:accept', { callId: callW, media: { audio: true, video: false } }), 'fixture call:accept');
    expectOk(await ask(callerSocket, 'call:connected', { callId: callW }), 'fixture call:connected');

    for (const s of Object.values(sockets).slice(0, 3)) expectOk(await ask(s, 'site:watch', { siteId: site.id }), 'site:watch');

    const accounts = { owner, admin, agent, caller, outsider };
    f = {
      server,
      accounts,
      sockets,
      colleague: callerSocket,
      workspaceW,
      workspaceX,
      siteS: { id: site.id, publicKey: site.publicKey, name: siteName },
      siteT: { id: siteT.id },
      chatVisitor,
      conversationC: sent.message.conversationId,
      callVisitor,
      callW,
      fixVisitorId: fixVisitor.id,
      secrets: [siteName, site.publicKey, 'Vera Visible', 'vera@shop.example', SECRET_TEXT, chatVisitor.id, callVisitor.id, fixVisitor.id, sent.message.conversationId, ...[owner, admin, agent, caller].flatMap((a) => [a.email, a.name, a.userId])],
    };
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await f?.server.close();
    await database?.close();
  });

  /** Nothing of W in what the outsider got back. */
  const leaks = (x: unknown): string[] => {
    const text = JSON.stringify(x);
    return f.secrets.filter((s) => text.includes(s));
  };

  for (const member of MEMBERS) {
    for (const event of EVENTS) {
      it(`W's ${member} · ${event}`, async () => {
        await MATRIX[event].member(f, member);
        cells++;
      });
    }
  }

  for (const event of EVENTS) {
    it(`outsider · ${event} with W's ids`, async () => {
      const cell = MATRIX[event].outsider;
      const r = await ask(f.sockets.outsider, event, cell.payload(f));
      if (cell.expect === 'refused') expect(r.ok ? 'ok' : r.code).toSatisfy((c: string) => (REFUSALS as readonly string[]).includes(c));
      if (cell.expect === 'ok') expect(r.ok).toBe(true);
      if (cell.expect === 'no-data' && r.ok) expect(JSON.stringify(r)).not.toContain(f.conversationC);
      expect(leaks(r), 'W data in the answer').toEqual([]);
      cells++;
    });
  }

  it('outsider · nothing they tried reached W, and nothing of W reached them', async () => {
    // Their own site works: the refusals above are about W, not a broken account.
    expectOk(await ask(f.sockets.outsider, 'site:watch', { siteId: f.siteT.id }), 'outsider watches their own site');
    await sleep(200);
    // The conversation has no outsider line and keeps a member as assignee; the standing call
    // still runs; the visitors never heard of them.
    const c = expectOk(await conversation(f, 'owner'), 'owner chat:sync');
    expect(c.messages.map((m) => m.text)).not.toContain(OUTSIDER_TEXT);
    expect(c.conversation.status).toBe('open');
    expect(c.conversation.assignee?.id).not.toBe(f.accounts.outsider.userId);
    expect(await ask(f.sockets.owner, 'call:start', { siteId: f.siteS.id, visitorId: f.fixVisitorId, video: false })).toMatchObject({ ok: false, code: 'busy' });
    expect(JSON.stringify(heardByVisitors)).not.toContain(f.accounts.outsider.name);
    expect(JSON.stringify(heardByVisitors)).not.toContain(OUTSIDER_TEXT);
    // W's dashboards never saw the outsider on a visitor (collision faces) or in a thread.
    expect(JSON.stringify(heardByColleague)).not.toContain(f.accounts.outsider.userId);
    // Nothing of W was pushed to the outsider's socket while every cell ran (they do hear their own things).
    expect(heardByOutsider.length).toBeGreaterThan(0);
    expect(heardByOutsider.filter((e) => leaks(e).length > 0).map((e) => e.event)).toEqual([]);
  });

  for (const event of EVENTS) {
    it(`stranger · ${event}: the connection is refused, so the event is never delivered`, async () => {
      const s: AgentSocket = connect(`${f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: f.server.url }, reconnection: false, forceNew: true });
      open.push(s);
      // Emitted before the handshake: socket.io buffers it until connected, which never happens.
      let answered = false;
      (s as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit(event, MATRIX[event].stranger(f), () => (answered = true));
      await expect(connected(s)).rejects.toThrow('unauthorized');
      expect(s.connected).toBe(false);
      expect(answered).toBe(false);
      cells++;
    });
  }

  it('stranger · a forged session cookie is refused too', async () => {
    const forged: AgentSocket = connect(`${f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: f.server.url, cookie: 'better-auth.session_token=forged.value' }, reconnection: false, forceNew: true });
    open.push(forged);
    await expect(connected(forged)).rejects.toThrow('unauthorized');
  });

  it('the handshake’s workspace: members may name W, the outsider may not, and a W member may not name X', async () => {
    const expectations: [Member | 'outsider', string, 'connects' | 'refused'][] = [
      ['owner', f.workspaceW, 'connects'],
      ['admin', f.workspaceW, 'connects'],
      ['agent', f.workspaceW, 'connects'],
      ['outsider', f.workspaceW, 'refused'],
      ['outsider', f.workspaceX, 'connects'],
      ['agent', f.workspaceX, 'refused'],
    ];
    for (const [who, workspaceId, outcome] of expectations) {
      const attempt = dashboard(f.server, f.accounts[who], { workspaceId });
      if (outcome === 'connects') await attempt;
      else await expect(attempt, `${who} naming ${workspaceId === f.workspaceW ? 'W' : 'X'}`).rejects.toThrow();
      cells++;
    }
    // A member's socket bound to W works in W.
    const s = await dashboard(f.server, f.accounts.agent, { workspaceId: f.workspaceW });
    expectOk(await ask(s, 'site:watch', { siteId: f.siteS.id }), 'agent bound to W watches S');
    const stranger = connect(`${f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: f.server.url }, auth: { workspaceId: f.workspaceW }, reconnection: false, forceNew: true });
    open.push(stranger);
    await expect(connected(stranger)).rejects.toThrow('unauthorized');
    cells++;
  });

  it('prints the size of the matrix', () => {
    const personas = MEMBERS.length + 2;
    console.log(`[access-matrix ${kind.name}] /agent: ${EVENTS.length} events × ${personas} personas = ${EVENTS.length * personas} cells, + 7 handshake cells; ${cells} passed`);
    expect(cells).toBe(EVENTS.length * personas + 7);
  });
});
