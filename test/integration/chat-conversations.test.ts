// Chat over real socket.io connections to a real server and database (PGlite, and PostgreSQL
// when DATABASE_URL is set): read marks, typing and sneak peek, closing and reopening, proactive
// chat, and what the live table shows of a chat.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ChatMessage, ChatPage, ConversationSummary, PresenceDiff, VisitorChatInfo } from '../../server/protocol';
import { ORIGIN, useChatSockets } from '../support/chat-sockets';
import { ask, must, nextEvent } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('chat ($name)', (kind) => {
  const chat = useChatSockets(kind);

  it('typing both ways, sneak peek of the visitor\'s draft, and "Seen" both ways', async () => {
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const { message } = await chat.send(v.s, 'question');
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
    const quiet = await chat.server.services.sites.create(chat.ana.userId, { name: 'Quiet', allowedOrigins: [ORIGIN] });
    const { site: siteTable } = await import('../../drizzle/schema');
    await chat.database.db.update(siteTable).set({ chatSneakPeek: false }).where(eq(siteTable.id, quiet.id));
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor({ key: quiet.publicKey });
    expect((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.sneakPeek).toBe(false);
    await chat.send(v.s, 'hi');
    const typingEvent = nextEvent<{ typing: boolean; text?: string }>(a, 'chat:typing', (t) => t.typing);
    await must(ask(v.s, 'chat:typing', { typing: true, text: 'my secret draft' }));
    const t = await typingEvent;
    expect(t.typing).toBe(true);
    expect(t.text).toBeUndefined();
  });

  it('close and reopen: a line in the thread says who, the inbox filters follow, and a visitor message reopens it', async () => {
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const { message } = await chat.send(v.s, 'thanks, that is all');
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
    await chat.send(v.s, 'one more thing');
    expect((await back).conversation).toMatchObject({ status: 'open', waiting: true });
  });

  it('proactive chat: the agent starts a conversation with an online visitor and the first message reaches their page', async () => {
    const a = await chat.agent(chat.ana);
    const v = await chat.visitor();
    const started = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:start', { siteId: chat.site.id, visitorId: v.auth.visitorId }));
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
    expect((await must(ask<{ conversation: ConversationSummary }>(a, 'chat:start', { siteId: chat.site.id, visitorId: v.auth.visitorId }))).conversation.id).toBe(started.conversation.id);
    expect(await ask(a, 'chat:start', { siteId: chat.site.id, visitorId: 'nobody-online-here' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('the live table shows who is chatting and unread messages on the visitor\'s row', async () => {
    const a = await chat.agent(chat.ana);
    await must(ask(a, 'site:watch', { siteId: chat.site.id }));
    const v = await chat.visitor();
    const unreadRow = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === v.auth.visitorId && u.chat?.unread === 1));
    const { message } = await chat.send(v.s, 'anyone?');
    const row = (await unreadRow).upserts.find((u) => u.id === v.auth.visitorId);
    expect(row?.chat).toMatchObject({ conversationId: message.conversationId, status: 'open', assigneeName: null, unread: 1 });
    const assignedRow = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === v.auth.visitorId && u.chat?.assigneeName === 'Ana Lima'));
    await must(ask(a, 'chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'yes!' }));
    expect((await assignedRow).upserts.find((u) => u.id === v.auth.visitorId)?.chat).toMatchObject({ unread: 0, assigneeName: 'Ana Lima' });
  });
});
