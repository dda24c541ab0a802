// Conversations and messages in the database. A message is appended in one transaction that
// takes the conversation's next seq and stores the message, so its seq is final when the
// transaction commits, and concurrent senders (on any process) are serialized by the row lock
// on the conversation. Idempotent on (conversation, the sender's message id).
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { chatMessage, conversation, site, workspaceMember } from '../../drizzle/schema';
import { initialsOf } from '../initials';
import type { ChatEventCode, ChatMessage, ConversationSummary, InboxFilter, MessageSender } from '../protocol';

type ConversationRow = typeof conversation.$inferSelect;
type MessageRow = typeof chatMessage.$inferSelect;

export interface NewMessage {
  clientId: string;
  from: MessageSender;
  agent: { id: string; name: string } | null;
  text: string;
  event: ChatEventCode | null;
}

/** How a message changes its conversation (the domain's rules, applied in the same transaction). */
export interface ConversationPatch {
  status?: 'open' | 'closed';
  closedAt?: Date | null;
  offline?: boolean;
  visitorEmail?: string;
  visitorName?: string;
}

export interface VisitorKey {
  siteId: string;
  visitorId: string;
  tokenId: string;
}

export interface SiteChatSettings {
  siteId: string;
  workspaceId: string;
  name: string;
  greeting: string;
  sneakPeek: boolean;
}

/** A conversation with what only the server may know of it: its workspace and its visitor's token id. */
export interface StoredConversation {
  summary: ConversationSummary;
  workspaceId: string;
  visitor: VisitorKey;
}

const PAGE = 200;

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

  /** Workspaces the user belongs to (the tenant of every agent action). */
  /** Open conversations, all sites (for /metrics). */
  async openCount(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(conversation).where(eq(conversation.status, 'open'));
    return row?.n ?? 0;
  }

  async workspacesOf(userId: string): Promise<string[]> {
    const rows = await this.db.select({ id: workspaceMember.workspaceId }).from(workspaceMember).where(eq(workspaceMember.userId, userId));
    return rows.map((r) => r.id);
  }

  async forVisitor(v: VisitorKey): Promise<StoredConversation | null> {
    const rows = await this.summaries(and(eq(conversation.siteId, v.siteId), eq(conversation.visitorKey, v.visitorId), eq(conversation.visitorToken, v.tokenId)), 1);
    return rows[0] ?? null;
  }

  /** The conversations of many visitors at once (one query per few hundred): for connection storms. */
  async forVisitors(keys: VisitorKey[]): Promise<StoredConversation[]> {
    const out: StoredConversation[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      // Token ids are random: matching on them finds the rows; site and visitor are checked too.
      const rows = await this.summaries(inArray(conversation.visitorToken, chunk.map((k) => k.tokenId)), chunk.length * 2);
      const wanted = new Set(chunk.map((k) => `${k.siteId}\n${k.visitorId}\n${k.tokenId}`));
      out.push(...rows.filter((r) => wanted.has(`${r.visitor.siteId}\n${r.visitor.visitorId}\n${r.visitor.tokenId}`)));
    }
    return out;
  }

  /** The visitor's conversation, created (empty) if they have none. */
  async ensureForVisitor(v: VisitorKey, now: Date, who: { name?: string | null; email?: string | null } = {}): Promise<{ conversation: StoredConversation; created: boolean }> {
    // Almost always it exists already: one read, no write.
    const existing = await this.forVisitor(v);
    if (existing) return { conversation: existing, created: false };
    const inserted = await this.db
      .insert(conversation)
      .values({ id: crypto.randomUUID(), siteId: v.siteId, visitorKey: v.visitorId, visitorToken: v.tokenId, visitorName: who.name ?? null, visitorEmail: who.email ?? null, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: conversation.id });
    const found = await this.forVisitor(v);
    if (!found) throw new Error('conversation vanished after insert');
    return { conversation: found, created: inserted.length > 0 };
  }

  /** A conversation if it belongs to one of these workspaces; null otherwise (as if absent). */
  async getInWorkspaces(conversationId: string, workspaceIds: string[]): Promise<StoredConversation | null> {
    if (!workspaceIds.length) return null;
    const rows = await this.summaries(and(eq(conversation.id, conversationId), inArray(site.workspaceId, workspaceIds)), 1);
    return rows[0] ?? null;
  }

  async get(conversationId: string): Promise<StoredConversation | null> {
    const rows = await this.summaries(eq(conversation.id, conversationId), 1);
    return rows[0] ?? null;
  }

  /**
   * Stores a message with the conversation's next seq (or finds the one already stored under
   * the same id) and updates the conversation, in one statement: the conversation's update and
   * the insert commit or fail together, and no connection is held between round trips.
   */
  async append(conversationId: string, m: NewMessage, now: Date, patch: ConversationPatch = {}): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const iso = now.toISOString();
    // A visitor's request for a call waits for an answer like a message of theirs does.
    const fromVisitor = m.from === 'visitor' || m.event === 'call_requested';
    const counters: Record<string, SQL | number | null | Date | string | boolean | undefined> =
      fromVisitor
        ? {
            agentUnread: sql`${conversation.agentUnread} + 1`,
            waitingSince: sql`coalesce(${conversation.waitingSince}, ${iso}::timestamptz)`,
            // A visitor who writes again reopens a closed conversation.
            status: 'open',
            closedAt: null,
          }
        : m.from === 'agent'
          ? {
              visitorUnread: sql`${conversation.visitorUnread} + 1`,
              waitingSince: null,
              offline: false,
              // The first agent who replies is assigned; the reply means they read the thread.
              assigneeId: sql`coalesce(${conversation.assigneeId}, ${m.agent?.id ?? null})`,
              assigneeName: sql`coalesce(${conversation.assigneeName}, ${m.agent?.name ?? null})`,
              agentUnread: 0,
              agentReadSeq: sql`${conversation.lastSeq} + 1`,
            }
          : {};
    const bumped = this.db.$with('bumped').as(
      this.db
        .update(conversation)
        .set({ lastSeq: sql`${conversation.lastSeq} + 1`, lastText: m.text, lastFrom: m.from, lastEvent: m.event, lastAt: now, updatedAt: now, ...counters, ...patch })
        .where(eq(conversation.id, conversationId))
        .returning({ seq: conversation.lastSeq }),
    );
    const values = { conversationId, clientId: m.clientId, sender: m.from, agentId: m.agent?.id ?? null, agentName: m.agent?.name ?? null, body: m.text, event: m.event, at: now };
    try {
      const rows = await this.db
        .with(bumped)
        .insert(chatMessage)
        .select(
          this.db
            .select({
              conversationId: sql<string>`${values.conversationId}`.as('conversation_id'),
              seq: bumped.seq,
              clientId: sql<string>`${values.clientId}`.as('client_id'),
              sender: sql<MessageSender>`${values.sender}`.as('sender'),
              agentId: sql<string | null>`${values.agentId}`.as('agent_id'),
              agentName: sql<string | null>`${values.agentName}`.as('agent_name'),
              body: sql<string>`${values.body}`.as('body'),
              event: sql<string | null>`${values.event}`.as('event'),
              at: sql<Date>`${iso}::timestamptz`.as('at'),
            })
            .from(bumped),
        )
        .returning({ seq: chatMessage.seq });
      const row = rows[0];
      if (!row) throw new Error('no such conversation');
      return { message: toMessage({ ...values, seq: row.seq }), duplicate: false };
    } catch (err) {
      // The same id again (a resend): the unique index refused it, and the statement (with its
      // update of the conversation) rolled back without taking a seq.
      const again = await this.byClientId(conversationId, m.clientId);
      if (again) return { message: again, duplicate: true };
      throw err;
    }
  }

  async after(conversationId: string, afterSeq: number, limit = PAGE): Promise<{ messages: ChatMessage[]; more: boolean }> {
    const rows = await this.db
      .select()
      .from(chatMessage)
      .where(and(eq(chatMessage.conversationId, conversationId), gt(chatMessage.seq, afterSeq)))
      .orderBy(asc(chatMessage.seq))
      .limit(limit + 1);
    return { messages: rows.slice(0, limit).map(toMessage), more: rows.length > limit };
  }

  /** The last `n` messages (for previews). */
  async latest(conversationId: string, n: number, from?: MessageSender): Promise<ChatMessage[]> {
    const rows = await this.db
      .select()
      .from(chatMessage)
      .where(and(eq(chatMessage.conversationId, conversationId), from ? eq(chatMessage.sender, from) : undefined))
      .orderBy(desc(chatMessage.seq))
      .limit(n);
    return rows.reverse().map(toMessage);
  }

  async markRead(conversationId: string, by: 'agent' | 'visitor', seq: number): Promise<boolean> {
    // Only forward, and never past the last message; unread counters reset once everything is read.
    const col = by === 'agent' ? conversation.agentReadSeq : conversation.visitorReadSeq;
    const unread = by === 'agent' ? conversation.agentUnread : conversation.visitorUnread;
    const set =
      by === 'agent'
        ? { agentReadSeq: sql`least(${conversation.lastSeq}, ${seq})`, agentUnread: sql`case when ${seq} >= ${conversation.lastSeq} then 0 else ${unread} end` }
        : { visitorReadSeq: sql`least(${conversation.lastSeq}, ${seq})`, visitorUnread: sql`case when ${seq} >= ${conversation.lastSeq} then 0 else ${unread} end` };
    const rows = await this.db
      .update(conversation)
      .set(set)
      .where(and(eq(conversation.id, conversationId), lt(col, seq)))
      .returning({ id: conversation.id });
    return rows.length > 0;
  }

  async setIdentity(v: VisitorKey, who: { name?: string; email?: string }): Promise<void> {
    if (!who.name && !who.email) return;
    await this.db
      .update(conversation)
      .set({ ...(who.name ? { visitorName: who.name } : {}), ...(who.email ? { visitorEmail: who.email } : {}) })
      .where(and(eq(conversation.siteId, v.siteId), eq(conversation.visitorKey, v.visitorId), eq(conversation.visitorToken, v.tokenId)));
  }

  /** The inbox of an agent: conversations of their workspaces, newest first. */
  async list(workspaceIds: string[], userId: string, f: InboxFilter): Promise<{ conversations: ConversationSummary[]; unreadTotal: number }> {
    if (!workspaceIds.length) return { conversations: [], unreadTotal: 0 };
    const scope = inArray(site.workspaceId, workspaceIds);
    const status =
      f.status === 'open'
        ? eq(conversation.status, 'open')
        : f.status === 'closed'
          ? eq(conversation.status, 'closed')
          : f.status === 'waiting'
            ? and(eq(conversation.status, 'open'), sql`${conversation.waitingSince} is not null`)
            : undefined;
    const owner = f.owner === 'mine' ? eq(conversation.assigneeId, userId) : f.owner === 'unassigned' ? isNull(conversation.assigneeId) : undefined;
    const where = and(
      scope,
      f.siteId ? eq(conversation.siteId, f.siteId) : undefined,
      f.visitorId ? eq(conversation.visitorKey, f.visitorId) : undefined,
      status,
      owner,
      f.before ? lt(conversation.updatedAt, new Date(f.before)) : undefined,
      // An empty conversation (a proactive chat nobody wrote in yet) is not in the inbox.
      gt(conversation.lastSeq, 0),
    );
    const [stored, total] = await Promise.all([
      this.summaries(where, Math.min(f.limit ?? 50, 200)),
      this.db
        .select({ n: sql<number>`coalesce(sum(${conversation.agentUnread}), 0)::int` })
        .from(conversation)
        .innerJoin(site, eq(site.id, conversation.siteId))
        .where(and(scope, eq(conversation.status, 'open'))),
    ]);
    return { conversations: stored.map((c) => c.summary), unreadTotal: Number(total[0]?.n ?? 0) };
  }

  async setStatus(conversationId: string, status: 'open' | 'closed', now: Date): Promise<void> {
    await this.db
      .update(conversation)
      // Closing is done with it: nothing in it is waiting or unread any more.
      .set({ status, closedAt: status === 'closed' ? now : null, updatedAt: now, ...(status === 'closed' ? { waitingSince: null, agentUnread: 0, agentReadSeq: sql`${conversation.lastSeq}` } : {}) })
      .where(eq(conversation.id, conversationId));
  }

  private async byClientId(conversationId: string, clientId: string): Promise<ChatMessage | null> {
    const rows = await this.db.select().from(chatMessage).where(and(eq(chatMessage.conversationId, conversationId), eq(chatMessage.clientId, clientId))).limit(1);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  private async summaries(where: SQL | undefined, limit: number): Promise<StoredConversation[]> {
    const rows = await this.db
      .select({ c: conversation, siteName: site.name, workspaceId: site.workspaceId })
      .from(conversation)
      .innerJoin(site, eq(site.id, conversation.siteId))
      .where(where)
      .orderBy(desc(conversation.updatedAt), desc(conversation.id))
      .limit(limit);
    return rows.map((r) => ({ summary: toSummary(r.c, r.siteName), workspaceId: r.workspaceId, visitor: { siteId: r.c.siteId, visitorId: r.c.visitorKey, tokenId: r.c.visitorToken } }));
  }
}

function toMessage(r: Pick<MessageRow, 'conversationId' | 'seq' | 'clientId' | 'sender' | 'agentId' | 'agentName' | 'body' | 'event' | 'at'>): ChatMessage {
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

function toSummary(c: ConversationRow, siteName: string): ConversationSummary {
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
