// The visitor's side of chat: a connecting tab is matched with its conversation (in batches), a
// tab's first chat event wires its handlers, and a visitor who says who they are names their
// conversation. A visitor never names a conversation: theirs is found from their token.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ChatService, VisitorContext } from '../chat/chat-service';
import type { StoredConversation } from '../chat/chat-store';
import type { EventBus } from '../events/bus';
import type { PresenceEngine } from '../presence/engine';
import type { AgentBrief } from '../protocol';
import { Batcher } from './batcher';
import { wrap } from './chat-refusals';
import { browserRoom, panelRoom } from './chat-rooms';
import type { ChatTyping } from './chat-typing';
import { on, tokenBucket } from './handler';
import type { VisitorNamespace, VisitorSocket } from './io';
import { liveOf } from './live-chat';
import { ChatRequestCallSchema, EmptySchema, VisitorChatReadSchema, VisitorChatSendSchema, VisitorChatSyncSchema, VisitorChatTypingSchema } from './schemas';
import type { VisitorEvents } from './visitor-namespace';
import { visitorRoom } from './visitor-room';

/** How long new visitor connections gather before their conversations are looked up together. */
const ARRIVALS_EVERY_MS = 50;

export interface VisitorChatDeps {
  chat: ChatService;
  bus: EventBus;
  presence: PresenceEngine;
  visitorNsp: VisitorNamespace;
  visitorEvents: VisitorEvents;
  typing: Pick<ChatTyping, 'route' | 'set'>;
  agentsOnline: (workspaceId: string) => Promise<AgentBrief[]>;
  /** Messages a visitor may send a minute (all their tabs together). */
  messagesPerMinute: number;
  /** Typing events a visitor may send a minute. */
  typingPerMinute: number;
  log: (msg: string, err?: unknown) => void;
}

export function createVisitorChat(d: VisitorChatDeps) {
  const { chat, typing } = d;
  const visitorMessages = new RateLimiterMemory({ points: d.messagesPerMinute, duration: 60 });
  const visitorTyping = new RateLimiterMemory({ points: d.typingPerMinute, duration: 60 });
  /** Per visitor (all their tabs and sockets together), not per socket. */
  const consume = (limiter: RateLimiterMemory, key: string) => () => limiter.consume(key).then(() => true, () => false);

  // Most visitors never chat: their conversation is looked up off the connection path, for
  // everyone who connected in the last moment in one query, so a reconnect storm of thousands of
  // visitors costs a few queries, not one each.
  const arrivals = new Batcher<VisitorSocket>(ARRIVALS_EVERY_MS, async (sockets) => {
    const open = sockets.filter((s) => s.connected);
    const found = await chat.visitorConversations(open.map((s) => ({ siteId: s.data.siteId, visitorId: s.data.visitorId, tokenId: s.data.tokenId })));
    const byToken = new Map(found.map((c) => [`${c.visitor.siteId}\n${c.visitor.tokenId}`, c]));
    for (const s of open) {
      const c = byToken.get(`${s.data.siteId}\n${s.data.tokenId}`);
      if (!c || c.visitor.visitorId !== s.data.visitorId) continue;
      s.join(browserRoom(c.visitor.siteId, c.visitor.tokenId));
      d.presence.setChat(s.data.siteId, s.data.visitorId, liveOf(c));
      if (c.summary.lastSeq <= c.summary.visitorReadSeq) continue;
      const unread = await chat.visitorUnreadState(c.visitor);
      if (unread && s.connected) s.emit('chat:unread', unread);
    }
  }, (err) => d.log('visitor conversation lookup failed', err));

  /** Every socket of one browser (its token), on any process, joins its conversation's room. */
  const joinBrowser = async (v: { siteId: string; visitorId: string; tokenId: string }): Promise<void> => {
    const sockets = await d.visitorNsp.in(visitorRoom(v.siteId, v.visitorId)).fetchSockets();
    for (const s of sockets) if (s.data.tokenId === v.tokenId) s.join(browserRoom(v.siteId, v.tokenId));
  };
  // A conversation a visitor's tab just started: their other tabs hear it from now on too.
  d.bus.subscribe('chat:conversation-opened', ({ conversation: c }) => joinBrowser(c.visitor));

  /**
   * Most visitors never chat, and each handler a socket holds costs memory at ten thousand
   * sockets: a visitor socket gets its chat handlers (and its browser's room) on its first chat
   * event, or when it turns out to have a conversation already.
   */
  d.visitorEvents.wireOnFirst('chat:', (socket) => wireVisitor(socket));
  const onVisitorConnection = (socket: VisitorSocket): void => {
    // Their row shows their conversation; unread agent messages load the chat part (badge, preview).
    arrivals.add(socket);
  };

  const wireVisitor = (socket: VisitorSocket): void => {
    const { siteId, workspaceId, visitorId, tokenId } = socket.data;
    const key = { siteId, visitorId, tokenId };
    const ctx = (): VisitorContext => {
      const who = d.presence.identityOf(siteId, visitorId);
      return { ...key, workspaceId, name: who?.name ?? null, email: who?.email ?? null };
    };
    const onError = (err: unknown) => d.log('visitor chat event failed', err);
    const who = `${siteId}:${visitorId}`;
    const messages = { limiter: consume(visitorMessages, who), onError };
    const light = { limiter: tokenBucket(10, 30), onError };
    void socket.join(browserRoom(siteId, tokenId));

    on(socket, 'chat:hello', EmptySchema, wrap(async () => {
      await socket.join(panelRoom(workspaceId));
      return { chat: await chat.hello(ctx(), await d.agentsOnline(workspaceId)) };
    }), light);
    on(socket, 'chat:sync', VisitorChatSyncSchema, wrap((p) => chat.visitorSync(key, p.after)), light);
    on(socket, 'chat:send', VisitorChatSendSchema, wrap(async (p) => {
      const online = (await d.agentsOnline(workspaceId)).length > 0;
      const r = await chat.visitorSend(ctx(), p, online);
      return { message: r.message };
    }), messages);
    on(socket, 'chat:request-call', ChatRequestCallSchema, wrap(async (p) => ({ message: (await chat.visitorRequestCall(ctx(), p)).message })), messages);
    on(socket, 'chat:read', VisitorChatReadSchema, wrap(async (p) => {
      await chat.visitorRead(ctx(), p.seq);
      return {};
    }), light);
    // A browser's conversation never changes once it exists: looked up once, not per keystroke.
    let conversation: StoredConversation | null = null;
    on(socket, 'chat:typing', VisitorChatTypingSchema, wrap(async (p) => {
      const c = (conversation ??= await chat.visitorConversation(key));
      if (!c) return {};
      const settings = await chat.settings(siteId);
      typing.route(c.summary.id, 'visitor', { workspaceId, browser: browserRoom(siteId, tokenId) });
      // Sneak peek only where the site allows it: otherwise the draft is dropped here.
      typing.set(c.summary.id, 'visitor', p.typing, settings.sneakPeek && p.typing ? (p.text ?? '').slice(0, 500) : undefined);
      return {};
    }), { limiter: consume(visitorTyping, who), onError });
  };

  const onIdentify = (socket: VisitorSocket, who: { name?: string; email?: string }): void => {
    const { siteId, visitorId, tokenId } = socket.data;
    chat.setVisitorIdentity({ siteId, visitorId, tokenId }, who).catch((err) => d.log('conversation identity update failed', err));
  };

  return { onVisitorConnection, onIdentify, close: () => arrivals.close() };
}
