// An agent's inbox: the conversations of their workspaces that the filter keeps, newest first,
// and the unread count of all the open ones.
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { conversation, site } from '../../drizzle/schema';
import type { ConversationSummary, InboxFilter } from '../protocol';
import { summaries } from './conversation-lookup';

export async function inbox(db: Db, workspaceIds: string[], userId: string, f: InboxFilter): Promise<{ conversations: ConversationSummary[]; unreadTotal: number }> {
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
    summaries(db, where, Math.min(f.limit ?? 50, 200)),
    db
      .select({ n: sql<number>`coalesce(sum(${conversation.agentUnread}), 0)::int` })
      .from(conversation)
      .innerJoin(site, eq(site.id, conversation.siteId))
      .where(and(scope, eq(conversation.status, 'open'))),
  ]);
  return { conversations: stored.map((c) => c.summary), unreadTotal: Number(total[0]?.n ?? 0) };
}
