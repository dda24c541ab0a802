// Wires chat to socket.io: parse (zod), check access, call the chat domain, ack. What the
// domain publishes on the bus is fanned out here, through rooms, so it reaches sockets on every
// process (Redis adapter):
//   /agent   ws:<workspaceId>              every dashboard of the workspace (inbox, notifications)
//   /visitor vtok:<siteId>:<tokenId>       every tab of one browser (its conversation)
//   /visitor chat-open:<workspaceId>       tabs whose chat panel is open (who is online)
// A visitor never names a conversation: theirs is found from their token. An agent's
// conversation ids are checked against their own workspaces.
import { randomUUID } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ChatError, type AgentContext, type ChatService, type VisitorContext } from '../chat/chat-service';
import type { StoredConversation } from '../chat/chat-store';
import { onlineAgents } from '../team/availability';
import { TypingBoard } from '../chat/typing';
import { systemClock } from '../clock';
import { Batcher } from './batcher';
import type { EventBus } from '../events/bus';
import { initialsOf } from '../initials';
import type { PresenceEngine } from '../presence/engine';
import type { AgentBrief, LiveChat } from '../protocol';
import type { SiteStore } from '../sites/site-store';
import { ClientError, on, tokenBucket } from './handler';
import type { VisitorEvents } from './visitor-namespace';
import type { AgentNamespace, AgentSocket, VisitorNamespace, VisitorSocket } from './io';
import {
  AgentChatReadSchema,
  AgentChatSendSchema,
  AgentChatSyncSchema,
  AgentChatTypingSchema,
  ChatRequestCallSchema,
  ConversationRefSchema,
  EmptySchema,
  InboxFilterSchema,
  VisitorChatReadSchema,
  VisitorChatSendSchema,
  VisitorChatSyncSchema,
  VisitorChatTypingSchema,
  VisitorRefSchema,
} from './schemas';
import { visitorRoom } from './visitor-room';

export const workspaceRoom = (workspaceId: string) => `ws:${workspaceId}`;
export const browserRoom = (siteId: string, tokenId: string) => `vtok:${siteId}:${tokenId}`;
const panelRoom = (workspaceId: string) => `chat-open:${workspaceId}`;
/** How long new visitor connections gather before their conversations are looked up together. */
const ARRIVALS_EVERY_MS = 50;

export interface ChatLimits {
  /** Messages a visitor may send a minute (all their tabs together). */
  visitorMessagesPerMinute: number;
  /** Typing events a visitor may send a minute. */
  visitorTypingPerMinute: number;
  /** Chat events one dashboard socket may send a second (bursts of three times that). */
  agentEventsPerSecond: number;
}

export interface ChatTransportDeps {
  chat: ChatService;
  bus: EventBus;
  sites: SiteStore;
  presence: PresenceEngine;
  visitorNsp: VisitorNamespace;
  /** The visitor sockets' shared handlers: chat wires its own in on a socket's first chat event. */
  visitorEvents: VisitorEvents;
  agentNsp: AgentNamespace;
  /** Several processes: live rows of visitors held elsewhere are updated through Redis. */
  cluster: boolean;
  limits: ChatLimits;
  typingTtlMs: number;
  log: (msg: string, err?: unknown) => void;
}

/** The domain's refusals as ack codes. */
const asClientError = (err: unknown): unknown => (err instanceof ChatError ? new ClientError(err.code, err.message) : err);
/** A chat handler whose ChatError refusals reach the client as their codes. */
export const wrap =
  <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
  async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (err) {
      throw asClientError(err);
    }
  };

export function createChatTransport(d: ChatTransportDeps) {
  const { chat } = d;

  // ---- who is online: agent sockets in their workspace rooms, on any process ----
  const agentsOnline = async (workspaceId: string): Promise<AgentBrief[]> => {
    const sockets = await d.agentNsp.in(workspaceRoom(workspaceId)).fetchSockets();
    return onlineAgents(sockets.map((s) => s.data)).map((a) => ({ id: a.userId, name: a.name, initials: initialsOf(a.name), avatar: a.avatar ?? null }));
  };
  /** For the Team page: who has a dashboard open, and who of them counts as online. */
  const agentPresence = async (workspaceId: string): Promise<{ connected: string[]; online: string[] }> => {
    const tabs = (await d.agentNsp.in(workspaceRoom(workspaceId)).fetchSockets()).map((s) => s.data);
    return { connected: [...new Set(tabs.map((t) => t.userId))], online: onlineAgents(tabs).map((t) => t.userId) };
  };
  const announceAgents = (workspaceId: string): void => {
    agentsOnline(workspaceId).then(
      (agents) => d.visitorNsp.to(panelRoom(workspaceId)).emit('chat:agents', { agents }),
      (err) => d.log('agents online lookup failed', err),
    );
  };

  // ---- the live table's view of a visitor's conversation ----
  const liveOf = (c: StoredConversation): LiveChat => ({
    conversationId: c.summary.id,
    status: c.summary.status,
    assigneeName: c.summary.assignee?.name ?? null,
    unread: c.summary.unread,
  });
  const setLive = (c: StoredConversation): void => {
    const live = liveOf(c);
    d.presence.setChat(c.visitor.siteId, c.visitor.visitorId, live);
    if (d.cluster) d.agentNsp.serverSideEmit('chat:live', { siteId: c.visitor.siteId, visitorId: c.visitor.visitorId, chat: live });
  };
  if (d.cluster) d.agentNsp.on('chat:live', (p) => d.presence.setChat(p.siteId, p.visitorId, p.chat));

  // ---- typing (ephemeral, expires by itself) ----
  /** Where a typing change goes: the conversation's visitor or its workspace's agents. */
  const typingRoutes = new Map<string, { workspaceId: string; browser: string; agent?: AgentBrief; agentSocket?: string }>();
  const typing = new TypingBoard<string>(systemClock, d.typingTtlMs, (c) => {
    const route = typingRoutes.get(`${c.conversationId}\n${c.party}`);
    if (!route) return;
    if (!c.typing) typingRoutes.delete(`${c.conversationId}\n${c.party}`);
    if (c.party === 'visitor') {
      d.agentNsp.to(workspaceRoom(route.workspaceId)).emit('chat:typing', { conversationId: c.conversationId, typing: c.typing, from: 'visitor', ...(c.text === undefined ? {} : { text: c.text }) });
    } else if (route.agent) {
      d.visitorNsp.to(route.browser).emit('chat:typing', { typing: c.typing, agent: route.agent });
      const colleagues = d.agentNsp.to(workspaceRoom(route.workspaceId));
      (route.agentSocket ? colleagues.except(route.agentSocket) : colleagues).emit('chat:typing', { conversationId: c.conversationId, typing: c.typing, from: route.agent });
    }
  });

  // ---- fan-out of what the domain did ----
  d.bus.subscribe('chat:message-sent', ({ conversation: c, message }) => {
    d.agentNsp.to(workspaceRoom(c.workspaceId)).emit('chat:message', { message, conversation: c.summary });
    const browser = d.visitorNsp.to(browserRoom(c.visitor.siteId, c.visitor.tokenId));
    browser.emit('chat:message', message);
    // An agent's reply means they read what came before it ("Seen").
    if (message.from === 'agent') browser.emit('chat:read', { seq: c.summary.agentReadSeq });
    // A message ends its sender's typing.
    const party = message.from === 'visitor' ? 'visitor' : message.agent ? `agent:${message.agent.id}` : null;
    if (party) typing.set(c.summary.id, party, false);
    setLive(c);
  });
  d.bus.subscribe('chat:read', ({ conversation: c, by }) => {
    d.agentNsp.to(workspaceRoom(c.workspaceId)).emit('chat:conversation', { conversation: c.summary });
    if (by === 'agent') d.visitorNsp.to(browserRoom(c.visitor.siteId, c.visitor.tokenId)).emit('chat:read', { seq: c.summary.agentReadSeq });
    setLive(c);
  });

  // ---- visitors ----
  const visitorMessages = new RateLimiterMemory({ points: d.limits.visitorMessagesPerMinute, duration: 60 });
  const visitorTyping = new RateLimiterMemory({ points: d.limits.visitorTypingPerMinute, duration: 60 });
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
      return { chat: await chat.hello(ctx(), await agentsOnline(workspaceId)) };
    }), light);
    on(socket, 'chat:sync', VisitorChatSyncSchema, wrap((p) => chat.visitorSync(key, p.after)), light);
    on(socket, 'chat:send', VisitorChatSendSchema, wrap(async (p) => {
      const online = (await agentsOnline(workspaceId)).length > 0;
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
      typingRoutes.set(`${c.summary.id}\nvisitor`, { workspaceId, browser: browserRoom(siteId, tokenId) });
      // Sneak peek only where the site allows it: otherwise the draft is dropped here.
      typing.set(c.summary.id, 'visitor', p.typing, settings.sneakPeek && p.typing ? (p.text ?? '').slice(0, 500) : undefined);
      return {};
    }), { limiter: consume(visitorTyping, who), onError });
  };

  // ---- agents ----
  /** Wires the chat events; returns who the agent is (the socket's workspace), for other transports. */
  const onAgentConnection = (socket: AgentSocket): (() => Promise<AgentContext>) => {
    const { userId, name, workspaceId } = socket.data;
    const onError = (err: unknown) => d.log('agent chat event failed', err);
    const opts = { limiter: tokenBucket(d.limits.agentEventsPerSecond, d.limits.agentEventsPerSecond * 3), onError };
    // One workspace per socket (see the handshake): its conversations and nobody else's.
    const workspaceIds = workspaceId ? [workspaceId] : [];
    const ctx = async (): Promise<AgentContext> => ({ userId, name, workspaceIds });
    const me: AgentBrief = { id: userId, name, initials: initialsOf(name), avatar: socket.data.avatar ?? null };

    if (workspaceId) {
      void Promise.resolve(socket.join(workspaceRoom(workspaceId))).then(() => announceAgents(workspaceId));
      socket.on('disconnect', () => announceAgents(workspaceId));
    }

    on(socket, 'chat:list', InboxFilterSchema, wrap(async (f) => chat.list(await ctx(), f)), opts);
    on(socket, 'chat:sync', AgentChatSyncSchema, wrap(async (p) => chat.agentSync(await ctx(), p.conversationId, p.after)), opts);
    on(socket, 'chat:start', VisitorRefSchema, wrap(async (p) => {
      const site = await d.sites.getForUser(userId, p.siteId);
      if (!site || site.workspaceId !== workspaceId) throw new ClientError('not_found', 'no such site');
      // The browser(s) the visitor is on now: their conversation is the one of that token.
      const sockets = await d.visitorNsp.in(visitorRoom(p.siteId, p.visitorId)).fetchSockets();
      const tokenIds = [...new Set(sockets.map((s) => s.data.tokenId))];
      const c = await chat.agentStart(await ctx(), { siteId: site.id, workspaceId: site.workspaceId }, p.visitorId, tokenIds);
      // The agent's first message must reach that browser's tabs at once.
      for (const s of sockets) if (s.data.tokenId === c.visitor.tokenId) s.join(browserRoom(c.visitor.siteId, c.visitor.tokenId));
      return { conversation: c.summary };
    }), opts);
    on(socket, 'chat:send', AgentChatSendSchema, wrap(async (p) => {
      const r = await chat.agentSend(await ctx(), p.conversationId, { id: p.id, text: p.text });
      return { message: r.message, conversation: r.conversation.summary };
    }), opts);
    on(socket, 'chat:read', AgentChatReadSchema, wrap(async (p) => {
      await chat.agentRead(await ctx(), p.conversationId, p.seq);
      return {};
    }), opts);
    on(socket, 'chat:typing', AgentChatTypingSchema, wrap(async (p) => {
      const c = await chat.forAgent(await ctx(), p.conversationId);
      const party = `agent:${userId}`;
      typingRoutes.set(`${c.summary.id}\n${party}`, { workspaceId: c.workspaceId, browser: browserRoom(c.visitor.siteId, c.visitor.tokenId), agent: me, agentSocket: socket.id });
      typing.set(c.summary.id, party, p.typing);
      return {};
    }), opts);
    on(socket, 'chat:close', ConversationRefSchema, wrap(async (p) => ({ conversation: await chat.agentSetStatus(await ctx(), p.conversationId, 'closed', randomUUID()) })), opts);
    on(socket, 'chat:reopen', ConversationRefSchema, wrap(async (p) => ({ conversation: await chat.agentSetStatus(await ctx(), p.conversationId, 'open', randomUUID()) })), opts);
    return ctx;
  };

  const onIdentify = (socket: VisitorSocket, who: { name?: string; email?: string }): void => {
    const { siteId, visitorId, tokenId } = socket.data;
    chat.setVisitorIdentity({ siteId, visitorId, tokenId }, who).catch((err) => d.log('conversation identity update failed', err));
  };

  /** An agent went Away, came back, or a tab of theirs went idle: visitors see who is online now. */
  const onAvailabilityChange = (userId: string): void => {
    chat.workspacesOf(userId).then(
      (ids) => ids.forEach(announceAgents),
      (err) => d.log('agent workspaces lookup failed', err),
    );
  };

  return {
    agentsOnline,
    agentPresence,
    setLive,
    onVisitorConnection,
    onAgentConnection,
    onAvailabilityChange,
    onIdentify,
    close: () => {
      typing.close();
      arrivals.close();
    },
  };
}
