// Everything the dashboard holds about chat, in one pure reducer: the inbox (conversations and
// the unread total), the threads this tab has opened (messages by seq, server/chat/thread.ts),
// and the outbox. The provider (chat-provider.tsx) and its hooks feed it socket events and acks.
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import { holds, mergeMessages, emptyThread, type Thread } from '../../server/chat/thread';
import { inboxReducer, initialInbox, type InboxAction, type InboxState } from './inbox';
import { outboxReducer, pendingFor, type Outbox, type OutboxAction, type OutboxEntry } from './outbox';

export interface ChatState {
  inbox: InboxState;
  /** Threads of the conversations this tab has opened (synced at least once). */
  threads: ReadonlyMap<string, Thread>;
  outbox: Outbox;
}

export const initialChat: ChatState = { inbox: initialInbox, threads: new Map(), outbox: [] };

export type ChatAction =
  | InboxAction
  | OutboxAction
  /** A live chat:message, or the ack of our own chat:send. */
  | { type: 'message'; message: ChatMessage; conversation: ConversationSummary }
  /** A page of chat:sync: the thread exists from now on. */
  | { type: 'synced'; conversation: ConversationSummary; messages: ChatMessage[] };

const OUTBOX_ACTIONS = new Set(['queue', 'sending', 'stored', 'rejected', 'unanswered']);

function withMessages(state: ChatState, conversationId: string, messages: readonly ChatMessage[], create: boolean): ChatState {
  const thread = state.threads.get(conversationId) ?? (create ? emptyThread : null);
  let { threads, outbox } = state;
  if (thread) {
    const next = mergeMessages(thread, messages);
    if (next !== thread || !state.threads.has(conversationId)) {
      const copy = new Map(threads);
      copy.set(conversationId, next);
      threads = copy;
    }
  }
  // A message of ours that is stored is done, whichever way we learnt it (ack, live event, sync).
  outbox = outboxReducer(outbox, { type: 'stored', ids: messages.map((m) => m.id) });
  return threads === state.threads && outbox === state.outbox ? state : { ...state, threads, outbox };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  if (OUTBOX_ACTIONS.has(action.type)) {
    const outbox = outboxReducer(state.outbox, action as OutboxAction);
    return outbox === state.outbox ? state : { ...state, outbox };
  }
  switch (action.type) {
    case 'message': {
      const inbox = inboxReducer(state.inbox, { type: 'upsert', conversation: action.conversation, message: action.message });
      const next = inbox === state.inbox ? state : { ...state, inbox };
      return withMessages(next, action.message.conversationId, [action.message], false);
    }
    case 'synced': {
      const inbox = inboxReducer(state.inbox, { type: 'upsert', conversation: action.conversation });
      const next = inbox === state.inbox ? state : { ...state, inbox };
      return withMessages(next, action.conversation.id, action.messages, true);
    }
    default: {
      const inbox = inboxReducer(state.inbox, action as InboxAction);
      return inbox === state.inbox ? state : { ...state, inbox };
    }
  }
}

/** The "Sending…" bubbles of a conversation: outbox entries its thread does not hold yet. */
export function pendingBubbles(state: ChatState, conversationId: string): OutboxEntry[] {
  const thread = state.threads.get(conversationId);
  return pendingFor(state.outbox, conversationId, (id) => !!thread && holds(thread, id));
}
