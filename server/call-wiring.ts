// Calls: the book of live calls, their stored records and the socket transport that carries
// them. The book and the transport need each other, so the book's events reach the transport
// through a closure that only runs once sockets connect.
import { randomUUID } from 'node:crypto';
import { CallBook } from './calls/call-book';
import { CallRecorder } from './calls/call-records';
import type { Clock } from './clock';
import type { CoreServices, ServerBasics } from './core-services';
import type { SocketServer } from './socket-server';
import { createCallTransport } from './transport/call-events';

export type CallTransport = ReturnType<typeof createCallTransport>;

export interface CallWiringDeps
  extends ServerBasics,
    Pick<CoreServices, 'presence' | 'sites' | 'bus'>,
    Pick<SocketServer, 'cluster' | 'visitorNsp' | 'visitorEvents' | 'agentNsp'> {
  /** The call timers' clock (the injected `now` in tests). */
  clock: Clock;
}

export interface CallWiring {
  callRecords: CallRecorder;
  calls: CallBook;
  callTransport: CallTransport;
}

export async function wireCalls(d: CallWiringDeps): Promise<CallWiring> {
  const { config, cluster, now, log } = d;
  const callRecords = new CallRecorder(d.db, log);
  // Alone, no other process can still be carrying a call the previous run left open.
  if (!config.redisUrl) {
    const closed = await callRecords.closeInterrupted(now());
    if (closed) log(`closed ${closed} call record(s) left open by the previous run`);
  }
  const calls: CallBook = new CallBook({
    ringTimeoutMs: config.calls.ringTimeoutMs,
    connectTimeoutMs: config.calls.connectTimeoutMs,
    resumeGraceMs: config.calls.resumeGraceMs,
    clock: d.clock,
    newId: randomUUID,
    // The transport is built next (it needs the book too); events only flow once sockets connect.
    onEvent: (e) => {
      try {
        callTransport.onCallEvent(e);
      } catch (err) {
        log('call event failed', err);
      }
    },
  });
  const callTransport = createCallTransport({
    book: calls,
    recorder: callRecords,
    presence: d.presence,
    sites: d.sites,
    ice: config.calls.ice,
    visitorNsp: d.visitorNsp,
    visitorEvents: d.visitorEvents,
    agentNsp: d.agentNsp,
    cluster: cluster.locks ? { locks: cluster.locks, processId: cluster.processId } : null,
    bus: d.bus,
    goneGraceMs: config.calls.resumeGraceMs,
    now,
    log,
  });
  return { callRecords, calls, callTransport };
}
