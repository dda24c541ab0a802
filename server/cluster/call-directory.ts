// Calls across processes. A call lives in the CallBook of the process where the agent started it;
// every other process keeps a small directory of those calls (who is ringing or in a call), fed by
// the holders' announcements, so a visitor's reconnecting tab, the busy check and the live row need
// no cross-process request. Holders re-announce every few seconds; an entry not heard of for a
// while belonged to a process that is gone. Operations on a call held elsewhere are forwarded.
// Pure but for forwardCallOp (socket.io's server-side emit); clock injected.
import type { CallOp, CallSummary, OpResult } from '../calls/call-ops';
import type { AgentNamespace } from '../transport/io';

/** How often a process re-announces the calls it holds (and extends their visitor locks). */
export const ANNOUNCE_EVERY_MS = 10_000;
/** A directory entry or visitor lock not renewed for this long belonged to a process that is gone. */
export const CALL_CLUSTER_TTL_MS = 35_000;

/** The Redis lock that makes "one visitor, one call" hold across processes. */
export const visitorLockKey = (siteId: string, visitorId: string) => `call-visitor:${siteId}:${visitorId}`;

/** A holder's announcement: the call as it is now, or null when it ended. */
export interface CallAnnouncement {
  siteId: string;
  visitorId: string;
  callId: string;
  summary: CallSummary | null;
  /** The process holding the call (Cluster.processId). */
  holder: string;
  /** The holder's visitor lock, so that the others can free it if the holder dies. */
  lock: { key: string; value: string } | null;
}

/** A call whose holder died: its live row is cleared and its visitor lock freed. */
export interface OrphanedCall {
  summary: CallSummary;
  lock: { key: string; value: string } | null;
}

const key = (siteId: string, visitorId: string) => `${siteId}\n${visitorId}`;

export class CallDirectory {
  private readonly entries = new Map<string, { summary: CallSummary; seenAt: number; holder: string; lock: CallAnnouncement['lock'] }>();

  constructor(private readonly now: () => number, private readonly ttlMs = CALL_CLUSTER_TTL_MS) {}

  get(siteId: string, visitorId: string): CallSummary | undefined {
    return this.entries.get(key(siteId, visitorId))?.summary;
  }

  has(siteId: string, visitorId: string): boolean {
    return this.entries.has(key(siteId, visitorId));
  }

  /** Takes an announcement; says whether the visitor's live row must change (and to what). */
  heard(p: CallAnnouncement): { changed: false } | { changed: true; summary: CallSummary | null } {
    const k = key(p.siteId, p.visitorId);
    const before = this.entries.get(k)?.summary;
    if (p.summary) this.entries.set(k, { summary: p.summary, seenAt: this.now(), holder: p.holder, lock: p.lock });
    // An end only removes the call it is about (a newer call of the visitor may be announced already).
    else if (before?.invite.callId !== p.callId) return { changed: false };
    else this.entries.delete(k);
    const changed = !p.summary || before?.invite.callId !== p.summary.invite.callId || before.acceptedAt !== p.summary.acceptedAt;
    return changed ? { changed: true, summary: p.summary } : { changed: false };
  }

  /** Drops the calls of processes that died (their heartbeat lapsed), at once rather than at the expiry. */
  dropHolders(holders: readonly string[]): OrphanedCall[] {
    const dead = new Set(holders);
    const out: OrphanedCall[] = [];
    for (const [k, entry] of this.entries) {
      if (!dead.has(entry.holder)) continue;
      this.entries.delete(k);
      out.push({ summary: entry.summary, lock: entry.lock });
    }
    return out;
  }

  /** Drops the entries whose holder stopped announcing them; returns what was dropped. */
  expire(): CallSummary[] {
    const stale = this.now() - this.ttlMs;
    const out: CallSummary[] = [];
    for (const [k, entry] of this.entries) {
      if (entry.seenAt >= stale) continue;
      this.entries.delete(k);
      out.push(entry.summary);
    }
    return out;
  }
}

/** Carries out an operation on the process holding the call; `gone` when none does. */
export async function forwardCallOp(agents: AgentNamespace, o: CallOp, log: (msg: string, err?: unknown) => void): Promise<OpResult> {
  let replies: (OpResult | { notMine: true })[] = [];
  try {
    replies = (await agents.serverSideEmitWithAck('call:op', o)) as typeof replies;
  } catch (err) {
    log('call operation not answered by every process', err);
    // The process holding the call may be among those that did answer.
    replies = ((err as { responses?: typeof replies }).responses ?? []) as typeof replies;
  }
  return replies.find((r): r is OpResult => !('notMine' in r)) ?? { ok: false, code: 'gone', message: 'The call has ended' };
}
