// What the chat domain did, fanned out to the sockets that show it: the workspace's dashboards,
// the visitor's browser, and the live table.
import type { StoredConversation } from '../chat/chat-store';
import type { EventBus } from '../events/bus';
import { browserRoom, workspaceRoom } from './chat-rooms';
import type { ChatTyping } from './chat-typing';
import type { AgentNamespace, VisitorNamespace } from './io';

export interface ChatFanoutDeps {
  bus: EventBus;
  agentNsp: AgentNamespace;
  visitorNsp: VisitorNamespace;
  typing: Pick<ChatTyping, 'set'>;
  setLive: (c: StoredConversation) => void;
}

export function subscribeChatFanout(d: ChatFanoutDeps): void {
  d.bus.subscribe('chat:message-sent', ({ conversation: c, message }) => {
    d.agentNsp.to(workspaceRoom(c.workspaceId)).emit('chat:message', { message, conversation: c.summary });
    const browser = d.visitorNsp.to(browserRoom(c.visitor.siteId, c.visitor.tokenId));
    browser.emit('chat:message', message);
    // An agent's reply means they read what came before it ("Seen").
    if (message.from === 'agent') browser.emit('chat:read', { seq: c.summary.agentReadSeq });
    // A message ends its sender's typing.
    const party = message.from === 'visitor' ? 'visitor' : message.agent ? `agent:${message.agent.id}` : null;
    if (party) d.typing.set(c.summary.id, party, false);
    d.setLive(c);
  });
  d.bus.subscribe('chat:read', ({ conversation: c, by }) => {
    d.agentNsp.to(workspaceRoom(c.workspaceId)).emit('chat:conversation', { conversation: c.summary });
    if (by === 'agent') d.visitorNsp.to(browserRoom(c.visitor.siteId, c.visitor.tokenId)).emit('chat:read', { seq: c.summary.agentReadSeq });
    d.setLive(c);
  });
}
