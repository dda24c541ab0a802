// Wires calls to socket.io: the call:* events of both namespaces go through zod and the
// CallBook, and the CallBook's events become messages to the two parties of a call only.
// Signals are relayed as the exact string that came in, to one socket id the CallBook chose.
// Messages reach sockets on any process through the Redis adapter; what else several processes
// need is call-cluster.ts.
//
// The pieces: agent-call-events.ts and visitor-call-events.ts (each side's handlers),
// call-op-executor.ts (operations on calls held here), call-book-events.ts (the CallBook's events
// as messages), call-cluster.ts (calls held elsewhere, visitor locks).
import type { CallBook, CallEvent } from '../calls/call-book';
import type { CallRecorder } from '../calls/call-records';
import type { IceOptions } from '../calls/ice';
import type { ClusterLocks } from '../cluster/cluster';
import type { EventBus } from '../events/bus';
import type { PresenceEngine } from '../presence/engine';
import type { SiteStore } from '../sites/site-store';
import { createAgentCallHandlers } from './agent-call-events';
import { createCallAcks } from './call-acks';
import { createCallEventHandler } from './call-book-events';
import { createCallCluster } from './call-cluster';
import { createCallOpExecutor } from './call-op-executor';
import type { AgentNamespace, AgentSocket, VisitorNamespace, VisitorSocket } from './io';
import type { VisitorEvents } from './visitor-namespace';
import { wireVisitorCalls } from './visitor-call-events';

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

export function createCallTransport(d: CallTransportDeps): {
  onCallEvent: (e: CallEvent) => void;
  onVisitorConnection: (socket: VisitorSocket) => void;
  onAgentConnection: (socket: AgentSocket) => void;
  close: () => void;
} {
  const clustered = d.cluster !== null;
  const calls = createCallCluster(d, createCallOpExecutor(d));
  const acks = createCallAcks(calls.run);
  const onCallEvent = createCallEventHandler({ ...d, calls });
  const onVisitorConnection = wireVisitorCalls({ ...d, calls, acks, clustered });
  const onAgentConnection = createAgentCallHandlers({ ...d, calls, acks, clustered });
  return { onCallEvent, onVisitorConnection, onAgentConnection, close: calls.close };
}
