// Calls across processes. With a single process every call is held here and this is a thin
// pass-through. With several (Redis): the directory of calls held elsewhere, the forwarding of
// operations to the process holding a call and the visitor locks live in
// server/cluster/call-directory.ts; this keeps them in step with the local CallBook. A Redis lock
// per visitor makes "one visitor, one call" hold even when two agents on two processes click Call
// in the same instant.
import { randomUUID } from 'node:crypto';
import type { Call, CallBook } from '../calls/call-book';
import type { CallOp, CallSummary, OpResult } from '../calls/call-ops';
import type { ClusterLocks } from '../cluster/cluster';
import { ANNOUNCE_EVERY_MS, CALL_CLUSTER_TTL_MS, CallDirectory, forwardCallOp, visitorLockKey, type CallAnnouncement } from '../cluster/call-directory';
import type { EventBus } from '../events/bus';
import type { PresenceEngine } from '../presence/engine';
import { liveCallOf, summaryOf } from './call-views';
import type { AgentNamespace } from './io';

export interface CallClusterDeps {
  book: CallBook;
  presence: PresenceEngine;
  agentNsp: AgentNamespace;
  cluster: { locks: ClusterLocks; processId: string } | null;
  bus: EventBus;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}

export type CallCluster = ReturnType<typeof createCallCluster>;

/** `execute` carries out an operation on a call this process holds. */
export function createCallCluster(d: CallClusterDeps, execute: (o: CallOp) => OpResult) {
  /** Calls held by other processes, by visitor. */
  const directory = new CallDirectory(d.now);
  const elsewhere = (siteId: string, visitorId: string): CallSummary | undefined => directory.get(siteId, visitorId);
  /** The visitor's call, held here or elsewhere. */
  const currentCall = (siteId: string, visitorId: string): CallSummary | undefined => {
    const local = d.book.ofVisitor(siteId, visitorId);
    return local ? summaryOf(local) : elsewhere(siteId, visitorId);
  };
  /** The Redis lock each local call holds on its visitor, by visitor (taken before the call starts). */
  const locks = new Map<string, { key: string; value: string }>();
  const lockOf = (call: { siteId: string; visitorId: string }) => locks.get(visitorLockKey(call.siteId, call.visitorId));

  /** The call's state for the live row here, and for the other processes' directories. */
  const publish = (call: Call, ended: boolean): void => {
    const summary = ended ? null : summaryOf(call);
    d.presence.setCall(call.siteId, call.visitorId, summary ? liveCallOf(summary) : null);
    if (d.cluster) d.agentNsp.serverSideEmit('call:directory', announcement(call, summary));
  };
  const announcement = (call: Call, summary: CallSummary | null): CallAnnouncement => ({
    siteId: call.siteId,
    visitorId: call.visitorId,
    callId: call.id,
    summary,
    holder: d.cluster?.processId ?? '',
    lock: lockOf(call) ?? null,
  });

  /**
   * Takes the visitor's lock before their call starts: across processes it decides (the directory
   * may be a moment behind, either way); on one process the CallBook does. False: taken already.
   */
  const claimVisitor = async (siteId: string, visitorId: string): Promise<boolean> => {
    if (!d.cluster) return true;
    const lock = { key: visitorLockKey(siteId, visitorId), value: randomUUID() };
    if (!(await d.cluster.locks.claim(lock.key, lock.value, CALL_CLUSTER_TTL_MS))) return false;
    // Known before the call starts, so its first announcement carries it.
    locks.set(lock.key, lock);
    return true;
  };
  /** Frees the visitor's lock, if a call here holds it. */
  const releaseVisitor = (call: { siteId: string; visitorId: string }): Promise<void> => {
    const lock = lockOf(call);
    if (!lock) return Promise.resolve();
    locks.delete(lock.key);
    return d.cluster?.locks.release(lock.key, lock.value) ?? Promise.resolve();
  };

  /** Here if this process holds the call, else on the process that does. */
  const run = async (o: CallOp): Promise<OpResult> => {
    if (d.book.get(o.callId) || !d.cluster) return execute(o);
    return forwardCallOp(d.agentNsp, o, d.log);
  };

  /** Tells the CallBook here, and the one holding the call if it is elsewhere. */
  const everywhere = (siteId: string, visitorId: string, local: () => void, tell: () => void): void => {
    local();
    if (d.cluster && directory.has(siteId, visitorId)) tell();
  };
  const visitorSocketClosed = (siteId: string, visitorId: string, p: { socketId: string; closedByPage: boolean }): void =>
    everywhere(siteId, visitorId, () => d.book.visitorSocketClosed(p.socketId, p.closedByPage), () => d.agentNsp.serverSideEmit('call:visitor-closed', p));
  const visitorGone = (siteId: string, visitorId: string): void =>
    everywhere(siteId, visitorId, () => d.book.visitorGone(siteId, visitorId), () => d.agentNsp.serverSideEmit('call:visitor-gone', { siteId, visitorId }));

  if (d.cluster) {
    d.agentNsp.on('call:op', (o: CallOp, reply: (r: OpResult | { notMine: true }) => void) => {
      try {
        reply(d.book.get(o.callId) ? execute(o) : { notMine: true });
      } catch (err) {
        d.log('forwarded call operation failed', err);
        reply({ ok: false, code: 'internal' });
      }
    });
    d.agentNsp.on('call:visitor-closed', (p: { socketId: string; closedByPage: boolean }) => d.book.visitorSocketClosed(p.socketId, p.closedByPage));
    d.agentNsp.on('call:visitor-gone', (p: { siteId: string; visitorId: string }) => d.book.visitorGone(p.siteId, p.visitorId));
    d.agentNsp.on('call:directory', (p: CallAnnouncement) => {
      const r = directory.heard(p);
      if (r.changed) d.presence.setCall(p.siteId, p.visitorId, r.summary ? liveCallOf(r.summary) : null);
    });
    // A holder that died takes its calls with it: their rows clear and their visitors are free
    // at once, not at the directory's expiry.
    d.bus.subscribe('cluster:processes-left', ({ processIds }) => {
      for (const gone of directory.dropHolders(processIds)) {
        if (!d.book.ofVisitor(gone.summary.siteId, gone.summary.visitorId)) d.presence.setCall(gone.summary.siteId, gone.summary.visitorId, null);
        if (gone.lock) d.cluster?.locks.release(gone.lock.key, gone.lock.value).catch((err) => d.log('dead process\'s visitor lock release failed', err));
      }
    });
  }

  // Holders re-announce their calls and keep their visitor locks; entries of a process that
  // stopped announcing (it died) are dropped, and their live rows cleared.
  const announcer = d.cluster
    ? setInterval(() => {
        try {
          for (const call of d.book.live()) {
            d.agentNsp.serverSideEmit('call:directory', announcement(call, summaryOf(call)));
            const lock = lockOf(call);
            if (lock) d.cluster?.locks.extend(lock.key, lock.value, CALL_CLUSTER_TTL_MS).catch((err) => d.log('visitor lock renewal failed', err));
          }
          for (const gone of directory.expire()) {
            if (!d.book.ofVisitor(gone.siteId, gone.visitorId)) d.presence.setCall(gone.siteId, gone.visitorId, null);
          }
        } catch (err) {
          d.log('call announcement failed', err);
        }
      }, ANNOUNCE_EVERY_MS)
    : null;
  announcer?.unref();

  return {
    elsewhere,
    currentCall,
    publish,
    claimVisitor,
    releaseVisitor,
    run,
    visitorSocketClosed,
    visitorGone,
    close: () => {
      if (announcer) clearInterval(announcer);
    },
  };
}
