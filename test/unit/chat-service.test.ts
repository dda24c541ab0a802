// The chat domain (server/chat/chat-service.ts) without sockets: sequence numbers, replay,
// idempotent resends, assignment, reopening, offline capture and read marks, with an injected
// clock, on a real database (PGlite in memory: the store is part of what the rules rely on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { site, workspace } from '../../drizzle/schema';
import { ChatService } from '../../server/chat/chat-service';
import { ChatStore } from '../../server/chat/chat-store';
import { EventBus, type DomainEvents } from '../../server/events/bus';

describe('chat domain', () => {
  let database: Database;
  let chat: ChatService;
  let now = Date.UTC(2026, 10, 29, 9, 0, 0);
  const events: { name: keyof DomainEvents; event: DomainEvents[keyof DomainEvents] }[] = [];
  const ws = 'ws-1';
  const siteId = 'site-1';
  const ana = { userId: 'u-ana', name: 'Ana Lima', workspaceIds: [ws] };
  const ben = { userId: 'u-ben', name: 'Ben Okafor', workspaceIds: [ws] };
  const stranger = { userId: 'u-eve', name: 'Eve', workspaceIds: ['ws-2'] };
  let n = 0;
  const newVisitor = () => ({ siteId, workspaceId: ws, visitorId: `visitor-${++n}`, tokenId: `token-${n}` });

  beforeAll(async () => {
    database = await openDatabase({});
    await database.db.insert(workspace).values({ id: ws, name: 'Lumen' });
    await database.db.insert(site).values({ id: siteId, workspaceId: ws, name: 'Lumen Lamps', publicKey: 'pk_test', allowedOrigins: [] });
    const bus = new EventBus((err) => {
      throw err;
    });
    for (const name of ['chat:message-sent', 'chat:offline-message', 'chat:conversation-opened', 'chat:read', 'chat:conversation-closed'] as const) {
      bus.subscribe(name, (event) => void events.push({ name, event }));
    }
    chat = new ChatService(new ChatStore(database.db), bus, () => now);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('numbers messages 1, 2, 3 per conversation, stamps them with the injected clock, and replays after any seq', async () => {
    const v = newVisitor();
    const first = await chat.visitorSend(v, { id: 'msg-one-1', text: 'one' }, true);
    now += 1000;
    const conversationId = first.message.conversationId;
    const second = await chat.agentSend(ana, conversationId, { id: 'msg-two-2', text: 'two' });
    now += 1000;
    const third = await chat.visitorSend(v, { id: 'msg-three-3', text: 'three' }, true);
    expect([first, second, third].map((r) => r.message.seq)).toEqual([1, 2, 3]);
    expect(third.message.at - first.message.at).toBe(2000);
    expect((await chat.visitorSync(v, 1)).messages.map((m) => m.text)).toEqual(['two', 'three']);
    expect((await chat.agentSync(ana, conversationId, 3)).messages).toEqual([]);
  });

  it('a resend of the same id returns the stored message and publishes nothing again', async () => {
    const v = newVisitor();
    const before = events.length;
    const a = await chat.visitorSend(v, { id: 'same-id-1', text: 'hello' }, true);
    const b = await chat.visitorSend(v, { id: 'same-id-1', text: 'hello (edited in transit?)' }, true);
    expect(b.duplicate).toBe(true);
    expect(b.message).toEqual(a.message);
    expect(events.slice(before).filter((e) => e.name === 'chat:message-sent')).toHaveLength(1);
    // Ids are per conversation: another visitor's message may use the same id.
    const other = await chat.visitorSend(newVisitor(), { id: 'same-id-1', text: 'mine' }, true);
    expect(other.duplicate).toBe(false);
    expect(other.message.text).toBe('mine');
  });

  it('the first agent who replies is assigned; later replies by others do not take it over', async () => {
    const v = newVisitor();
    const { message } = await chat.visitorSend(v, { id: 'assign-1', text: 'hi' }, true);
    const c = message.conversationId;
    expect((await chat.forAgent(ana, c)).summary).toMatchObject({ assignee: null, waiting: true, unread: 1 });
    await chat.agentSend(ben, c, { id: 'assign-2', text: 'Ben here' });
    await chat.agentSend(ana, c, { id: 'assign-3', text: 'Ana too' });
    expect((await chat.forAgent(ana, c)).summary).toMatchObject({ assignee: { name: 'Ben Okafor' }, waiting: false, unread: 0 });
  });

  it('a visitor writing with nobody online leaves an offline conversation with their email, published for the email', async () => {
    const v = newVisitor();
    const before = events.length;
    const { conversation } = await chat.visitorSend(v, { id: 'offline-1', text: 'call me back', email: 'maya@northwind.example' }, false);
    expect(conversation.summary).toMatchObject({ offline: true, waiting: true, visitorEmail: 'maya@northwind.example' });
    const published = events.slice(before).map((e) => e.name);
    expect(published).toEqual(['chat:conversation-opened', 'chat:message-sent', 'chat:offline-message']);
    // An agent's answer ends the offline state.
    const r = await chat.agentSend(ana, conversation.summary.id, { id: 'offline-2', text: 'Hi Maya!' });
    expect(r.conversation.summary).toMatchObject({ offline: false, waiting: false });
  });

  it('closing clears waiting and unread and adds a line saying who; a visitor message reopens it', async () => {
    const v = newVisitor();
    const { message } = await chat.visitorSend(v, { id: 'close-1', text: 'hi' }, true);
    const closed = await chat.agentSetStatus(ana, message.conversationId, 'closed', 'close-line-1');
    expect(closed).toMatchObject({ status: 'closed', waiting: false, unread: 0 });
    const lines = (await chat.agentSync(ana, message.conversationId, 0)).messages;
    expect(lines.at(-1)).toMatchObject({ from: 'system', event: 'closed', agent: { name: 'Ana Lima' }, text: '' });
    // Closing twice changes nothing.
    await chat.agentSetStatus(ana, message.conversationId, 'closed', 'close-line-2');
    expect((await chat.agentSync(ana, message.conversationId, 0)).messages).toHaveLength(2);
    const again = await chat.visitorSend(v, { id: 'close-2', text: 'me again' }, true);
    expect(again.conversation.summary).toMatchObject({ status: 'open', waiting: true, unread: 1 });
  });

  it('read marks only move forward and never past the last message', async () => {
    const v = newVisitor();
    const { message } = await chat.visitorSend(v, { id: 'read-1', text: 'hi' }, true);
    const c = message.conversationId;
    await chat.agentRead(ana, c, 99);
    expect((await chat.forAgent(ana, c)).summary).toMatchObject({ agentReadSeq: 1, unread: 0 });
    await chat.agentSend(ana, c, { id: 'read-2', text: 'hello' });
    await chat.visitorRead(v, 2);
    await chat.visitorRead(v, 1);
    expect((await chat.forAgent(ana, c)).summary.visitorReadSeq).toBe(2);
    expect(await chat.visitorUnreadState(v)).toBeNull();
  });

  it('an agent of another workspace gets not_found for a conversation that exists', async () => {
    const { message } = await chat.visitorSend(newVisitor(), { id: 'private-1', text: 'private' }, true);
    for (const attempt of [
      () => chat.agentSync(stranger, message.conversationId, 0),
      () => chat.agentSend(stranger, message.conversationId, { id: 'intrude-1', text: 'hi' }),
      () => chat.agentSetStatus(stranger, message.conversationId, 'closed', 'intrude-2'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    }
    expect((await chat.list(stranger, {})).conversations).toEqual([]);
  });
});
