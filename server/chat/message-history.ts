// Reading stored messages: pages after a seq, the last few, one by its sender's id.
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { chatMessage } from '../../drizzle/schema';
import type { ChatMessage, MessageSender } from '../protocol';
import { toMessage } from './chat-records';

const PAGE = 200;

export async function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit = PAGE): Promise<{ messages: ChatMessage[]; more: boolean }> {
  const rows = await db
    .select()
    .from(chatMessage)
    .where(and(eq(chatMessage.conversationId, conversationId), gt(chatMessage.seq, afterSeq)))
    .orderBy(asc(chatMessage.seq))
    .limit(limit + 1);
  return { messages: rows.slice(0, limit).map(toMessage), more: rows.length > limit };
}

/** The last `n` messages (for previews). */
export async function latestMessages(db: Db, conversationId: string, n: number, from?: MessageSender): Promise<ChatMessage[]> {
  const rows = await db
    .select()
    .from(chatMessage)
    .where(and(eq(chatMessage.conversationId, conversationId), from ? eq(chatMessage.sender, from) : undefined))
    .orderBy(desc(chatMessage.seq))
    .limit(n);
  return rows.reverse().map(toMessage);
}

export async function messageByClientId(db: Db, conversationId: string, clientId: string): Promise<ChatMessage | null> {
  const rows = await db.select().from(chatMessage).where(and(eq(chatMessage.conversationId, conversationId), eq(chatMessage.clientId, clientId))).limit(1);
  return rows[0] ? toMessage(rows[0]) : null;
}
