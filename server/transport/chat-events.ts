// Wires chat to socket.io: parse (zod), check access, call the chat domain, ack. What the
// domain publishes on the bus is fanned out through rooms (chat-rooms.ts), so it reaches sockets
// on every process (Redis adapter).
//
// The pieces: visitor-chat-events.ts and agent-chat-events.ts (each side's handlers),
// chat-fanout.ts (the domain's events as messages), chat-typing.ts (typing indicators),
// agents-online.ts (who is online), live-chat.ts (the live table's chat column),
// chat-refusals.ts (the domain's refusals as ack codes).
import type { ChatService } from '../chat/chat-service';
import type { EventBus } from '../events/bus';
import type { PresenceEngine } from '../presence/engine';
import type { SiteStore } from '../sites/site-store';
import { createAgentChatHandlers } from './agent-chat-events';
import { createAgentsOnline } from './agents-online';
import { subscribeChatFanout } from './chat-fanout';
import { createChatTyping } from './chat-typing';
import type { AgentNamespace, VisitorNamespace } from './io';
import { createSetLive } from './live-chat';
import { createVisitorChat } from './visitor-chat-events';
import type { VisitorEvents } from './visitor-namespace';

export { browserRoom, workspaceRoom } from './chat-rooms';

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

export function createChatTransport(d: ChatTransportDeps) {
  const { agentsOnline, agentPresence, announceAgents, onAvailabilityChange } = createAgentsOnline(d);
  const setLive = createSetLive(d);
  const typing = createChatTyping(d);
  subscribeChatFanout({ ...d, typing, setLive });
  const visitors = createVisitorChat({ ...d, typing, agentsOnline, messagesPerMinute: d.limits.visitorMessagesPerMinute, typingPerMinute: d.limits.visitorTypingPerMinute });
  const onAgentConnection = createAgentChatHandlers({ ...d, typing, announceAgents, eventsPerSecond: d.limits.agentEventsPerSecond });

  return {
    agentsOnline,
    agentPresence,
    setLive,
    onVisitorConnection: visitors.onVisitorConnection,
    onAgentConnection,
    onAvailabilityChange,
    onIdentify: visitors.onIdentify,
    close: () => {
      typing.close();
      visitors.close();
    },
  };
}
