// Assignment: new visitor conversations go round-robin to online agents when the workspace
// says so; any agent takes a conversation over or hands it to another member, who is told.
// Plain TypeScript with an injected clock; the transport passes who is online.
import type { EventBus } from '../events/bus';
import { nextInRotation, type AssignmentMode } from './assignment';
import type { AssignmentStore, Member } from './assignment-store';
import { ChatError, type AgentContext, type ChatService } from './chat-service';
import type { ChatStore, StoredConversation } from './chat-store';

export class AssignmentService {
  constructor(
    private readonly store: AssignmentStore,
    private readonly chats: ChatStore,
    private readonly chat: ChatService,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  /** A visitor just opened a conversation: in round-robin mode the next online agent gets it. */
  async assignNew(c: StoredConversation, onlineUserIds: string[]): Promise<void> {
    if (c.summary.assignee) return;
    const { mode, last } = await this.store.rotation(c.workspaceId);
    if (mode !== 'round_robin') return;
    const next = nextInRotation(onlineUserIds, last);
    const to = next ? await this.store.member(c.workspaceId, next) : null;
    if (!to) return;
    await this.store.rotate(c.workspaceId, to.id);
    await this.store.setAssignee(c.summary.id, to, new Date(this.now()));
    await this.published(c.summary.id, null, to.id);
  }

  /** Take it over (`toUserId` is the agent) or hand it to another member; null unassigns. */
  async assign(a: AgentContext, conversationId: string, toUserId: string | null): Promise<StoredConversation> {
    const c = await this.chat.forAgent(a, conversationId);
    const to = toUserId ? await this.store.member(c.workspaceId, toUserId) : null;
    if (toUserId && !to) throw new ChatError('not_found', 'no such member');
    if ((c.summary.assignee?.id ?? null) === (to?.id ?? null)) return c;
    await this.store.setAssignee(c.summary.id, to, new Date(this.now()));
    return this.published(c.summary.id, { id: a.userId, name: a.name }, to?.id ?? null);
  }

  /** Who a conversation can be handed to: the members of its workspace (one access check). */
  async assignees(a: AgentContext, conversationId: string): Promise<{ workspaceId: string; members: Member[] }> {
    const c = await this.chat.forAgent(a, conversationId);
    return { workspaceId: c.workspaceId, members: await this.store.members(c.workspaceId) };
  }

  setMode(workspaceId: string, mode: AssignmentMode): Promise<void> {
    return this.store.setMode(workspaceId, mode);
  }

  async mode(workspaceId: string): Promise<AssignmentMode> {
    return (await this.store.rotation(workspaceId)).mode;
  }

  private async published(conversationId: string, by: Member | null, toUserId: string | null): Promise<StoredConversation> {
    const conversation = await this.chats.get(conversationId);
    if (!conversation) throw new ChatError('not_found', 'no such conversation');
    this.bus.publish('chat:assigned', { conversation, by, toUserId });
    return conversation;
  }
}
