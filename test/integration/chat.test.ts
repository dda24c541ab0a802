// Chat over real socket.io connections to a real server and database (PGlite, and PostgreSQL
// when DATABASE_URL is set): delivery, replay, idempotency, read marks, typing, who may read
// and write what, offline capture with a real SMTP receiver, and bad input.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../drizzle/db';
import { chatMessage, workspaceMember } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { ChatMessage, ChatPage, ConversationSummary, PresenceDiff, VisitorChatInfo } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { ask, must, agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type VisitorSocket } from '../support/server';

const ORIGIN = 'https://shop.example';


/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
async function smtpReceiver() {
  const mails: { to: string[]; body: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(testDatabases())('chat ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let ana: Account;
  let ben: Account; // Ana's colleague
  let eve: Account; // another workspace
  let site: { id: string; publicKey: string };
  let open: { disconnect(): void }[] = [];
  const track = <T extends { disconnect(): void }>(s: T) => (open.push(s), s);

  const agent = async (a: Account) => {
    const s = track(agentSocket(server.url, a.cookie));
    await connected(s);
    // The socket joins its workspace rooms right after connecting.
    await sleep(100);
    return s;
  };
  /** A visitor tab; `token` undefined = first contact (the server issues one). */
  const visitor = async (o: { auth?: ReturnType<typeof handshake>; key?: string } = {}) => {
    const auth = o.auth ?? handshake();
    const s = track(visitorSocket(server.url, { key: o.key ?? site.publicKey, origin: ORIGIN, auth }));
    const token = auth.token ? Promise.resolve(auth.token) : nextEvent<{ token: string }>(s, 'visitor:token').then((t) => t.token);
    await connected(s);
    return { s, auth: { ...auth, token: await token } };
  };
  const send = (v: VisitorSocket, text: string, id = randomUUID(), extra: object = {}) => must(ask<{ message: ChatMessage }>(v, 'chat:send', { id, text, ...extra }));

  beforeAll(async () => {
    database = await kind.open();
    smtp = await smtpReceiver();
    server = await startTestServer(database, { SMTP_URL: smtp.url, CHAT_VISITOR_MESSAGES_PER_MINUTE: '12' });
    ana = await signUp(server.url, 'Ana Lima');
    ben = await signUp(server.url, 'Ben Okafor');
    eve = await signUp(server.url, 'Eve');
    site = await server.services.sites.create(ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
    const ws = await server.services.sites.workspaceOf(ana.userId);
    await database.db.insert(workspaceMember).values({ workspaceId: ws!.id, userId: ben.userId, role: 'agent' });
    // As joining from an invitation would: Ana's workspace is the one Ben's dashboard shows.
    await server.services.team.switchTo(ben.userId, ws!.id);
  });
  afterEach(async () => {
    for (const s of open) s.disconnect();
    open = [];
    await sleep(50);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await database?.close();
  });

  it('a visitor writes, every agent of the workspace gets it live, the first to reply is assigned, and the visitor gets the reply', async () => {
    const [a, b] = [await agent(ana), await agent(ben)];
    const v = await visitor();
    const hello = await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}));
    expect(hello.chat).toMatchObject({ team: 'Lumen Lamps', sneakPeek: true, conversationId: null, lastSeq: 0 });
    expect(hello.chat.agents.map((x) => x.name).sort()).toEqual(['Ana Lima', 'Ben Okafor']);
    expect(hello.chat.greeting.length).toBeGreaterThan(0);

    const atAna = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(a, 'chat:message');
    const atBen = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(b, 'chat:message');
    const sent = await send(v.s, 'Hi, do you ship to Canada? 🇨🇦 日本語');
    expect(sent.message).toMatchObject({ seq: 1, from: 'visitor', text: 'Hi, do you ship to Canada? 🇨🇦 日本語' });
    const [ma, mb] = await Promise.all([atAna, atBen]);
    expect(ma.message).toEqual(sent.message);
    expect(mb.message).toEqual(sent.message);
    expect(ma.conversation).toMatchObject({ siteName: 'Lumen Lamps', visitorId: v.auth.visitorId, status: 'open', waiting: true, unread: 1, assignee: null });

    const inbox = await must(ask<{ conversations: ConversationSummary[]; unreadTotal: number }>(a, 'chat:list', { status: 'waiting' }));
    expect(inbox.conversations.map((c) => c.id)).toContain(ma.conversation.id);
    expect(inbox.unreadTotal).toBeGreaterThanOrEqual(1);
    const unassigned = await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', { owner: 'unassigned' }));
    expect(unassigned.conversations.map((c) => c.id)).toContain(ma.conversation.id);

    const reply = nextEvent<ChatMessage>(v.s, 'chat:message', (m) => m.from === 'agent');
    // Replying is reading: the visitor sees "Seen" on what they wrote.
    const seen = nextEvent<{ seq: number }>(v.s, 'chat:read');
    const r = await must(ask<{ message: ChatMessage; conversation: ConversationSummary }>(b, 'chat:send', { conversationId: ma.conversation.id, id: randomUUID(), text: 'Yes, in 3 days: https://lumen.example/shipping.' }));
    expect(r.message).toMatchObject({ seq: 2, from: 'agent', agent: { name: 'Ben Okafor', initials: 'BO' } });
    expect(r.conversation).toMatchObject({ waiting: false, assignee: { name: 'Ben Okafor' }, unread: 0 });
    expect(await reply).toEqual(r.message);
    expect(await seen).toEqual({ seq: 2 });
    // Ana answering later does not take it over.
    const r2 = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:send', { conversationId: ma.conversation.id, id: randomUUID(), text: 'Ana here too' }));
    expect(r2.conversation.assignee?.name).toBe('Ben Okafor');
    const mine = await must(ask<{ conversations: ConversationSummary[] }>(b, 'chat:list', { owner: 'mine' }));
    expect(mine.conversations.map((c) => c.id)).toContain(ma.conversation.id);
  });

  it('a resend with the same id is the same message: one row, one seq, one delivery', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const got: ChatMessage[] = [];
    a.on('chat:message', (p: { message: ChatMessage }) => p.message.conversationId && got.push(p.message));
    const id = randomUUID();
    const [first, again] = await Promise.all([send(v.s, 'once', id), send(v.s, 'once', id)]);
    const third = await send(v.s, 'once', id);
    expect(again.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    const rows = await database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, first.message.conversationId));
    expect(rows).toHaveLength(1);
    await sleep(200);
    expect(got.filter((m) => m.id === id)).toHaveLength(1);
  });

  it('a visitor who was disconnected gets everything after the last seq they hold, in order, on another tab and after a restart of the socket', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const first = await send(v.s, 'first');
    const conversationId = first.message.conversationId;
    v.s.disconnect();
    for (const text of ['one', 'two', 'three']) await must(ask(a, 'chat:send', { conversationId, id: randomUUID(), text }));
    // Same browser (token), new tab, later.
    const again = await visitor({ auth: { ...v.auth, tabId: `${v.auth.tabId}x` } });
    const page = await must(ask<ChatPage>(again.s, 'chat:sync', { after: 1 }));
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([[2, 'one'], [3, 'two'], [4, 'three']]);
    expect(page.more).toBe(false);
    const hello = await must(ask<{ chat: VisitorChatInfo }>(again.s, 'chat:hello', {}));
    expect(hello.chat).toMatchObject({ conversationId, lastSeq: 4, unread: 3 });
    // The agent side replays the same way.
    const agentPage = await must(ask<ChatPage & { conversation: ConversationSummary }>(a, 'chat:sync', { conversationId, after: 2 }));
    expect(agentPage.messages.map((m) => m.text)).toEqual(['two', 'three']);
  });

  it('tells a returning visitor with unread agent messages on connect (the launcher badge and preview)', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const { message } = await send(v.s, 'hello?');
    v.s.disconnect();
    await must(ask(a, 'chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'We are here, how can we help?' }));
    const s = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: { ...v.auth, tabId: `${v.auth.tabId}y` } }));
    const unread = await nextEvent<{ count: number; last: ChatMessage }>(s, 'chat:unread');
    expect(unread.count).toBe(1);
    expect(unread.last.text).toBe('We are here, how can we help?');
  });

  it('knowing a visitor\'s id is not enough: a connection without their token sees and receives nothing of their conversation', async () => {
    const a = await agent(ana);
    const victim = await visitor();
    const { message } = await send(victim.s, 'my order number is 1234');
    // The attacker copies the visitor id, but not the token (or forges one).
    for (const token of [undefined, 'AAAAAAAAAAAAAAAAAAAAAA.forgedforgedforgedforgedforgedfo', victim.auth.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const spy = await visitor({ auth: { ...handshake(), visitorId: victim.auth.visitorId, ...(token ? { token } : {}) } });
      expect(spy.auth.token).not.toBe(victim.auth.token);
      let leaked = false;
      spy.s.on('chat:message', () => (leaked = true));
      const page = await must(ask<ChatPage>(spy.s, 'chat:sync', { after: 0 }));
      expect(page.messages).toEqual([]);
      const hello = await must(ask<{ chat: VisitorChatInfo }>(spy.s, 'chat:hello', {}));
      expect(hello.chat.conversationId).toBeNull();
      // Payload ids are not accepted at all.
      expect(await ask(spy.s, 'chat:sync', { after: 0, conversationId: message.conversationId })).toMatchObject({ ok: false, code: 'bad_request' });
      await must(ask(a, 'chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'private answer' }));
      await sleep(200);
      expect(leaked).toBe(false);
      spy.s.disconnect();
    }
  });

  it('an agent of another workspace can neither list, read, write, close nor start conversations here', async () => {
    const v = await visitor();
    const { message } = await send(v.s, 'secret');
    const e = await agent(eve);
    let leaked = false;
    e.on('chat:message', () => (leaked = true));
    const list = await must(ask<{ conversations: ConversationSummary[]; unreadTotal: number }>(e, 'chat:list', {}));
    expect(list.conversations).toEqual([]);
    expect(list.unreadTotal).toBe(0);
    expect(await must(ask<{ conversations: ConversationSummary[] }>(e, 'chat:list', { siteId: site.id }))).toMatchObject({ conversations: [] });
    for (const [event, payload] of [
      ['chat:sync', { conversationId: message.conversationId, after: 0 }],
      ['chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'hi from eve' }],
      ['chat:read', { conversationId: message.conversationId, seq: 1 }],
      ['chat:close', { conversationId: message.conversationId }],
      ['chat:typing', { conversationId: message.conversationId, typing: true }],
      ['chat:start', { siteId: site.id, visitorId: v.auth.visitorId }],
    ] as const) {
      expect(await ask(e, event, payload), event).toMatchObject({ ok: false, code: 'not_found' });
    }
    await send(v.s, 'another');
    await sleep(200);
    expect(leaked).toBe(false);
    const rows = await database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, message.conversationId));
    expect(rows.map((r) => r.body)).toEqual(['secret', 'another']);
  });

  it('typing both ways, sneak peek of the visitor\'s draft, and "Seen" both ways', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const { message } = await send(v.s, 'question');
    const conversationId = message.conversationId;
    const peek = nextEvent<{ conversationId: string; typing: boolean; from: string; text?: string }>(a, 'chat:typing', (t) => t.typing);
    await must(ask(v.s, 'chat:typing', { typing: true, text: 'how much is the aur' }));
    expect(await peek).toEqual({ conversationId, typing: true, from: 'visitor', text: 'how much is the aur' });
    const stopped = nextEvent<{ typing: boolean }>(a, 'chat:typing', (t) => !t.typing);
    await must(ask(v.s, 'chat:typing', { typing: false }));
    await stopped;

    const agentTyping = nextEvent<{ typing: boolean; agent: { name: string } }>(v.s, 'chat:typing');
    await must(ask(a, 'chat:typing', { conversationId, typing: true }));
    expect(await agentTyping).toMatchObject({ typing: true, agent: { name: 'Ana Lima' } });

    // The agent reads: the visitor sees "Seen" up to their message.
    const seen = nextEvent<{ seq: number }>(v.s, 'chat:read');
    await must(ask(a, 'chat:read', { conversationId, seq: message.seq }));
    expect(await seen).toEqual({ seq: message.seq });
    const [c] = (await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', { visitorId: v.auth.visitorId }))).conversations;
    expect(c).toMatchObject({ unread: 0, agentReadSeq: 1 });

    // The visitor reads the agent's reply: the agents see it.
    const reply = await must(ask<{ message: ChatMessage }>(a, 'chat:send', { conversationId, id: randomUUID(), text: 'answer' }));
    const visitorSeen = nextEvent<{ conversation: ConversationSummary }>(a, 'chat:conversation', (p) => p.conversation.visitorReadSeq === reply.message.seq);
    await must(ask(v.s, 'chat:read', { seq: reply.message.seq }));
    await visitorSeen;
  });

  it('with sneak peek turned off the draft never leaves the server', async () => {
    const quiet = await server.services.sites.create(ana.userId, { name: 'Quiet', allowedOrigins: [ORIGIN] });
    const { site: siteTable } = await import('../../drizzle/schema');
    await database.db.update(siteTable).set({ chatSneakPeek: false }).where(eq(siteTable.id, quiet.id));
    const a = await agent(ana);
    const v = await visitor({ key: quiet.publicKey });
    expect((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.sneakPeek).toBe(false);
    await send(v.s, 'hi');
    const typingEvent = nextEvent<{ typing: boolean; text?: string }>(a, 'chat:typing', (t) => t.typing);
    await must(ask(v.s, 'chat:typing', { typing: true, text: 'my secret draft' }));
    const t = await typingEvent;
    expect(t.typing).toBe(true);
    expect(t.text).toBeUndefined();
  });

  it('close and reopen: a line in the thread says who, the inbox filters follow, and a visitor message reopens it', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const { message } = await send(v.s, 'thanks, that is all');
    const conversationId = message.conversationId;
    const closed = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:close', { conversationId }));
    // Closed is done: nothing waiting, nothing unread.
    expect(closed.conversation).toMatchObject({ status: 'closed', waiting: false, unread: 0 });
    const page = await must(ask<ChatPage>(a, 'chat:sync', { conversationId, after: 0 }));
    expect(page.messages.at(-1)).toMatchObject({ from: 'system', event: 'closed', agent: { name: 'Ana Lima' } });
    const closedList = await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', { status: 'closed' }));
    expect(closedList.conversations.map((c) => c.id)).toContain(conversationId);
    const reopened = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:reopen', { conversationId }));
    expect(reopened.conversation.status).toBe('open');
    await must(ask(a, 'chat:close', { conversationId }));
    const back = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(a, 'chat:message', (p) => p.conversation.id === conversationId && p.message.from === 'visitor');
    await send(v.s, 'one more thing');
    expect((await back).conversation).toMatchObject({ status: 'open', waiting: true });
  });

  it('proactive chat: the agent starts a conversation with an online visitor and the first message reaches their page', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const started = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:start', { siteId: site.id, visitorId: v.auth.visitorId }));
    expect(started.conversation.visitorId).toBe(v.auth.visitorId);
    const arrives = nextEvent<ChatMessage>(v.s, 'chat:message');
    await must(ask(a, 'chat:send', { conversationId: started.conversation.id, id: randomUUID(), text: 'Need a hand choosing a lamp?' }));
    expect((await arrives).text).toBe('Need a hand choosing a lamp?');
    // It is the visitor's own conversation: they can read it from the widget.
    expect((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.conversationId).toBe(started.conversation.id);
    // A request for a call waits for an answer and counts as unread, like a message.
    const asked = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(a, 'chat:message', (p) => p.message.event === 'call_requested');
    await must(ask(v.s, 'chat:request-call', { id: randomUUID() }));
    expect((await asked).conversation).toMatchObject({ waiting: true, unread: 1 });
    // Starting again returns the same conversation; an offline visitor cannot be started.
    expect((await must(ask<{ conversation: ConversationSummary }>(a, 'chat:start', { siteId: site.id, visitorId: v.auth.visitorId }))).conversation.id).toBe(started.conversation.id);
    expect(await ask(a, 'chat:start', { siteId: site.id, visitorId: 'nobody-online-here' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('the live table shows who is chatting and unread messages on the visitor\'s row', async () => {
    const a = await agent(ana);
    await must(ask(a, 'site:watch', { siteId: site.id }));
    const v = await visitor();
    const unreadRow = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === v.auth.visitorId && u.chat?.unread === 1));
    const { message } = await send(v.s, 'anyone?');
    const row = (await unreadRow).upserts.find((u) => u.id === v.auth.visitorId);
    expect(row?.chat).toMatchObject({ conversationId: message.conversationId, status: 'open', assigneeName: null, unread: 1 });
    const assignedRow = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === v.auth.visitorId && u.chat?.assigneeName === 'Ana Lima'));
    await must(ask(a, 'chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'yes!' }));
    expect((await assignedRow).upserts.find((u) => u.id === v.auth.visitorId)?.chat).toMatchObject({ unread: 0, assigneeName: 'Ana Lima' });
  });

  it('with no agent online the visitor\'s message is kept as a waiting offline conversation and the owner gets an email', async () => {
    // No agent socket is connected in this test (the server may still be closing the last test's).
    const v = await visitor();
    await expect.poll(async () => (await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.agents, { timeout: 5000 }).toEqual([]);
    const before = smtp.mails.length;
    const { message } = await send(v.s, 'Please call me back about the studio bundle', randomUUID(), { email: 'maya@northwind.example' });
    for (let i = 0; i < 100 && smtp.mails.length === before; i++) await sleep(50);
    const mail = smtp.mails.at(-1)!;
    expect(smtp.mails.length).toBe(before + 1);
    expect(mail.to).toEqual([ana.email]);
    expect(mail.body).toContain('Please call me back about the studio bundle');
    expect(mail.body).toContain('maya@northwind.example');
    expect(mail.body).toContain(message.conversationId);
    const a = await agent(ana);
    const [c] = (await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', { visitorId: v.auth.visitorId }))).conversations;
    expect(c).toMatchObject({ waiting: true, offline: true, visitorEmail: 'maya@northwind.example' });
    // The email is remembered: the panel does not ask again.
    expect((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.email).toBe('maya@northwind.example');
  });

  it('refuses bad input with a clear code and stores nothing; floods from one visitor are limited across their tabs', async () => {
    const v = await visitor();
    for (const bad of [{ id: randomUUID(), text: 'x'.repeat(5001) }, { id: randomUUID(), text: '   ' }, { id: 'bad id!', text: 'hi' }, { text: 'no id' }, { id: randomUUID(), text: 'hi', conversationId: randomUUID() }, 'nope', null]) {
      expect(await ask(v.s, 'chat:send', bad)).toMatchObject({ ok: false, code: 'bad_request' });
    }
    expect((await must(ask<ChatPage>(v.s, 'chat:sync', { after: 0 }))).messages).toEqual([]);
    // 12 a minute for one visitor (set for the test), whichever of their tabs sends (a fresh
    // visitor: refused attempts count too, the limiter runs before the payload is parsed).
    const w = await visitor();
    const tab2 = await visitor({ auth: { ...w.auth, tabId: `${w.auth.tabId}z` } });
    const results = [];
    for (let i = 0; i < 16; i++) results.push(await ask(i % 2 ? tab2.s : w.s, 'chat:send', { id: randomUUID(), text: `m${i}` }));
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    expect(results.slice(12).every((r) => !r.ok && r.code === 'rate_limited')).toBe(true);
    expect((await must(ask<ChatPage>(w.s, 'chat:sync', { after: 0 }))).messages).toHaveLength(12);
  });
});
