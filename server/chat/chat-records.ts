// What the server keeps of a conversation beyond its summary, and how stored conversation and
// message rows read as the protocol's shapes.
import type { chatMessage, conversation } from '../../drizzle/schema';
import { initialsOf } from '../initials';
import type { ChatEventCode, ChatMessage, ConversationSummary } from '../protocol';

type ConversationRow = typeof conversation.$inferSelect;
type MessageRow = typeof chatMessage.$inferSelect;

export interface VisitorKey {
  siteId: string;
  visitorId: string;
  tokenId: string;
}

/** A conversation with what only the server may know of it: its workspace and its visitor's token id. */
export interface StoredConversation {
  summary: ConversationSummary;
  workspaceId: string;
  visitor: VisitorKey;
}

export function toMessage(r: Pick<MessageRow, 'conversationId' | 'seq' | 'clientId' | 'sender' | 'agentId' | 'agentName' | 'body' | 'event' | 'at'>): ChatMessage {
  return {
    id: r.clientId,
    conversationId: r.conversationId,
    seq: r.seq,
    from: r.sender,
    agent: r.agentId && r.agentName ? { id: r.agentId, name: r.agentName, initials: initialsOf(r.agentName) } : null,
    text: r.body,
    event: (r.event as ChatEventCode | null) ?? null,
    at: r.at.getTime(),
  };
}

export function toSummary(c: ConversationRow, siteName: string): ConversationSummary {
  return {
    id: c.id,
    siteId: c.siteId,
    siteName,
    visitorId: c.visitorKey,
    visitorName: c.visitorName,
    visitorEmail: c.visitorEmail,
    status: c.status,
    waiting: c.status === 'open' && c.waitingSince !== null,
    offline: c.offline,
    assignee: c.assigneeId && c.assigneeName ? { id: c.assigneeId, name: c.assigneeName, initials: initialsOf(c.assigneeName) } : null,
    lastMessage: c.lastAt && c.lastFrom ? { from: c.lastFrom, text: c.lastText ?? '', event: (c.lastEvent as ChatEventCode | null) ?? null, at: c.lastAt.getTime() } : null,
    lastSeq: c.lastSeq,
    unread: c.agentUnread,
    visitorReadSeq: c.visitorReadSeq,
    agentReadSeq: c.agentReadSeq,
    createdAt: c.createdAt.getTime(),
    updatedAt: c.updatedAt.getTime(),
  };
}
