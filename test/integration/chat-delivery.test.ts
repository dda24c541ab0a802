// Chat over real socket.io connections to a real server and database (PGlite, and PostgreSQL
// when DATABASE_URL is set): delivery to every agent and back, idempotency, replay after a
// disconnect, the unread badge, and offline capture with a real SMTP receiver.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { chatMessage } from '../../drizzle/schema';
import type { ChatMessage, ChatPage, ConversationSummary, VisitorChatInfo } from '../../server/protocol';
import { ORIGIN, useChatSockets } from '../support/chat-sockets';
import { ask, must, nextEvent, sleep, visitorSocket } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('chat ($name)', (kind) => {
  const chat = useChatSockets(kind);

  it('a visitor writes, every agent of the workspace gets it live, the first to reply is assigned, and the visitor gets the reply', async () => {
    const [a, b] = [await chat.agent(chat.ana), await chat.agent(chat.ben)];
    const v = await chat.visitor();
    const hello = await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}));
    expect(hello.chat).toMatchObject({ team: 'Lumen Lamps', sneakPeek: true, conversationId: null, lastSeq: 0 });
    expect(hello.chat.agents.map((x) => x.name).sort()).toEqual(['Ana Lima', 'Ben Okafor']);
    expect(hello.chat.greeting.length).toBeGreaterThan(0);

    const atAna = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(a, 'chat:message');
    const atBen = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(b, 'chat:message');
    const sent = await chat.send(v.s, 'Hi, do you ship to Canada? 🇨🇦 日本語');
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
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const got: ChatMessage[] = [];
    a.on('chat:message', (p: { message: ChatMessage }) => p.message.conversationId && got.push(p.message));
    const id = randomUUID();
    const [first, again] = await Promise.all([chat.send(v.s, 'once', id), chat.send(v.s, 'once', id)]);
    const third = await chat.send(v.s, 'once', id);
    expect(again.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    const rows = await chat.database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, first.message.conversationId));
    expect(rows).toHaveLength(1);
    await sleep(200);
    expect(got.filter((m) => m.id === id)).toHaveLength(1);
  });

  it('a visitor who was disconnected gets everything after the last seq they hold, in order, on another tab and after a restart of the socket', async () => {
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const first = await chat.send(v.s, 'first');
    const conversationId = first.message.conversationId;
    v.s.disconnect();
    for (const text of ['one', 'two', 'three']) await must(ask(a, 'chat:send', { conversationId, id: randomUUID(), text }));
    // Same browser (token), new tab, later.
    const again = await chat.visitor({ auth: { ...v.auth, tabId: `${v.auth.tabId}x` } });
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
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const { message } = await chat.send(v.s, 'hello?');
    v.s.disconnect();
    await must(ask(a, 'chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'We are here, how can we help?' }));
    const s = chat.track(visitorSocket(chat.server.url, { key: chat.site.publicKey, origin: ORIGIN, auth: { ...v.auth, tabId: `${v.auth.tabId}y` } }));
    const unread = await nextEvent<{ count: number; last: ChatMessage }>(s, 'chat:unread');
    expect(unread.count).toBe(1);
    expect(unread.last.text).toBe('We are here, how can we help?');
  });

  it('with no agent online the visitor\'s message is kept as a waiting offline conversation and the owner gets an email', async () => {
    // No agent socket is connected in this test (the server may still be closing the last test's).
    const v = await chat.visitor();
    await expect.poll(async () => (await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.agents, { timeout: 5000 }).toEqual([]);
    const before = chat.smtp.mails.length;
    const { message } = await chat.send(v.s, 'Please call me back about the studio bundle', randomUUID(), { email: 'maya@northwind.example' });
    for (let i = 0; i < 100 && chat.smtp.mails.length === before; i++) await sleep(50);
    const mail = chat.smtp.mails.at(-1)!;
    expect(chat.smtp.mails.length).toBe(before + 1);
    expect(mail.to).toEqual([chat.ana.email]);
    expect(mail.body).toContain('Please call me back about the studio bundle');
    expect(mail.body).toContain('maya@northwind.example');
    expect(mail.body).toContain(message.conversationId);
    const a = await chat.agent(chat.ana);
    const [c] = (await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', { visitorId: v.auth.visitorId }))).conversations;
    expect(c).toMatchObject({ waiting: true, offline: true, visitorEmail: 'maya@northwind.example' });
    // The email is remembered: the panel does not ask again.
    expect((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.email).toBe('maya@northwind.example');
  });
});
