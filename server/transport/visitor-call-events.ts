// The visitor's side of calls: a tab that connects is shown the call its visitor has, a tab that
// answers gets its call:* handlers, and a tab that closes may leave the call or miss it.
import type { VisitorParty } from '../calls/call-book';
import type { PresenceEngine } from '../presence/engine';
import { wirePartyEvents, type CallAcks, type PartySocket } from './call-acks';
import type { CallCluster } from './call-cluster';
import { liveCallOf } from './call-views';
import { on, tokenBucket } from './handler';
import type { VisitorNamespace, VisitorSocket } from './io';
import { CallAcceptSchema, CallRefSchema, CallRejoinSchema } from './schemas';
import type { VisitorEvents } from './visitor-namespace';
import { tabsHere, visitorOnline, visitorRoom } from './visitor-room';

export interface VisitorCallDeps {
  presence: PresenceEngine;
  visitorNsp: VisitorNamespace;
  visitorEvents: VisitorEvents;
  calls: Pick<CallCluster, 'currentCall' | 'visitorSocketClosed' | 'visitorGone'>;
  acks: CallAcks;
  clustered: boolean;
  /** How long a ringing call waits for a visitor whose last tab closed (a navigation) before it counts as missed. */
  goneGraceMs: number;
  log: (msg: string, err?: unknown) => void;
}

/** Wires the visitor sockets' shared call handlers; returns what a newly connected visitor socket needs. */
export function wireVisitorCalls(d: VisitorCallDeps): (socket: VisitorSocket) => void {
  const { must, join } = d.acks;

  /**
   * The visitor's last tab (here) closed while they have a call. A single-tab visitor who
   * navigates is gone for a moment, so a ringing call is missed only if no tab of theirs is back
   * after the resume grace.
   */
  const checkGoneLater = (siteId: string, visitorId: string): void => {
    const t = setTimeout(() => {
      if (!d.calls.currentCall(siteId, visitorId)) return;
      visitorOnline(d.visitorNsp, d.clustered, siteId, visitorId).then(
        (online) => online || d.calls.visitorGone(siteId, visitorId),
        (err) => d.log('visitor presence check failed', err),
      );
    }, d.goneGraceMs);
    t.unref?.();
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
    if (!d.calls.currentCall(siteId, visitorId)) return;
    // "client namespace disconnect": the page closed its socket itself (pagehide), i.e. the
    // tab closed or left; anything else (network, server) may come back.
    d.calls.visitorSocketClosed(siteId, visitorId, { socketId: socket.id, closedByPage: reason === 'client namespace disconnect' });
    if (!tabsHere(d.visitorNsp, siteId, visitorId)) checkGoneLater(siteId, visitorId);
  });

  return (socket) => {
    const { siteId, visitorId, tabId } = socket.data;
    void socket.join(visitorRoom(siteId, visitorId));

    // A tab that comes back mid-call (its next page) is told to rejoin; a new tab of a visitor
    // being rung rings too. Either way the live row shows the call (the row may be new here).
    const current = d.calls.currentCall(siteId, visitorId);
    if (current) {
      d.presence.setCall(siteId, visitorId, liveCallOf(current));
      if (current.tabId === tabId && current.acceptedAt !== null && current.media) socket.emit('call:ongoing', { ...current.invite, acceptedAt: current.acceptedAt, media: current.media });
      else if (current.acceptedAt === null) socket.emit('call:invite', current.invite);
    }
  };
}
