// Wires calls to socket.io: the call:* events of both namespaces go through zod and the
// CallBook, and the CallBook's events become messages to the two parties of a call only.
// Signals are relayed as the exact string that came in, to one socket id the CallBook chose.
//
// Several processes (Redis): the directory of calls held elsewhere, the forwarding of operations
// to the process holding a call and the visitor locks live in server/cluster/call-directory.ts;
// messages reach sockets on any process through the Redis adapter. A Redis lock per visitor makes
// "one visitor, one call" hold even when two agents on two processes click Call in the same instant.
import { randomUUID } from 'node:crypto';
import type { CallBook, CallEvent, Party, VisitorParty } from '../calls/call-book';
import type { CallOp, CallSummary, OpResult } from '../calls/call-ops';
import type { CallRecorder } from '../calls/call-records';
import { iceFor, type IceOptions } from '../calls/ice';
import type { PresenceEngine } from '../presence/engine';
import type { AgentClientEvents, AgentServerEvents, CallInvite, VisitorServerEvents, ErrorCode, IceConfig, LiveCall } from '../protocol';
import type { SiteStore } from '../sites/site-store';
import { initialsOf } from '../initials';
import type { ClusterLocks } from '../cluster/cluster';
import { ANNOUNCE_EVERY_MS, CALL_CLUSTER_TTL_MS, CallDirectory, forwardCallOp, visitorLockKey, type CallAnnouncement } from '../cluster/call-directory';
import type { EventBus } from '../events/bus';
import { ClientError, on, tokenBucket, type HandlerOptions } from './handler';
import type { VisitorEvents } from './visitor-namespace';
import type { AgentNamespace, AgentSocket, VisitorNamespace, VisitorSocket } from './io';
import { CallAcceptSchema, CallMediaStateSchema, CallRejoinSchema, CallRefSchema, CallSignalSchema, CallStartSchema } from './schemas';
import type { Socket } from 'socket.io';

/** Every tab of one visitor: invitations ring in all of them. */
export const visitorRoom = (siteId: string, visitorId: string) => `visitor:${siteId}:${visitorId}`;

export interface CallTransportDeps {
  book: CallBook;
  recorder: CallRecorder;
  presence: PresenceEngine;
  sites: SiteStore;
  ice: IceOptions;
  visitorNsp: VisitorNamespace;
  /** The visitor sockets' shared handlers: calls wire theirs in on a socket's first call event. */
  visitorEvents: VisitorEvents;
  agentNsp: AgentNamespace;
  /** Several processes share calls over the Redis adapter (and lock visitors in Redis). */
  cluster: { locks: ClusterLocks; processId: string } | null;
  /** Domain events: a process that died ('cluster:processes-left') takes its calls with it. */
  bus: EventBus;
  /** How long a ringing call waits for a visitor whose last tab closed (a navigation) before it counts as missed. */
  goneGraceMs: number;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}


export function createCallTransport(d: CallTransportDeps) {
  const toVisitors = (siteId: string, visitorId: string) => d.visitorNsp.to(visitorRoom(siteId, visitorId));
  const iceForParty = (callId: string, party: 'a' | 'v') => iceFor(d.ice, `${callId}-${party}`, d.now());
  const inviteOf = (call: CallEvent['call']): CallInvite => ({
    callId: call.id,
    agent: { name: call.agent.name, initials: initialsOf(call.agent.name), avatar: call.agent.avatar ?? null },
    company: call.company,
    video: call.video,
    expiresAt: call.expiresAt,
  });
  const summaryOf = (call: CallEvent['call']): CallSummary => ({
    siteId: call.siteId,
    visitorId: call.visitorId,
    invite: inviteOf(call),
    tabId: call.visitor?.tabId ?? null,
    acceptedAt: call.acceptedAt,
    media: call.visitor?.media ?? null,
  });
  const liveCallOf = (s: CallSummary): LiveCall => ({ callId: s.invite.callId, agentName: s.invite.agent.name, phase: s.acceptedAt === null ? 'ringing' : 'in-call' });

  /** Calls held by other processes, by visitor. */
  const directory = new CallDirectory(d.now);
  const elsewhere = (siteId: string, visitorId: string): CallSummary | undefined => directory.get(siteId, visitorId);
  const currentCall = (siteId: string, visitorId: string): CallSummary | undefined => {
    const local = d.book.ofVisitor(siteId, visitorId);
    return local ? summaryOf(local) : elsewhere(siteId, visitorId);
  };
  /** The Redis lock each local call holds on its visitor, by visitor (taken before the call starts). */
  const locks = new Map<string, { key: string; value: string }>();
  const lockOf = (call: { siteId: string; visitorId: string }) => locks.get(visitorLockKey(call.siteId, call.visitorId));

  /** The call's state for the live row here, and for the other processes' directories. */
  const publish = (call: CallEvent['call'], ended: boolean): void => {
    const summary = ended ? null : summaryOf(call);
    d.presence.setCall(call.siteId, call.visitorId, summary ? liveCallOf(summary) : null);
    if (d.cluster) d.agentNsp.serverSideEmit('call:directory', announcement(call, summary));
  };
  const announcement = (call: CallEvent['call'], summary: CallSummary | null): CallAnnouncement => ({
    siteId: call.siteId,
    visitorId: call.visitorId,
    callId: call.id,
    summary,
    holder: d.cluster?.processId ?? '',
    lock: lockOf(call) ?? null,
  });

  /** The CallBook's events, turned into messages, live-table updates and records. */
  const onCallEvent = (e: CallEvent): void => {
    const { call } = e;
    switch (e.type) {
      case 'invited':
        toVisitors(call.siteId, call.visitorId).emit('call:invite', inviteOf(call));
        publish(call, false);
        d.recorder.started(call);
        return;
      case 'accepted': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:accepted', { callId: call.id, ice: iceForParty(call.id, 'a'), media: v.media, problems: v.problems });
        // The visitor's other tabs stop ringing.
        toVisitors(call.siteId, call.visitorId).except(v.socketId).emit('call:ended', { callId: call.id, outcome: 'answered', reason: 'answered_elsewhere', by: 'visitor', durationMs: null });
        publish(call, false);
        d.recorder.answered(call);
        return;
      }
      case 'answering':
        d.agentNsp.to(call.agent.socketId).emit('call:answering', { callId: call.id, ringsForMs: Math.max(0, call.expiresAt - d.now()) });
        return;
      case 'connected':
        return;
      case 'away':
        d.agentNsp.to(call.agent.socketId).emit('call:away', { callId: call.id });
        return;
      case 'rejoined': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:rejoined', { callId: call.id, ice: iceForParty(call.id, 'a'), media: v.media, problems: v.problems });
        publish(call, false);
        return;
      }
      case 'ended': {
        // The lock goes first: the release and the directory update travel on the same Redis
        // connection, so a process that hears the call ended finds the visitor free too.
        const lock = lockOf(call);
        if (lock) locks.delete(lock.key);
        if (lock) d.cluster?.locks.release(lock.key, lock.value).catch((err) => d.log('visitor lock release failed', err));
        d.agentNsp.to(call.agent.socketId).emit('call:ended', e.end);
        toVisitors(call.siteId, call.visitorId).emit('call:ended', e.end);
        publish(call, true);
        d.recorder.ended(call);
        return;
      }
    }
  };

  /** Carries out an operation on a call this process holds. */
  const execute = (o: CallOp): OpResult => {
    const book = d.book;
    const refuse = (r: { ok: false; code: ErrorCode; message: string }): OpResult => ({ ok: false, code: r.code, message: r.message });
    switch (o.op) {
      case 'accept':
      case 'rejoin': {
        const r = o.op === 'accept' ? book.accept(o.callId, o.party, o.media, o.problems) : book.rejoin(o.callId, o.party, o.resumeToken, o.media, o.problems);
        return r.ok ? { ok: true, ice: iceForParty(r.call.id, 'v'), resumeToken: r.call.resumeToken ?? '' } : refuse(r);
      }
      case 'decline':
      case 'navigating':
      case 'answering': {
        const r = o.op === 'decline' ? book.decline(o.callId, o.party) : o.op === 'navigating' ? book.navigating(o.callId, o.party) : book.answering(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'connected':
      case 'hangup': {
        const r = o.op === 'connected' ? book.connected(o.callId, o.party) : book.hangup(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'cancel': {
        const r = book.cancel(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'signal':
      case 'media': {
        const r = book.relay(o.callId, o.party);
        if (!r.ok) return refuse(r);
        // Both namespaces name these events alike; each emit is checked against its own map.
        const target = r.to.socketId;
        const emit = r.to.kind === 'agent' ? <E extends 'call:signal' | 'call:media'>(e: E, ...a: Parameters<AgentServerEvents[E]>) => d.agentNsp.to(target).emit(e, ...a) : <E extends 'call:signal' | 'call:media'>(e: E, ...a: Parameters<VisitorServerEvents[E]>) => d.visitorNsp.to(target).emit(e, ...a);
        if (o.op === 'signal') emit('call:signal', { callId: o.callId, data: o.data });
        else emit('call:media', { callId: o.callId, audio: o.audio, video: o.video, ...(o.screen === undefined ? {} : { screen: o.screen }) });
        return { ok: true };
      }
    }
  };

  /** Here if this process holds the call, else on the process that does. */
  const run = async (o: CallOp): Promise<OpResult> => {
    if (d.book.get(o.callId) || !d.cluster) return execute(o);
    return forwardCallOp(d.agentNsp, o, d.log);
  };
  const must = async (o: CallOp): Promise<Record<string, never>> => {
    const r = await run(o);
    if (!r.ok) throw new ClientError(r.code, r.message);
    return {};
  };
  /** Accept and rejoin: the visitor's tab gets its ICE configuration and resume token. */
  const join = async (o: CallOp & { op: 'accept' | 'rejoin' }): Promise<{ ice: IceConfig; resumeToken: string }> => {
    const r = await run(o);
    if (!r.ok) throw new ClientError(r.code, r.message);
    if (!r.ice) throw new Error('accept answered without an ICE configuration');
    return { ice: r.ice, resumeToken: r.resumeToken ?? '' };
  };

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

  /** Tells the CallBook here, and the one holding the call if it is elsewhere. */
  const everywhere = (siteId: string, visitorId: string, local: () => void, tell: () => void): void => {
    local();
    if (d.cluster && directory.has(siteId, visitorId)) tell();
  };

  /**
   * The visitor's last tab (here) closed while they have a call. A single-tab visitor who
   * navigates is gone for a moment, so a ringing call is missed only if no tab of theirs is back
   * after the resume grace.
   */
  const checkGoneLater = (siteId: string, visitorId: string): void => {
    const t = setTimeout(() => {
      if (!currentCall(siteId, visitorId)) return;
      visitorOnline(siteId, visitorId).then(
        (online) => online || everywhere(siteId, visitorId, () => d.book.visitorGone(siteId, visitorId), () => d.agentNsp.serverSideEmit('call:visitor-gone', { siteId, visitorId })),
        (err) => d.log('visitor presence check failed', err),
      );
    }, d.goneGraceMs);
    t.unref?.();
  };

  const onVisitorConnection = (socket: VisitorSocket): void => {
    const { siteId, visitorId, tabId } = socket.data;
    void socket.join(visitorRoom(siteId, visitorId));

    // A tab that comes back mid-call (its next page) is told to rejoin; a new tab of a visitor
    // being rung rings too. Either way the live row shows the call (the row may be new here).
    const current = currentCall(siteId, visitorId);
    if (current) {
      d.presence.setCall(siteId, visitorId, liveCallOf(current));
      if (current.tabId === tabId && current.acceptedAt !== null && current.media) socket.emit('call:ongoing', { ...current.invite, acceptedAt: current.acceptedAt, media: current.media });
      else if (current.acceptedAt === null) socket.emit('call:invite', current.invite);
    }
  };

  // A visitor's call handlers exist once they answer a call (most visitors are never called).
  d.visitorEvents.wireOnFirst('call:', (socket) => {
    const { siteId, visitorId, tabId } = socket.data;
    const party = (): VisitorParty => ({ siteId, visitorId, tabId, socketId: socket.id });
    const opts = { limiter: tokenBucket(30, 120), onError: (err: unknown) => d.log('visitor call event failed', err) };
    on(socket, 'call:accept', CallAcceptSchema, (p) => join({ op: 'accept', callId: p.callId, party: party(), media: p.media, problems: p.problems ?? [] }), opts);
    on(socket, 'call:rejoin', CallRejoinSchema, (p) => join({ op: 'rejoin', callId: p.callId, party: party(), resumeToken: p.resumeToken, media: p.media, problems: p.problems ?? [] }), opts);
    on(socket, 'call:decline', CallRefSchema, (p) => must({ op: 'decline', callId: p.callId, party: party() }), opts);
    on(socket, 'call:navigating', CallRefSchema, (p) => must({ op: 'navigating', callId: p.callId, party: party() }), opts);
    on(socket, 'call:answering', CallRefSchema, (p) => must({ op: 'answering', callId: p.callId, party: party() }), opts);
    wirePartyEvents(socket as unknown as PartySocket, () => ({ kind: 'visitor', ...party() }), must, opts);
  });

  d.visitorEvents.onDisconnect((socket, reason) => {
    const { siteId, visitorId } = socket.data;
    if (!currentCall(siteId, visitorId)) return;
    // "client namespace disconnect": the page closed its socket itself (pagehide), i.e. the
    // tab closed or left; anything else (network, server) may come back.
    const p = { socketId: socket.id, closedByPage: reason === 'client namespace disconnect' };
    everywhere(siteId, visitorId, () => d.book.visitorSocketClosed(p.socketId, p.closedByPage), () => d.agentNsp.serverSideEmit('call:visitor-closed', p));
    if (!d.visitorNsp.adapter.rooms.get(visitorRoom(siteId, visitorId))?.size) checkGoneLater(siteId, visitorId);
  });

  /** Whether the visitor has a tab connected to any process. */
  const visitorOnline = async (siteId: string, visitorId: string): Promise<boolean> => {
    if (d.visitorNsp.adapter.rooms.get(visitorRoom(siteId, visitorId))?.size) return true;
    if (!d.cluster) return false;
    return (await d.visitorNsp.in(visitorRoom(siteId, visitorId)).fetchSockets()).length > 0;
  };

  const onAgentConnection = (socket: AgentSocket): void => {
    const { userId, name } = socket.data;
    const limiter = tokenBucket(30, 120);
    const onError = (err: unknown) => d.log('agent call event failed', err);
    const opts = { limiter, onError };

    // Ringing someone is intrusive: a dashboard socket (or a script with an agent's session)
    // cannot flood a visitor with invitations by cancelling and calling again. Per socket, like
    // the other limits: each further socket needs the session and passes the same origin check.
    const startLimiter = tokenBucket(1, 10);
    on(socket, 'call:start', CallStartSchema, async (p) => {
        if (!startLimiter()) throw new ClientError('rate_limited', 'Too many calls in a row: wait a moment');
        const site = await d.sites.getForUser(userId, p.siteId);
        // Only the socket's workspace exists for it: another workspace's site is not_found.
        if (!site || site.workspaceId !== socket.data.workspaceId) throw new ClientError('not_found', 'no such site');
        const busy = () => {
          const held = elsewhere(p.siteId, p.visitorId);
          return new ClientError('busy', held ? `This visitor is in a call with ${held.invite.agent.name}` : 'This visitor is already being called');
        };
        if (!(await visitorOnline(p.siteId, p.visitorId))) throw new ClientError('not_found', 'This visitor is not on the site any more');
        // Across processes the visitor lock decides (the directory may be a moment behind, either
        // way); on one process the CallBook does.
        const lock = d.cluster ? { key: visitorLockKey(p.siteId, p.visitorId), value: randomUUID() } : null;
        if (lock && !(await d.cluster?.locks.claim(lock.key, lock.value, CALL_CLUSTER_TTL_MS))) throw busy();
        // Known before the call starts, so its first announcement carries it.
        if (lock) locks.set(lock.key, lock);
        const r = d.book.start({ siteId: p.siteId, visitorId: p.visitorId, video: p.video, company: site.name, agent: { userId, name, socketId: socket.id, avatar: socket.data.avatar ?? null } });
        if (!r.ok) {
          if (lock) locks.delete(lock.key);
          if (lock) await d.cluster?.locks.release(lock.key, lock.value);
          throw new ClientError(r.code, r.message);
        }
        const { call } = r;
        return { call: { callId: call.id, siteId: call.siteId, visitorId: call.visitorId, video: call.video, phase: call.phase, createdAt: call.createdAt, expiresAt: call.expiresAt } };
      }, opts);
    on(socket, 'call:cancel', CallRefSchema, (p) => must({ op: 'cancel', callId: p.callId, party: { userId, socketId: socket.id } }), opts);
    wirePartyEvents(socket as unknown as PartySocket, () => ({ kind: 'agent', userId, socketId: socket.id }), must, opts);
    // The agent's calls are always held by this process (they started them here).
    socket.on('disconnect', () => d.book.agentSocketClosed(socket.id));
  };

  return {
    onCallEvent,
    onVisitorConnection,
    onAgentConnection,
    close: () => {
      if (announcer) clearInterval(announcer);
    },
  };
}

/** The events both parties send in the same shape. */
type PartySocket = Socket<Pick<AgentClientEvents, 'call:signal' | 'call:connected' | 'call:media' | 'call:hangup'>>;

function wirePartyEvents(
  socket: PartySocket,
  me: () => Party,
  must: (o: CallOp) => Promise<Record<string, never>>,
  opts: HandlerOptions,
): void {
  on(socket, 'call:signal', CallSignalSchema, (p) => must({ op: 'signal', callId: p.callId, party: me(), data: p.data }), opts);
  on(socket, 'call:media', CallMediaStateSchema, (p) => must({ op: 'media', callId: p.callId, party: me(), audio: p.audio, video: p.video, ...(p.screen === undefined ? {} : { screen: p.screen }) }), opts);
  on(socket, 'call:connected', CallRefSchema, (p) => must({ op: 'connected', callId: p.callId, party: me() }), opts);
  on(socket, 'call:hangup', CallRefSchema, (p) => must({ op: 'hangup', callId: p.callId, party: me() }), opts);
}
