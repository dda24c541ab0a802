// Chat over real socket.io connections to a real server and database (PGlite, and PostgreSQL
// when DATABASE_URL is set): who may read and write what, and bad input and floods.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { chatMessage } from '../../drizzle/schema';
import type { ChatPage, ConversationSummary, VisitorChatInfo } from '../../server/protocol';
import { useChatSockets } from '../support/chat-sockets';
import { ask, must, handshake, sleep } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('chat ($name)', (kind) => {
  const chat = useChatSockets(kind);

  it('knowing a visitor\'s id is not enough: a connection without their token sees and receives nothing of their conversation', async () => {
    const a = await chat.agent(chat.ana);
    const victim = await chat.visitor();
    const { message } = await chat.send(victim.s, 'my order number is 1234');
    // The attacker copies the visitor id, but not the token (or forges one).
    for (const token of [undefined, 'AAAAAAAAAAAAAAAAAAAAAA.forgedforgedforgedforgedforgedfo', victim.auth.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const spy = await chat.visitor({ auth: { ...handshake(), visitorId: victim.auth.visitorId, ...(token ? { token } : {}) } });
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
    const v = await chat.visitor();
    const { message } = await chat.send(v.s, 'secret');
    const e = await chat.agent(chat.eve);
    let leaked = false;
    e.on('chat:message', () => (leaked = true));
    const list = await must(ask<{ conversations: ConversationSummary[]; unreadTotal: number }>(e, 'chat:list', {}));
    expect(list.conversations).toEqual([]);
    expect(list.unreadTotal).toBe(0);
    expect(await must(ask<{ conversations: ConversationSummary[] }>(e, 'chat:list', { siteId: chat.site.id }))).toMatchObject({ conversations: [] });
    for (const [event, payload] of [
      ['chat:sync', { conversationId: message.conversationId, after: 0 }],
      ['chat:send', { conversationId: message.conversationId, id: randomUUID(), text: 'hi from eve' }],
      ['chat:read', { conversationId: message.conversationId, seq: 1 }],
      ['chat:close', { conversationId: message.conversationId }],
      ['chat:typing', { conversationId: message.conversationId, typing: true }],
      ['chat:start', { siteId: chat.site.id, visitorId: v.auth.visitorId }],
    ] as const) {
      expect(await ask(e, event, payload), event).toMatchObject({ ok: false, code: 'not_found' });
    }
    await chat.send(v.s, 'another');
    await sleep(200);
    expect(leaked).toBe(false);
    const rows = await chat.database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, message.conversationId));
    expect(rows.map((r) => r.body)).toEqual(['secret', 'another']);
  });

  it('refuses bad input with a clear code and stores nothing; floods from one visitor are limited across their tabs', async () => {
    const v = await chat.visitor();
    for (const bad of [{ id: randomUUID(), text: 'x'.repeat(5001) }, { id: randomUUID(), text: '   ' }, { id: 'bad id!', text: 'hi' }, { text: 'no id' }, { id: randomUUID(), text: 'hi', conversationId: randomUUID() }, 'nope', null]) {
      expect(await ask(v.s, 'chat:send', bad)).toMatchObject({ ok: false, code: 'bad_request' });
    }
    expect((await must(ask<ChatPage>(v.s, 'chat:sync', { after: 0 }))).messages).toEqual([]);
    // 12 a minute for one visitor (set for the test), whichever of their tabs sends (a fresh
    // visitor: refused attempts count too, the limiter runs before the payload is parsed).
    const w = await chat.visitor();
    const tab2 = await chat.visitor({ auth: { ...w.auth, tabId: `${w.auth.tabId}z` } });
    const results = [];
    for (let i = 0; i < 16; i++) results.push(await ask(i % 2 ? tab2.s : w.s, 'chat:send', { id: randomUUID(), text: `m${i}` }));
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    expect(results.slice(12).every((r) => !r.ok && r.code === 'rate_limited')).toBe(true);
    expect((await must(ask<ChatPage>(w.s, 'chat:sync', { after: 0 }))).messages).toHaveLength(12);
  });
});
