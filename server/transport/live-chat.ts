// The live table's view of a visitor's conversation: kept in the presence engine here, and sent
// to the other processes when there are several.
import type { StoredConversation } from '../chat/chat-store';
import type { PresenceEngine } from '../presence/engine';
import type { LiveChat } from '../protocol';
import type { AgentNamespace } from './io';

export const liveOf = (c: StoredConversation): LiveChat => ({
  conversationId: c.summary.id,
  status: c.summary.status,
  assigneeName: c.summary.assignee?.name ?? null,
  unread: c.summary.unread,
});

export interface LiveChatDeps {
  presence: PresenceEngine;
  agentNsp: AgentNamespace;
  /** Several processes: live rows of visitors held elsewhere are updated through Redis. */
  cluster: boolean;
}

/** Listens for other processes' updates; returns how to set a conversation's live row everywhere. */
export function createSetLive(d: LiveChatDeps): (c: StoredConversation) => void {
  if (d.cluster) d.agentNsp.on('chat:live', (p) => d.presence.setChat(p.siteId, p.visitorId, p.chat));
  return (c) => {
    const live = liveOf(c);
    d.presence.setChat(c.visitor.siteId, c.visitor.visitorId, live);
    if (d.cluster) d.agentNsp.serverSideEmit('chat:live', { siteId: c.visitor.siteId, visitorId: c.visitor.visitorId, chat: live });
  };
}
