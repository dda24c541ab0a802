// Typing indicators (ephemeral, expire by themselves): each change goes to the other side of the
// conversation and, for an agent, to their colleagues.
import { TypingBoard } from '../chat/typing';
import { systemClock } from '../clock';
import type { AgentBrief } from '../protocol';
import { workspaceRoom } from './chat-rooms';
import type { AgentNamespace, VisitorNamespace } from './io';

/** Where a typing change goes: the conversation's visitor or its workspace's agents. */
export interface TypingRoute {
  workspaceId: string;
  browser: string;
  agent?: AgentBrief;
  /** The typing agent's own socket, left out of their colleagues' copy. */
  agentSocket?: string;
}

export interface ChatTypingDeps {
  agentNsp: AgentNamespace;
  visitorNsp: VisitorNamespace;
  typingTtlMs: number;
}

export function createChatTyping(d: ChatTypingDeps) {
  const routes = new Map<string, TypingRoute>();
  const board = new TypingBoard<string>(systemClock, d.typingTtlMs, (c) => {
    const route = routes.get(`${c.conversationId}\n${c.party}`);
    if (!route) return;
    if (!c.typing) routes.delete(`${c.conversationId}\n${c.party}`);
    if (c.party === 'visitor') {
      d.agentNsp.to(workspaceRoom(route.workspaceId)).emit('chat:typing', { conversationId: c.conversationId, typing: c.typing, from: 'visitor', ...(c.text === undefined ? {} : { text: c.text }) });
    } else if (route.agent) {
      d.visitorNsp.to(route.browser).emit('chat:typing', { typing: c.typing, agent: route.agent });
      const colleagues = d.agentNsp.to(workspaceRoom(route.workspaceId));
      (route.agentSocket ? colleagues.except(route.agentSocket) : colleagues).emit('chat:typing', { conversationId: c.conversationId, typing: c.typing, from: route.agent });
    }
  });
  return {
    /** Says where the party's changes go; set before their typing, which may emit at once. */
    route: (conversationId: string, party: string, route: TypingRoute): void => {
      routes.set(`${conversationId}\n${party}`, route);
    },
    set: (conversationId: string, party: string, typing: boolean, text?: string): void => board.set(conversationId, party, typing, text),
    close: (): void => board.close(),
  };
}

export type ChatTyping = ReturnType<typeof createChatTyping>;
