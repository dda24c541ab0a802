// How far each side has read a conversation, and its unread counter.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { conversation } from '../../drizzle/schema';

/** Moves `by`'s read mark to `seq`; false when it was there already (nothing changed). */
export async function markRead(db: Db, conversationId: string, by: 'agent' | 'visitor', seq: number): Promise<boolean> {
  // Only forward, and never past the last message; unread counters reset once everything is read.
  const col = by === 'agent' ? conversation.agentReadSeq : conversation.visitorReadSeq;
  const unread = by === 'agent' ? conversation.agentUnread : conversation.visitorUnread;
  const set =
    by === 'agent'
      ? { agentReadSeq: sql`least(${conversation.lastSeq}, ${seq})`, agentUnread: sql`case when ${seq} >= ${conversation.lastSeq} then 0 else ${unread} end` }
      : { visitorReadSeq: sql`least(${conversation.lastSeq}, ${seq})`, visitorUnread: sql`case when ${seq} >= ${conversation.lastSeq} then 0 else ${unread} end` };
  const rows = await db
    .update(conversation)
    .set(set)
    .where(and(eq(conversation.id, conversationId), lt(col, seq)))
    .returning({ id: conversation.id });
  return rows.length > 0;
}
