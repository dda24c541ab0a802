// Conversations and messages in the database. This class is the one door callers use; the
// queries live beside it: conversation-lookup.ts (finding and creating conversations),
// inbox-query.ts (an agent's inbox), message-append.ts (storing a message with its seq),
// message-history.ts (reading messages back), read-state.ts (read marks and unread counters),
// chat-records.ts (rows as the protocol's shapes).
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { conversation, site, workspaceMember } from '../../drizzle/schema';
import type { ChatMessage, ConversationSummary, InboxFilter, MessageSender } from '../protocol';
import type { StoredConversation, VisitorKey } from './chat-records';
import { byId, ensureForVisitor, forVisitor, forVisitors, inWorkspaces } from './conversation-lookup';
import { inbox } from './inbox-query';
import { appendMessage, type ConversationPatch, type NewMessage } from './message-append';
import { latestMessages, messagesAfter } from './message-history';
import { markRead } from './read-state';

export type { StoredConversation, VisitorKey } from './chat-records';
export type { ConversationPatch, NewMessage } from './message-append';

export interface SiteChatSettings {
  siteId: string;
  workspaceId: string;
  name: string;
  greeting: string;
  sneakPeek: boolean;
}

export class ChatStore {
  constructor(private readonly db: Db) {}

  async siteSettings(siteId: string): Promise<SiteChatSettings | null> {
    const rows = await this.db
      .select({ siteId: site.id, workspaceId: site.workspaceId, name: site.name, greeting: site.chatGreeting, sneakPeek: site.chatSneakPeek })
      .from(site)
      .where(eq(site.id, siteId))
      .limit(1);
    return rows[0] ?? null;
  }

  /** Open conversations, all sites (for /metrics). */
  async openCount(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(conversation).where(eq(conversation.status, 'open'));
    return row?.n ?? 0;
  }

  /** Workspaces the user belongs to (the tenant of every agent action). */
  async workspacesOf(userId: string): Promise<string[]> {
    const rows = await this.db.select({ id: workspaceMember.workspaceId }).from(workspaceMember).where(eq(workspaceMember.userId, userId));
    return rows.map((r) => r.id);
  }

  forVisitor(v: VisitorKey): Promise<StoredConversation | null> {
    return forVisitor(this.db, v);
  }

  /** The conversations of many visitors at once (one query per few hundred): for connection storms. */
  forVisitors(keys: VisitorKey[]): Promise<StoredConversation[]> {
    return forVisitors(this.db, keys);
  }

  /** The visitor's conversation, created (empty) if they have none. */
  ensureForVisitor(v: VisitorKey, now: Date, who: { name?: string | null; email?: string | null } = {}): Promise<{ conversation: StoredConversation; created: boolean }> {
    return ensureForVisitor(this.db, v, now, who);
  }

  /** A conversation if it belongs to one of these workspaces; null otherwise (as if absent). */
  getInWorkspaces(conversationId: string, workspaceIds: string[]): Promise<StoredConversation | null> {
    return inWorkspaces(this.db, conversationId, workspaceIds);
  }

  get(conversationId: string): Promise<StoredConversation | null> {
    return byId(this.db, conversationId);
  }

  /** Stores a message with the conversation's next seq, or finds the one stored under its id (a resend). */
  append(conversationId: string, m: NewMessage, now: Date, patch: ConversationPatch = {}): Promise<{ message: ChatMessage; duplicate: boolean }> {
    return appendMessage(this.db, conversationId, m, now, patch);
  }

  after(conversationId: string, afterSeq: number, limit?: number): Promise<{ messages: ChatMessage[]; more: boolean }> {
    return messagesAfter(this.db, conversationId, afterSeq, limit);
  }

  /** The last `n` messages (for previews). */
  latest(conversationId: string, n: number, from?: MessageSender): Promise<ChatMessage[]> {
    return latestMessages(this.db, conversationId, n, from);
  }

  markRead(conversationId: string, by: 'agent' | 'visitor', seq: number): Promise<boolean> {
    return markRead(this.db, conversationId, by, seq);
  }

  async setIdentity(v: VisitorKey, who: { name?: string; email?: string }): Promise<void> {
    if (!who.name && !who.email) return;
    await this.db
      .update(conversation)
      .set({ ...(who.name ? { visitorName: who.name } : {}), ...(who.email ? { visitorEmail: who.email } : {}) })
      .where(and(eq(conversation.siteId, v.siteId), eq(conversation.visitorKey, v.visitorId), eq(conversation.visitorToken, v.tokenId)));
  }

  /** The inbox of an agent: conversations of their workspaces, newest first. */
  list(workspaceIds: string[], userId: string, f: InboxFilter): Promise<{ conversations: ConversationSummary[]; unreadTotal: number }> {
    return inbox(this.db, workspaceIds, userId, f);
  }

  async setStatus(conversationId: string, status: 'open' | 'closed', now: Date): Promise<void> {
    await this.db
      .update(conversation)
      // Closing is done with it: nothing in it is waiting or unread any more.
      .set({ status, closedAt: status === 'closed' ? now : null, updatedAt: now, ...(status === 'closed' ? { waitingSince: null, agentUnread: 0, agentReadSeq: sql`${conversation.lastSeq}` } : {}) })
      .where(eq(conversation.id, conversationId));
  }
}
