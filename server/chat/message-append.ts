// Appending a message: one statement takes the conversation's next seq and stores the message,
// so its seq is final when it commits, and concurrent senders (on any process) are serialized
// by the row lock on the conversation. Idempotent on (conversation, the sender's message id).
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { chatMessage, conversation } from '../../drizzle/schema';
import type { ChatEventCode, ChatMessage, MessageSender } from '../protocol';
import { toMessage } from './chat-records';
import { messageByClientId } from './message-history';

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

/**
 * Stores a message with the conversation's next seq (or finds the one already stored under
 * the same id) and updates the conversation, in one statement: the conversation's update and
 * the insert commit or fail together, and no connection is held between round trips.
 */
export async function appendMessage(db: Db, conversationId: string, m: NewMessage, now: Date, patch: ConversationPatch): Promise<{ message: ChatMessage; duplicate: boolean }> {
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
  const bumped = db.$with('bumped').as(
    db
      .update(conversation)
      .set({ lastSeq: sql`${conversation.lastSeq} + 1`, lastText: m.text, lastFrom: m.from, lastEvent: m.event, lastAt: now, updatedAt: now, ...counters, ...patch })
      .where(eq(conversation.id, conversationId))
      .returning({ seq: conversation.lastSeq }),
  );
  const values = { conversationId, clientId: m.clientId, sender: m.from, agentId: m.agent?.id ?? null, agentName: m.agent?.name ?? null, body: m.text, event: m.event, at: now };
  try {
    const rows = await db
      .with(bumped)
      .insert(chatMessage)
      .select(
        db
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
    const again = await messageByClientId(db, conversationId, m.clientId);
    if (again) return { message: again, duplicate: true };
    throw err;
  }
}
