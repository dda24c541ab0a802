// The in-process bus of domain events. The domain publishes what happened (a message was sent,
// a conversation opened or closed); notifications subscribe, and webhooks and audit will. A
// subscriber's failure is logged and never reaches the publisher or the other subscribers.
import type { StoredConversation } from '../chat/chat-store';
import type { ChatMessage } from '../protocol';

export interface DomainEvents {
  /** A message was stored (and acknowledged to its sender). */
  'chat:message-sent': { conversation: StoredConversation; message: ChatMessage };
  /** A visitor wrote while no agent of the workspace was online. */
  'chat:offline-message': { conversation: StoredConversation; message: ChatMessage };
  'chat:conversation-opened': { conversation: StoredConversation };
  /** Someone read up to a seq ("Seen"); the conversation carries both read marks. */
  'chat:read': { conversation: StoredConversation; by: 'agent' | 'visitor' };
  /** `by`: the user id of the agent who closed it. */
  'chat:conversation-closed': { conversation: StoredConversation; by: string };
  /** A conversation got an agent (round-robin: `by` null), was taken over or handed on. */
  'chat:assigned': { conversation: StoredConversation; by: { id: string; name: string } | null; toUserId: string | null };
  /**
   * What a user may reach changed or ended (removed from a workspace, role changed, signed out,
   * session revoked): their open dashboard sockets must reconnect and be judged again at once.
   * `sessionId` narrows it to one session; without it, every session of the user.
   */
  'access:changed': { userId: string; sessionId?: string; reason: 'removed' | 'role-changed' | 'signed-out' };
  /**
   * A workspace was deleted with everything it owned. Its members were told through
   * 'access:changed'; the visitor transport forgets the sites' keys and closes their sockets.
   */
  'workspace:deleted': { workspaceId: string; siteIds: string[]; memberIds: string[] };
  /**
   * Server processes stopped answering their heartbeats (killed, or cut off from Redis): what
   * they held (calls, their locks) is theirs no more. `processIds` as in Cluster.processId.
   */
  'cluster:processes-left': { processIds: string[] };
  /** An invitation link was created or re-sent (the mailer sends it when SMTP is set). */
  'team:invited': { email: string; link: string; workspaceName: string; invitedByName: string; role: 'admin' | 'agent'; expiresAt: number };
}

export type DomainEventName = keyof DomainEvents;
type Subscriber<E extends DomainEventName> = (event: DomainEvents[E]) => void | Promise<void>;

export class EventBus {
  private readonly subscribers: { [E in DomainEventName]?: Subscriber<E>[] } = {};

  constructor(private readonly onError: (err: unknown, event: DomainEventName) => void) {}

  subscribe<E extends DomainEventName>(name: E, fn: Subscriber<E>): () => void {
    const list = (this.subscribers[name] ??= []) as Subscriber<E>[];
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  publish<E extends DomainEventName>(name: E, event: DomainEvents[E]): void {
    for (const fn of (this.subscribers[name] ?? []) as Subscriber<E>[]) {
      try {
        const r = fn(event);
        if (r instanceof Promise) r.catch((err: unknown) => this.onError(err, name));
      } catch (err) {
        this.onError(err, name);
      }
    }
  }
}
