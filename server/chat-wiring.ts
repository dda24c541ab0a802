// Chat: the conversation store and service, and the transport that carries chat on both
// namespaces. The transport also knows who is online (agent sockets in workspace rooms), which
// the team page and assignment ask it.
import { ChatService } from './chat/chat-service';
import { ChatStore } from './chat/chat-store';
import type { CoreServices, ServerBasics } from './core-services';
import type { SocketServer } from './socket-server';
import { createChatTransport } from './transport/chat-events';

export type ChatTransport = ReturnType<typeof createChatTransport>;

export type ChatWiringDeps = ServerBasics &
  Pick<CoreServices, 'bus' | 'sites' | 'presence'> &
  Pick<SocketServer, 'cluster' | 'visitorNsp' | 'visitorEvents' | 'agentNsp'>;

export interface ChatWiring {
  chatStore: ChatStore;
  chat: ChatService;
  chatTransport: ChatTransport;
}

export function wireChat(d: ChatWiringDeps): ChatWiring {
  const chatStore = new ChatStore(d.db);
  const chat = new ChatService(chatStore, d.bus, d.now);
  const chatTransport = createChatTransport({
    chat,
    bus: d.bus,
    sites: d.sites,
    presence: d.presence,
    visitorNsp: d.visitorNsp,
    visitorEvents: d.visitorEvents,
    agentNsp: d.agentNsp,
    cluster: d.cluster.shared,
    limits: d.config.chat,
    typingTtlMs: 6_000,
    log: d.log,
  });
  return { chatStore, chat, chatTransport };
}
