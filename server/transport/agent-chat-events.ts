// The agent's side of chat: a dashboard socket joins its workspace's room and gets its chat:*
// handlers. Conversation ids an agent names are checked against their own workspace.
import { randomUUID } from 'node:crypto';
import type { AgentContext, ChatService } from '../chat/chat-service';
import { initialsOf } from '../initials';
import type { AgentBrief } from '../protocol';
import type { SiteStore } from '../sites/site-store';
import { wrap } from './chat-refusals';
import { browserRoom, workspaceRoom } from './chat-rooms';
import type { ChatTyping } from './chat-typing';
import { ClientError, on, tokenBucket } from './handler';
import type { AgentSocket, VisitorNamespace } from './io';
import { AgentChatReadSchema, AgentChatSendSchema, AgentChatSyncSchema, AgentChatTypingSchema, ConversationRefSchema, InboxFilterSchema, VisitorRefSchema } from './schemas';
import { visitorRoom } from './visitor-room';

export interface AgentChatDeps {
  chat: ChatService;
  sites: SiteStore;
  visitorNsp: VisitorNamespace;
  typing: Pick<ChatTyping, 'route' | 'set'>;
  announceAgents: (workspaceId: string) => void;
  /** Chat events one dashboard socket may send a second (bursts of three times that). */
  eventsPerSecond: number;
  log: (msg: string, err?: unknown) => void;
}

/** Wires a dashboard socket's chat events; returns who the agent is (the socket's workspace), for other transports. */
export function createAgentChatHandlers(d: AgentChatDeps): (socket: AgentSocket) => () => Promise<AgentContext> {
  const { chat, typing } = d;
  return (socket) => {
    const { userId, name, workspaceId } = socket.data;
    const onError = (err: unknown) => d.log('agent chat event failed', err);
    const opts = { limiter: tokenBucket(d.eventsPerSecond, d.eventsPerSecond * 3), onError };
    // One workspace per socket (see the handshake): its conversations and nobody else's.
    const workspaceIds = workspaceId ? [workspaceId] : [];
    const ctx = async (): Promise<AgentContext> => ({ userId, name, workspaceIds });
    const me: AgentBrief = { id: userId, name, initials: initialsOf(name), avatar: socket.data.avatar ?? null };

    if (workspaceId) {
      void Promise.resolve(socket.join(workspaceRoom(workspaceId))).then(() => d.announceAgents(workspaceId));
      socket.on('disconnect', () => d.announceAgents(workspaceId));
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
      typing.route(c.summary.id, party, { workspaceId: c.workspaceId, browser: browserRoom(c.visitor.siteId, c.visitor.tokenId), agent: me, agentSocket: socket.id });
      typing.set(c.summary.id, party, p.typing);
      return {};
    }), opts);
    on(socket, 'chat:close', ConversationRefSchema, wrap(async (p) => ({ conversation: await chat.agentSetStatus(await ctx(), p.conversationId, 'closed', randomUUID()) })), opts);
    on(socket, 'chat:reopen', ConversationRefSchema, wrap(async (p) => ({ conversation: await chat.agentSetStatus(await ctx(), p.conversationId, 'open', randomUUID()) })), opts);
    return ctx;
  };
}
