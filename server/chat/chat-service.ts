// The chat domain: who may write where, what a message does to its conversation (waiting,
// assignment, reopening, offline capture), read marks and replay. Plain TypeScript with an
// injected clock; the transport checks access, calls it, and fans out what it publishes on the
// bus. Nothing here speaks English: system lines are codes.
import type { EventBus } from '../events/bus';
import type { AgentBrief, ChatMessage, ChatPage, ConversationSummary, InboxFilter, VisitorChatInfo } from '../protocol';
import type { ChatStore, SiteChatSettings, StoredConversation, VisitorKey } from './chat-store';

export class ChatError extends Error {
  constructor(readonly code: 'not_found' | 'forbidden' | 'bad_request' | 'invalid_state', message: string) {
    super(message);
  }
}

export interface VisitorContext extends VisitorKey {
  workspaceId: string;
  name?: string | null;
  email?: string | null;
}

export interface AgentContext {
  userId: string;
  name: string;
  workspaceIds: string[];
}

export class ChatService {
  constructor(
    private readonly store: ChatStore,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  private date(): Date {
    return new Date(this.now());
  }

  async settings(siteId: string): Promise<SiteChatSettings> {
    const s = await this.store.siteSettings(siteId);
    if (!s) throw new ChatError('not_found', 'no such site');
    return s;
  }

  // ---- visitors: always their own conversation, found from their token ----

  async hello(v: VisitorContext, agents: AgentBrief[]): Promise<VisitorChatInfo> {
    const [s, c] = await Promise.all([this.settings(v.siteId), this.store.forVisitor(v)]);
    return {
      team: s.name,
      greeting: s.greeting,
      agents,
      sneakPeek: s.sneakPeek,
      conversationId: c?.summary.id ?? null,
      lastSeq: c?.summary.lastSeq ?? 0,
      agentReadSeq: c?.summary.agentReadSeq ?? 0,
      unread: c ? await this.visitorUnread(c.summary) : 0,
      email: c?.summary.visitorEmail ?? null,
    };
  }

  /** The conversation a visitor has, for their live row and their unread badge. */
  visitorConversation(v: VisitorKey): Promise<StoredConversation | null> {
    return this.store.forVisitor(v);
  }

  /** The conversations of the visitors who just connected, found in one go. */
  visitorConversations(keys: VisitorKey[]): Promise<StoredConversation[]> {
    return this.store.forVisitors(keys);
  }

  /** Agent messages the visitor has not read, and the last of them (for the launcher's preview). */
  async visitorUnreadState(v: VisitorKey): Promise<{ count: number; last: ChatMessage | null } | null> {
    const c = (await this.store.forVisitor(v))?.summary;
    if (!c) return null;
    const count = await this.visitorUnread(c);
    if (!count) return null;
    const [last] = await this.store.latest(c.id, 1, 'agent');
    return { count, last: last ?? null };
  }

  private async visitorUnread(c: ConversationSummary): Promise<number> {
    if (c.visitorReadSeq >= c.lastSeq) return 0;
    const page = await this.store.after(c.id, c.visitorReadSeq, 500);
    return page.messages.filter((m) => m.from === 'agent').length;
  }

  async visitorSync(v: VisitorKey, after: number): Promise<ChatPage> {
    const c = await this.store.forVisitor(v);
    if (!c) return { messages: [], more: false };
    return this.store.after(c.summary.id, after);
  }

  /**
   * A visitor's message. With no agent online it is kept as a waiting conversation flagged
   * `offline` (with the email they gave), and published for the email notification.
   */
  async visitorSend(v: VisitorContext, p: { id: string; text: string; email?: string }, agentsOnline: boolean): Promise<{ message: ChatMessage; conversation: StoredConversation; duplicate: boolean }> {
    const { conversation: stored, created } = await this.store.ensureForVisitor(v, this.date(), { name: v.name, email: v.email });
    const c = stored.summary;
    const email = p.email ?? undefined;
    const r = await this.store.append(c.id, { clientId: p.id, from: 'visitor', agent: null, text: p.text, event: null }, this.date(), {
      ...(agentsOnline ? {} : { offline: true }),
      ...(email ? { visitorEmail: email } : {}),
    });
    const conversation = await this.mustGet(c.id);
    if (!r.duplicate) {
      if (created) this.bus.publish('chat:conversation-opened', { conversation });
      this.bus.publish('chat:message-sent', { conversation, message: r.message });
      if (!agentsOnline) this.bus.publish('chat:offline-message', { conversation, message: r.message });
    }
    return { message: r.message, conversation, duplicate: r.duplicate };
  }

  async visitorRequestCall(v: VisitorContext, p: { id: string }): Promise<{ message: ChatMessage; conversation: StoredConversation }> {
    const c = (await this.store.ensureForVisitor(v, this.date(), { name: v.name, email: v.email })).conversation.summary;
    const r = await this.store.append(c.id, { clientId: p.id, from: 'system', agent: null, text: '', event: 'call_requested' }, this.date(), { status: 'open', closedAt: null });
    const conversation = await this.mustGet(c.id);
    if (!r.duplicate) this.bus.publish('chat:message-sent', { conversation, message: r.message });
    return { message: r.message, conversation };
  }

  async visitorRead(v: VisitorContext, seq: number): Promise<void> {
    const c = await this.store.forVisitor(v);
    if (!c || !(await this.store.markRead(c.summary.id, 'visitor', seq))) return;
    this.bus.publish('chat:read', { conversation: await this.mustGet(c.summary.id), by: 'visitor' });
  }

  async setVisitorIdentity(v: VisitorKey, who: { name?: string; email?: string }): Promise<void> {
    await this.store.setIdentity(v, who);
  }

  // ---- agents: only conversations of their own workspaces ----

  workspacesOf(userId: string): Promise<string[]> {
    return this.store.workspacesOf(userId);
  }

  list(a: AgentContext, f: InboxFilter) {
    return this.store.list(a.workspaceIds, a.userId, f);
  }

  /** The conversation if the agent may see it; 'not_found' otherwise (never "forbidden": no hint it exists). */
  async forAgent(a: AgentContext, conversationId: string): Promise<StoredConversation> {
    const c = await this.store.getInWorkspaces(conversationId, a.workspaceIds);
    if (!c) throw new ChatError('not_found', 'no such conversation');
    return c;
  }

  async agentSync(a: AgentContext, conversationId: string, after: number): Promise<ChatPage & { conversation: ConversationSummary }> {
    const c = await this.forAgent(a, conversationId);
    return { conversation: c.summary, ...(await this.store.after(c.summary.id, after)) };
  }

  /** Proactive chat: the conversation of a visitor the agent may see, for the browser they are on now. */
  async agentStart(a: AgentContext, site: { siteId: string; workspaceId: string }, visitorId: string, tokenIds: string[]): Promise<StoredConversation> {
    if (!a.workspaceIds.includes(site.workspaceId)) throw new ChatError('not_found', 'no such site');
    for (const tokenId of tokenIds) {
      const existing = await this.store.forVisitor({ siteId: site.siteId, visitorId, tokenId });
      if (existing) return existing;
    }
    const tokenId = tokenIds[0];
    if (!tokenId) throw new ChatError('not_found', 'This visitor is not on the site any more');
    return (await this.store.ensureForVisitor({ siteId: site.siteId, visitorId, tokenId }, this.date())).conversation;
  }

  async agentSend(a: AgentContext, conversationId: string, p: { id: string; text: string }): Promise<{ message: ChatMessage; conversation: StoredConversation; duplicate: boolean }> {
    const c = (await this.forAgent(a, conversationId)).summary;
    // Writing in a closed conversation reopens it.
    const r = await this.store.append(c.id, { clientId: p.id, from: 'agent', agent: { id: a.userId, name: a.name }, text: p.text, event: null }, this.date(), { status: 'open', closedAt: null });
    const conversation = await this.mustGet(c.id);
    if (!r.duplicate) this.bus.publish('chat:message-sent', { conversation, message: r.message });
    return { message: r.message, conversation, duplicate: r.duplicate };
  }

  async agentRead(a: AgentContext, conversationId: string, seq: number): Promise<void> {
    const c = (await this.forAgent(a, conversationId)).summary;
    if (!(await this.store.markRead(c.id, 'agent', seq))) return;
    this.bus.publish('chat:read', { conversation: await this.mustGet(c.id), by: 'agent' });
  }

  /** Close or reopen; a system line in the thread says who did it. */
  async agentSetStatus(a: AgentContext, conversationId: string, status: 'open' | 'closed', lineId: string): Promise<ConversationSummary> {
    const c = (await this.forAgent(a, conversationId)).summary;
    if (c.status === status) return c;
    const r = await this.store.append(c.id, { clientId: lineId, from: 'system', agent: { id: a.userId, name: a.name }, text: '', event: status === 'closed' ? 'closed' : 'reopened' }, this.date(), {
      status,
      closedAt: status === 'closed' ? this.date() : null,
    });
    if (status === 'closed') await this.store.setStatus(c.id, 'closed', this.date());
    const conversation = await this.mustGet(c.id);
    this.bus.publish('chat:message-sent', { conversation, message: r.message });
    if (status === 'closed') this.bus.publish('chat:conversation-closed', { conversation, by: a.userId });
    return conversation.summary;
  }

  private async mustGet(id: string): Promise<StoredConversation> {
    const c = await this.store.get(id);
    if (!c) throw new ChatError('not_found', 'no such conversation');
    return c;
  }
}
