// Call records: one row per call, inserted when it starts ringing and completed when it ends, so
// a call in progress is visible in the history too. Writes are queued off the signaling path: a
// slow database never delays a call, and a failed write is logged, not thrown at anyone.
import { and, desc, eq, ilike, inArray, isNull, lt, max, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { call as callTable, site, visitor } from '../../drizzle/schema';
import type { CallEndReason, CallOutcome, CallRecord } from '../protocol';
import type { Call } from './call-book';

export class CallRecorder {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  started(call: Call): void {
    const row = { id: call.id, siteId: call.siteId, visitorKey: call.visitorId, agentId: call.agent.userId, agentName: call.agent.name, video: call.video, startedAt: new Date(call.createdAt) };
    this.enqueue(() => this.db.insert(callTable).values(row).onConflictDoNothing());
  }

  answered(call: Call): void {
    const answeredAt = call.acceptedAt === null ? null : new Date(call.acceptedAt);
    this.enqueue(() => this.db.update(callTable).set({ answeredAt }).where(eq(callTable.id, call.id)));
  }

  ended(call: Call): void {
    const end = call.end;
    if (!end) return;
    const values = {
      answeredAt: call.acceptedAt === null ? null : new Date(call.acceptedAt),
      endedAt: new Date(call.endedAt ?? Date.now()),
      durationMs: end.durationMs,
      outcome: end.outcome,
      endedBy: end.by,
      reason: end.reason,
    };
    this.enqueue(() => this.db.update(callTable).set(values).where(eq(callTable.id, call.id)));
  }

  /**
   * Calls a previous run of this server left open (it stopped mid-call) are over: nobody can
   * be in them any more. Only for a single process: in a cluster another process may hold them.
   */
  async closeInterrupted(now: number): Promise<number> {
    const rows = await this.db
      .update(callTable)
      .set({ endedAt: new Date(now), outcome: sql`case when ${callTable.answeredAt} is null then 'failed' else 'answered' end`, endedBy: 'system', reason: 'interrupted' })
      .where(isNull(callTable.endedAt))
      .returning({ id: callTable.id });
    return rows.length;
  }

  /** Resolves once every write queued so far is done (tests, shutdown). */
  flush(): Promise<void> {
    return this.tail;
  }

  private enqueue(write: () => PromiseLike<unknown>): void {
    // One chain: an end never overtakes its own start.
    this.tail = this.tail.then(async () => {
      try {
        await write();
      } catch (err) {
        this.log('call record write failed', err);
      }
    });
  }
}

export interface CallFilter {
  /** The sites the asking user may see: the tenant boundary, always applied. */
  siteIds: string[];
  siteId?: string;
  outcome?: CallOutcome | 'ongoing';
  agentId?: string;
  /** Visitor id (prefix) or name/email (substring). */
  q?: string;
  /** The next page: calls after this one in the list's order (started before `before`, or at the same millisecond with a smaller id). */
  before?: number;
  beforeId?: string;
  visitorId?: string;
  limit: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listCalls(db: Db, f: CallFilter): Promise<CallRecord[]> {
  if (f.siteIds.length === 0) return [];
  const where: (SQL | undefined)[] = [inArray(callTable.siteId, f.siteIds)];
  if (f.siteId) where.push(eq(callTable.siteId, f.siteId));
  if (f.outcome === 'ongoing') where.push(isNull(callTable.outcome));
  else if (f.outcome) where.push(eq(callTable.outcome, f.outcome));
  if (f.agentId) where.push(eq(callTable.agentId, f.agentId));
  if (f.visitorId) where.push(eq(callTable.visitorKey, f.visitorId));
  if (f.before !== undefined) {
    const at = new Date(f.before);
    where.push(f.beforeId ? or(lt(callTable.startedAt, at), and(eq(callTable.startedAt, at), lt(callTable.id, f.beforeId))) : lt(callTable.startedAt, at));
  }
  const q = f.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    where.push(or(ilike(callTable.visitorKey, `${escapeLike(q)}%`), ilike(visitor.name, like), ilike(visitor.email, like)));
  }
  const rows = await db
    .select({ c: callTable, siteName: site.name, visitorName: visitor.name })
    .from(callTable)
    .innerJoin(site, eq(site.id, callTable.siteId))
    .leftJoin(visitor, and(eq(visitor.siteId, callTable.siteId), eq(visitor.visitorKey, callTable.visitorKey)))
    .where(and(...where))
    .orderBy(desc(callTable.startedAt), desc(callTable.id))
    .limit(Math.min(Math.max(f.limit, 1), 200));
  return rows.map(({ c, siteName, visitorName }) => ({
    id: c.id,
    siteId: c.siteId,
    siteName,
    visitorId: c.visitorKey,
    visitorName: visitorName ?? null,
    agentId: c.agentId,
    agentName: c.agentName,
    video: c.video,
    startedAt: c.startedAt.getTime(),
    answeredAt: c.answeredAt?.getTime() ?? null,
    endedAt: c.endedAt?.getTime() ?? null,
    durationMs: c.durationMs,
    outcome: c.outcome,
    endedBy: c.endedBy,
    reason: (c.reason as CallEndReason | null) ?? null,
  }));
}

/** The agents who appear in these sites' calls (for the history page's agent filter). */
export async function listCallAgents(db: Db, siteIds: string[]): Promise<{ id: string; name: string }[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .select({ id: callTable.agentId, name: callTable.agentName, last: max(callTable.startedAt) })
    .from(callTable)
    .where(inArray(callTable.siteId, siteIds))
    .groupBy(callTable.agentId, callTable.agentName)
    .orderBy(desc(max(callTable.startedAt)))
    .limit(500);
  // An agent renamed between calls appears once, under the name of their latest call.
  const byId = new Map<string, string>();
  for (const r of rows) if (!byId.has(r.id)) byId.set(r.id, r.name);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
