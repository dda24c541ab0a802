// Reads visit history for the visitor panel. Callers have already checked the site belongs to the agent.
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { pageView, visit, visitor } from '../../drizzle/schema';
import type { VisitorDetails } from '../protocol';
import { listCalls } from '../calls/call-records';
import { visitRowId } from './visit-id';

export async function readVisitorDetails(db: Db, siteId: string, visitorKey: string, currentVisitKey: string | null): Promise<VisitorDetails> {
  const currentId = currentVisitKey ? visitRowId(siteId, visitorKey, currentVisitKey) : null;
  const [who] = await db
    .select()
    .from(visitor)
    .where(and(eq(visitor.siteId, siteId), eq(visitor.visitorKey, visitorKey)))
    .limit(1);
  const trail = currentId
    ? await db.select({ url: pageView.url, title: pageView.title, at: pageView.at }).from(pageView).where(eq(pageView.visitId, currentId)).orderBy(pageView.at, pageView.id).limit(200)
    : [];
  const past = await db
    .select({
      id: visit.id,
      startedAt: visit.startedAt,
      lastSeenAt: visit.lastSeenAt,
      referrer: visit.referrer,
      source: visit.source,
      landingUrl: visit.landingUrl,
      pageViews: sql<number>`(select count(*) from page_view pv where pv.visit_id = "visit"."id")`.mapWith(Number),
    })
    .from(visit)
    .where(and(eq(visit.siteId, siteId), eq(visit.visitorKey, visitorKey), currentId ? ne(visit.id, currentId) : undefined))
    .orderBy(desc(visit.startedAt))
    .limit(20);
  const calls = await listCalls(db, { siteIds: [siteId], visitorId: visitorKey, limit: 20 });
  return {
    visitorId: visitorKey,
    firstSeenAt: who ? who.firstSeenAt.getTime() : null,
    visitCount: who?.visitCount ?? 0,
    trail: trail.map((p) => ({ url: p.url, title: p.title, at: p.at.getTime() })),
    pastVisits: past.map((v) => ({ ...v, startedAt: v.startedAt.getTime(), lastSeenAt: v.lastSeenAt.getTime() })),
    identity: { name: who?.name ?? undefined, email: who?.email ?? undefined, attributes: who?.attributes ?? {} },
    calls,
  };
}
