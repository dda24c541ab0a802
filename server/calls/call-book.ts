// The call state machine: every transition of a live call, and what happens when its timer runs out.
// Plain TypeScript (no socket.io): the transport tells it what sockets did and turns its events
// into messages. Who may act on a call is call-access.ts; the maps of live calls, call-registry.ts.
//
//   ringing --accept--> accepted --connected--> connected --hangup/left--> ended
//      |                   |  (connect timeout: failed)
//      +-- decline / cancel / ring timeout (missed) / visitor left --> ended
//
// One visitor, one call; one agent, one call.
import type { Clock } from '../clock';
import type { CallEndReason, CallMedia, CallOutcome, CallParty, MediaProblem } from '../protocol';
import { agentCall, partyCall, visitorCall } from './call-access';
import { CallRegistry } from './call-registry';
import { CallTimers } from './call-timers';
import { fail, ringingCall, type AgentParty, type Call, type CallEvent, type CallResult, type NewCall, type Party, type RelayResult, type VisitorParty } from './call-types';

export type { AgentParty, Call, CallEvent, CallResult, NewCall, Party, RelayResult, VisitorParty } from './call-types';

export type CallClock = Clock;

export interface CallBookOptions {
  ringTimeoutMs: number;
  connectTimeoutMs: number;
  resumeGraceMs: number;
  clock: CallClock;
  newId: () => string;
  onEvent: (e: CallEvent) => void;
}

export class CallBook {
  private readonly calls = new CallRegistry();
  private readonly timers: CallTimers;

  constructor(private readonly o: CallBookOptions) {
    this.timers = new CallTimers(o.clock);
  }

  start(p: NewCall): CallResult {
    const busy = this.calls.ofVisitor(p.siteId, p.visitorId);
    if (busy) return fail('busy', busy.agent.userId === p.agent.userId ? 'You are already calling this visitor' : `This visitor is in a call with ${busy.agent.name}`);
    if (this.calls.agentBusy(p.agent.userId)) return fail('busy', 'You are already in a call');
    const now = this.o.clock.now();
    const call = ringingCall(this.o.newId(), p, now, now + this.o.ringTimeoutMs);
    this.calls.add(call);
    this.timers.set(call.id, this.o.ringTimeoutMs, () => this.finish(call, 'missed', 'no_answer', 'system'));
    this.o.onEvent({ type: 'invited', call });
    return { ok: true, call };
  }

  cancel(callId: string, by: AgentParty): CallResult {
    const call = agentCall(this.calls.get(callId), by);
    if (!call.ok) return call;
    if (call.call.phase !== 'ringing') return fail('invalid_state', 'The call was answered: hang up instead');
    this.finish(call.call, 'cancelled', 'cancelled', 'agent');
    return call;
  }

  decline(callId: string, by: VisitorParty): CallResult {
    const r = visitorCall(this.calls.get(callId), by, 'any-tab');
    if (!r.ok) return r;
    // From the tab in the call (its accept and its decline crossed, or its page lost track):
    // ending it is what the visitor wants.
    if (r.call.phase !== 'ringing') return this.hangup(callId, { kind: 'visitor', ...by });
    this.finish(r.call, 'declined', 'declined', 'visitor');
    return r;
  }

  /**
   * The visitor clicked accept and their browser is asking for camera and microphone: a
   * permission prompt can take longer than the ring timeout has left, so it gets the connect
   * timeout from now. Any tab of the visitor may say so; the accept still decides.
   */
  answering(callId: string, by: VisitorParty): CallResult {
    const r = visitorCall(this.calls.get(callId), by, 'any-tab');
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'ringing') return fail('invalid_state', 'The call was already answered');
    // Once per call: repeating it must not keep a call ringing forever.
    if (call.answering) return r;
    call.answering = true;
    const until = Math.max(call.expiresAt, this.o.clock.now() + this.o.connectTimeoutMs);
    call.expiresAt = until;
    this.timers.set(call.id, until - this.o.clock.now(), () => this.finish(call, 'missed', 'no_answer', 'system'));
    this.o.onEvent({ type: 'answering', call });
    return r;
  }

  accept(callId: string, by: VisitorParty, media: CallMedia, problems: MediaProblem[]): CallResult {
    const r = visitorCall(this.calls.get(callId), by, 'any-tab');
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'ringing') return fail('invalid_state', 'The call was already answered');
    if (!media.audio && !media.video) {
      // Accepted, but the browser gave neither camera nor microphone: nothing to call with.
      this.finish(call, 'failed', 'media_unavailable', 'visitor');
      return fail('gone', 'No camera or microphone could be used');
    }
    call.phase = 'accepted';
    call.acceptedAt = this.o.clock.now();
    call.visitor = { tabId: by.tabId, socketId: by.socketId, media, problems };
    call.resumeToken = this.o.newId();
    this.timers.set(call.id, this.o.connectTimeoutMs, () => this.finish(call, 'failed', 'connect_failed', 'system'));
    this.o.onEvent({ type: 'accepted', call });
    return { ok: true, call };
  }

  /** A party's peer connection is up. The first report moves accepted -> connected. */
  connected(callId: string, by: Party): CallResult {
    const r = partyCall(this.calls.get(callId), by);
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'accepted' && call.phase !== 'connected') return fail('invalid_state', 'The call is not answered');
    // A late report from the peers of the visitor's previous page: the resume grace keeps running.
    if (call.away) return r;
    this.timers.clear(call.id);
    if (call.phase === 'accepted') {
      call.phase = 'connected';
      call.connectedAt = this.o.clock.now();
      this.o.onEvent({ type: 'connected', call });
    }
    return { ok: true, call };
  }

  /** Who receives a signal (or a media notice) from this party: only the call's other party. */
  relay(callId: string, from: Party): RelayResult {
    const r = partyCall(this.calls.get(callId), from);
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'accepted' && call.phase !== 'connected') return fail('invalid_state', 'The call is not answered');
    if (call.away || !call.visitor) return fail('invalid_state', 'The visitor is reconnecting');
    return from.kind === 'agent'
      ? { ok: true, call, to: { kind: 'visitor', socketId: call.visitor.socketId } }
      : { ok: true, call, to: { kind: 'agent', socketId: call.agent.socketId } };
  }

  /**
   * Either party ends the call. The visitor's tab may do so from whichever socket it has now
   * (a hang-up sent while its connection was being re-established arrives on the new one).
   */
  hangup(callId: string, by: Party): CallResult {
    const r = by.kind === 'agent' ? agentCall(this.calls.get(callId), by) : visitorCall(this.calls.get(callId), by, 'bound-tab');
    if (!r.ok) return r;
    const { call } = r;
    // Only the agent can be in a ringing call (a visitor who has not accepted declines).
    if (call.phase === 'ringing') this.finish(call, 'cancelled', 'cancelled', 'agent');
    else this.finish(call, 'answered', 'hangup', by.kind);
    return r;
  }

  /** The visitor's page is about to navigate within the site: its disconnect will mean "wait". */
  navigating(callId: string, by: VisitorParty): CallResult {
    const r = partyCall(this.calls.get(callId), { kind: 'visitor', ...by });
    if (!r.ok) return r;
    r.call.navigating = true;
    return r;
  }

  /** The same tab, on its next page, takes the call over. */
  rejoin(callId: string, by: VisitorParty, resumeToken: string, media: CallMedia, problems: MediaProblem[]): CallResult {
    const r = visitorCall(this.calls.get(callId), by, 'bound-tab');
    if (!r.ok) return r;
    const { call } = r;
    if (call.resumeToken !== resumeToken) return fail('forbidden', 'Not your call');
    if (!media.audio && !media.video) {
      this.finish(call, 'answered', 'media_unavailable', 'visitor');
      return fail('gone', 'No camera or microphone could be used');
    }
    call.visitor = { tabId: by.tabId, socketId: by.socketId, media, problems };
    call.away = false;
    call.navigating = false;
    // The new peers have to connect again: the connect timeout guards that too.
    this.timers.set(call.id, this.o.connectTimeoutMs, () => this.finish(call, call.connectedAt ? 'answered' : 'failed', 'connect_failed', 'system'));
    this.o.onEvent({ type: 'rejoined', call });
    return { ok: true, call };
  }

  /** A visitor socket closed. `closedByPage` means the page itself closed it (tab closed, left the site). */
  visitorSocketClosed(socketId: string, closedByPage: boolean): void {
    for (const call of this.calls.values()) {
      if (call.visitor?.socketId !== socketId) continue;
      if (closedByPage && !call.navigating) {
        this.finish(call, 'answered', 'left', 'visitor');
        continue;
      }
      call.away = true;
      this.timers.set(call.id, this.o.resumeGraceMs, () => this.finish(call, 'answered', 'left', 'visitor'));
      this.o.onEvent({ type: 'away', call });
    }
  }

  /** The visitor has had no tab open for a while (the transport waits out navigations): a call still ringing for them is missed. */
  visitorGone(siteId: string, visitorId: string): void {
    const call = this.calls.ofVisitor(siteId, visitorId);
    if (call?.phase === 'ringing') this.finish(call, 'missed', 'left', 'visitor');
  }

  /** The agent's dashboard socket closed: their call ends (there is nobody to talk to). */
  agentSocketClosed(socketId: string): void {
    for (const call of this.calls.values()) {
      if (call.agent.socketId !== socketId) continue;
      if (call.phase === 'ringing') this.finish(call, 'cancelled', 'left', 'agent');
      else this.finish(call, 'answered', 'left', 'agent');
    }
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  /** The live call this visitor is in or being rung for. */
  ofVisitor(siteId: string, visitorId: string): Call | undefined {
    return this.calls.ofVisitor(siteId, visitorId);
  }

  /** The answered call a reconnecting tab belongs to (to tell its new page to rejoin). */
  ofTab(siteId: string, visitorId: string, tabId: string): Call | undefined {
    const call = this.ofVisitor(siteId, visitorId);
    return call?.visitor?.tabId === tabId ? call : undefined;
  }

  live(): Call[] {
    return [...this.calls.values()];
  }

  /** Stop every timer (server shutdown); live calls end as failed. */
  close(): void {
    for (const call of [...this.calls.values()]) this.finish(call, call.acceptedAt ? 'answered' : 'failed', 'interrupted', 'system');
  }

  private finish(call: Call, outcome: CallOutcome, reason: CallEndReason, by: CallParty): void {
    if (call.phase === 'ended') return;
    this.timers.clear(call.id);
    const now = this.o.clock.now();
    call.phase = 'ended';
    call.endedAt = now;
    call.end = { callId: call.id, outcome, reason, by, durationMs: call.acceptedAt === null ? null : now - call.acceptedAt };
    this.calls.remove(call);
    this.o.onEvent({ type: 'ended', call, end: call.end });
  }
}
