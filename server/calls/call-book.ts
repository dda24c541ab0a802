// The call state machine: every live call, its two parties, its timers. Plain TypeScript (no
// socket.io): the transport tells it what sockets did and turns its events into messages.
//
//   ringing --accept--> accepted --connected--> connected --hangup/left--> ended
//      |                   |  (connect timeout: failed)
//      +-- decline / cancel / ring timeout (missed) / visitor left --> ended
//
// Parties are identified by what the server itself knows about their sockets (user id, or site +
// visitor + tab from the handshake) plus the socket id, never by anything in a payload. Once a
// visitor tab accepts, only that tab (on whichever socket it has now, after a navigation) is the
// visitor party. One visitor, one call; one agent, one call.
import type { Clock } from '../clock';
import type { CallEnd, CallEndReason, CallMedia, CallOutcome, CallParty, CallPhase, ErrorCode, MediaProblem } from '../protocol';

export type CallClock = Clock;

export interface AgentParty {
  userId: string;
  socketId: string;
}
export interface VisitorParty {
  siteId: string;
  visitorId: string;
  tabId: string;
  socketId: string;
}
export type Party = ({ kind: 'agent' } & AgentParty) | ({ kind: 'visitor' } & VisitorParty);

export interface Call {
  id: string;
  siteId: string;
  visitorId: string;
  video: boolean;
  /** `avatar`: the agent's picture path (server/http/avatars.ts), shown on the visitor's call card. */
  agent: AgentParty & { name: string; avatar?: string | null };
  /** The name the visitor sees the call come from (the site's name). */
  company: string;
  phase: CallPhase;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  /** The tab that accepted, and the socket it is on now. */
  visitor: { tabId: string; socketId: string; media: CallMedia; problems: MediaProblem[] } | null;
  /** The visitor's page is navigating or reconnecting: waiting for call:rejoin. */
  away: boolean;
  /** The visitor said its page is about to navigate: a disconnect then means "wait", not "left". */
  navigating: boolean;
  /** The visitor clicked accept (a permission prompt may be open): the ring was extended once. */
  answering: boolean;
  /**
   * Handed to the accepting tab only: its next page must show it to take the call over, so
   * knowing a visitor's ids is not enough to hijack their call.
   */
  resumeToken: string | null;
  end: CallEnd | null;
}

export type CallEvent =
  | { type: 'invited'; call: Call }
  | { type: 'answering'; call: Call }
  | { type: 'accepted'; call: Call }
  | { type: 'connected'; call: Call }
  | { type: 'away'; call: Call }
  | { type: 'rejoined'; call: Call }
  | { type: 'ended'; call: Call; end: CallEnd };

export type CallResult = { ok: true; call: Call } | { ok: false; code: ErrorCode; message: string };
/** Where a party's signal (or media notice) goes: the other party's socket. */
export type RelayResult = { ok: true; call: Call; to: { kind: 'agent' | 'visitor'; socketId: string } } | { ok: false; code: ErrorCode; message: string };

export interface CallBookOptions {
  ringTimeoutMs: number;
  connectTimeoutMs: number;
  resumeGraceMs: number;
  clock: CallClock;
  newId: () => string;
  onEvent: (e: CallEvent) => void;
}

const fail = (code: ErrorCode, message: string) => ({ ok: false as const, code, message });
const visitorKey = (siteId: string, visitorId: string) => `${siteId}\n${visitorId}`;

export class CallBook {
  private readonly calls = new Map<string, Call>();
  private readonly timers = new Map<string, unknown>();
  private readonly byVisitor = new Map<string, string>();
  private readonly byAgent = new Map<string, string>();

  constructor(private readonly o: CallBookOptions) {}

  start(p: { siteId: string; visitorId: string; video: boolean; company: string; agent: AgentParty & { name: string; avatar?: string | null } }): CallResult {
    const busy = this.calls.get(this.byVisitor.get(visitorKey(p.siteId, p.visitorId)) ?? '');
    if (busy) return fail('busy', busy.agent.userId === p.agent.userId ? 'You are already calling this visitor' : `This visitor is in a call with ${busy.agent.name}`);
    if (this.byAgent.has(p.agent.userId)) return fail('busy', 'You are already in a call');
    const now = this.o.clock.now();
    const call: Call = {
      id: this.o.newId(),
      siteId: p.siteId,
      visitorId: p.visitorId,
      video: p.video,
      agent: { ...p.agent },
      company: p.company,
      phase: 'ringing',
      createdAt: now,
      expiresAt: now + this.o.ringTimeoutMs,
      acceptedAt: null,
      connectedAt: null,
      endedAt: null,
      visitor: null,
      away: false,
      navigating: false,
      answering: false,
      resumeToken: null,
      end: null,
    };
    this.calls.set(call.id, call);
    this.byVisitor.set(visitorKey(call.siteId, call.visitorId), call.id);
    this.byAgent.set(call.agent.userId, call.id);
    this.timer(call, this.o.ringTimeoutMs, () => this.finish(call, 'missed', 'no_answer', 'system'));
    this.o.onEvent({ type: 'invited', call });
    return { ok: true, call };
  }

  cancel(callId: string, by: AgentParty): CallResult {
    const call = this.agentCall(callId, by);
    if (!call.ok) return call;
    if (call.call.phase !== 'ringing') return fail('invalid_state', 'The call was answered: hang up instead');
    this.finish(call.call, 'cancelled', 'cancelled', 'agent');
    return call;
  }

  decline(callId: string, by: VisitorParty): CallResult {
    const r = this.visitorCall(callId, by, 'any-tab');
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
    const r = this.visitorCall(callId, by, 'any-tab');
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'ringing') return fail('invalid_state', 'The call was already answered');
    // Once per call: repeating it must not keep a call ringing forever.
    if (call.answering) return r;
    call.answering = true;
    const until = Math.max(call.expiresAt, this.o.clock.now() + this.o.connectTimeoutMs);
    call.expiresAt = until;
    this.timer(call, until - this.o.clock.now(), () => this.finish(call, 'missed', 'no_answer', 'system'));
    this.o.onEvent({ type: 'answering', call });
    return r;
  }

  accept(callId: string, by: VisitorParty, media: CallMedia, problems: MediaProblem[]): CallResult {
    const r = this.visitorCall(callId, by, 'any-tab');
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
    this.timer(call, this.o.connectTimeoutMs, () => this.finish(call, 'failed', 'connect_failed', 'system'));
    this.o.onEvent({ type: 'accepted', call });
    return { ok: true, call };
  }

  /** A party's peer connection is up. The first report moves accepted -> connected. */
  connected(callId: string, by: Party): CallResult {
    const r = this.party(callId, by);
    if (!r.ok) return r;
    const { call } = r;
    if (call.phase !== 'accepted' && call.phase !== 'connected') return fail('invalid_state', 'The call is not answered');
    // A late report from the peers of the visitor's previous page: the resume grace keeps running.
    if (call.away) return r;
    this.clearTimer(call);
    if (call.phase === 'accepted') {
      call.phase = 'connected';
      call.connectedAt = this.o.clock.now();
      this.o.onEvent({ type: 'connected', call });
    }
    return { ok: true, call };
  }

  /** Who receives a signal (or a media notice) from this party: only the call's other party. */
  relay(callId: string, from: Party): RelayResult {
    const r = this.party(callId, from);
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
    const r = by.kind === 'agent' ? this.agentCall(callId, by) : this.visitorCall(callId, by, 'bound-tab');
    if (!r.ok) return r;
    const { call } = r;
    // Only the agent can be in a ringing call (a visitor who has not accepted declines).
    if (call.phase === 'ringing') this.finish(call, 'cancelled', 'cancelled', 'agent');
    else this.finish(call, 'answered', 'hangup', by.kind);
    return r;
  }

  /** The visitor's page is about to navigate within the site: its disconnect will mean "wait". */
  navigating(callId: string, by: VisitorParty): CallResult {
    const r = this.party(callId, { kind: 'visitor', ...by });
    if (!r.ok) return r;
    r.call.navigating = true;
    return r;
  }

  /** The same tab, on its next page, takes the call over. */
  rejoin(callId: string, by: VisitorParty, resumeToken: string, media: CallMedia, problems: MediaProblem[]): CallResult {
    const r = this.visitorCall(callId, by, 'bound-tab');
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
    this.timer(call, this.o.connectTimeoutMs, () => this.finish(call, call.connectedAt ? 'answered' : 'failed', 'connect_failed', 'system'));
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
      this.timer(call, this.o.resumeGraceMs, () => this.finish(call, 'answered', 'left', 'visitor'));
      this.o.onEvent({ type: 'away', call });
    }
  }

  /** The visitor has had no tab open for a while (the transport waits out navigations): a call still ringing for them is missed. */
  visitorGone(siteId: string, visitorId: string): void {
    const call = this.calls.get(this.byVisitor.get(visitorKey(siteId, visitorId)) ?? '');
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
    return this.calls.get(this.byVisitor.get(visitorKey(siteId, visitorId)) ?? '');
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

  private party(callId: string, p: Party): CallResult {
    return p.kind === 'agent' ? this.agentCall(callId, p) : this.visitorCall(callId, p, 'bound-socket');
  }

  private agentCall(callId: string, p: AgentParty): CallResult {
    const call = this.calls.get(callId);
    if (!call) return fail('gone', 'The call has ended');
    if (call.agent.userId !== p.userId || call.agent.socketId !== p.socketId) return fail('forbidden', 'Not your call');
    return { ok: true, call };
  }

  /**
   * Whether this visitor tab may act on the call:
   * - 'any-tab': any tab of the visitor while it rings (accept, decline); after answer, only the tab in the call;
   * - 'bound-tab': the tab that accepted, on whichever socket (hang-up, rejoin);
   * - 'bound-socket': the tab that accepted, on the socket it is in the call with now (signals).
   */
  private visitorCall(callId: string, p: VisitorParty, mode: 'any-tab' | 'bound-tab' | 'bound-socket'): CallResult {
    const call = this.calls.get(callId);
    if (!call) return fail('gone', 'The call has ended');
    if (call.siteId !== p.siteId || call.visitorId !== p.visitorId) return fail('forbidden', 'Not your call');
    if (!call.visitor) return mode === 'any-tab' ? { ok: true, call } : fail('invalid_state', 'The call is not answered');
    if (call.visitor.tabId !== p.tabId) return fail(mode === 'any-tab' ? 'invalid_state' : 'forbidden', mode === 'any-tab' ? 'The call was answered in another tab' : 'Not your call');
    if (mode === 'bound-socket' && call.visitor.socketId !== p.socketId) return fail('forbidden', 'Not your call');
    return { ok: true, call };
  }

  private finish(call: Call, outcome: CallOutcome, reason: CallEndReason, by: CallParty): void {
    if (call.phase === 'ended') return;
    this.clearTimer(call);
    const now = this.o.clock.now();
    call.phase = 'ended';
    call.endedAt = now;
    call.end = { callId: call.id, outcome, reason, by, durationMs: call.acceptedAt === null ? null : now - call.acceptedAt };
    this.calls.delete(call.id);
    this.byVisitor.delete(visitorKey(call.siteId, call.visitorId));
    this.byAgent.delete(call.agent.userId);
    this.o.onEvent({ type: 'ended', call, end: call.end });
  }

  private timer(call: Call, ms: number, fn: () => void): void {
    this.clearTimer(call);
    this.timers.set(call.id, this.o.clock.setTimeout(fn, ms));
  }

  private clearTimer(call: Call): void {
    const t = this.timers.get(call.id);
    if (t !== undefined) this.o.clock.clearTimeout(t);
    this.timers.delete(call.id);
  }
}
