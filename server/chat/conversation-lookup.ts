// Finding conversations: by id, by a visitor's token (one or many at once), within an agent's
// workspaces, and creating a visitor's on first need.
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { conversation, site } from '../../drizzle/schema';
import { toSummary, type StoredConversation, type VisitorKey } from './chat-records';

/** Conversations matching `where`, with their site and workspace, newest first. */
export async function summaries(db: Db, where: SQL | undefined, limit: number): Promise<StoredConversation[]> {
  const rows = await db
    .select({ c: conversation, siteName: site.name, workspaceId: site.workspaceId })
    .from(conversation)
    .innerJoin(site, eq(site.id, conversation.siteId))
    .where(where)
    .orderBy(desc(conversation.updatedAt), desc(conversation.id))
    .limit(limit);
  return rows.map((r) => ({ summary: toSummary(r.c, r.siteName), workspaceId: r.workspaceId, visitor: { siteId: r.c.siteId, visitorId: r.c.visitorKey, tokenId: r.c.visitorToken } }));
}

export async function forVisitor(db: Db, v: VisitorKey): Promise<StoredConversation | null> {
  const rows = await summaries(db, and(eq(conversation.siteId, v.siteId), eq(conversation.visitorKey, v.visitorId), eq(conversation.visitorToken, v.tokenId)), 1);
  return rows[0] ?? null;
}

/** The conversations of many visitors at once (one query per few hundred): for connection storms. */
export async function forVisitors(db: Db, keys: VisitorKey[]): Promise<StoredConversation[]> {
  const out: StoredConversation[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    // Token ids are random: matching on them finds the rows; site and visitor are checked too.
    const rows = await summaries(db, inArray(conversation.visitorToken, chunk.map((k) => k.tokenId)), chunk.length * 2);
    const wanted = new Set(chunk.map((k) => `${k.siteId}\n${k.visitorId}\n${k.tokenId}`));
    out.push(...rows.filter((r) => wanted.has(`${r.visitor.siteId}\n${r.visitor.visitorId}\n${r.visitor.tokenId}`)));
  }
  return out;
}

/** The visitor's conversation, created (empty) if they have none. */
export async function ensureForVisitor(db: Db, v: VisitorKey, now: Date, who: { name?: string | null; email?: string | null }): Promise<{ conversation: StoredConversation; created: boolean }> {
  // Almost always it exists already: one read, no write.
  const existing = await forVisitor(db, v);
  if (existing) return { conversation: existing, created: false };
  const inserted = await db
    .insert(conversation)
    .values({ id: crypto.randomUUID(), siteId: v.siteId, visitorKey: v.visitorId, visitorToken: v.tokenId, visitorName: who.name ?? null, visitorEmail: who.email ?? null, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: conversation.id });
  const found = await forVisitor(db, v);
  if (!found) throw new Error('conversation vanished after insert');
  return { conversation: found, created: inserted.length > 0 };
}

/** A conversation if it belongs to one of these workspaces; null otherwise (as if absent). */
export async function inWorkspaces(db: Db, conversationId: string, workspaceIds: string[]): Promise<StoredConversation | null> {
  if (!workspaceIds.length) return null;
  const rows = await summaries(db, and(eq(conversation.id, conversationId), inArray(site.workspaceId, workspaceIds)), 1);
  return rows[0] ?? null;
}

export async function byId(db: Db, conversationId: string): Promise<StoredConversation | null> {
  const rows = await summaries(db, eq(conversation.id, conversationId), 1);
  return rows[0] ?? null;
}
