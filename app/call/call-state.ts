// The agent's call, as the call dock shows it. A pure reducer (no React, no socket, no media) so
// every transition is unit-tested; use-call.ts feeds it socket events and local actions.
//
//   idle -> starting (clicked, call:start sent) -> ringing (ack) -> connecting (call:accepted)
//        -> in-call (our peer connected) <-> away (visitor's page is changing) -> connecting (call:rejoined)
//   any of them -> ended (call:ended, our own hang-up/cancel, or call:start refused) -> idle (Close)
import type { AgentCall, CallEnd, CallEndReason, CallMedia, CallMediaState, CallOutcome, ErrorCode, MediaProblem } from '../../server/protocol';

export type CallPhaseUi = 'idle' | 'starting' | 'ringing' | 'connecting' | 'in-call' | 'away' | 'ended';

export interface CallTarget {
  siteId: string;
  visitorId: string;
  /** How the dock names the visitor ("Alice Ng", "Visitor 3f9a2c"). */
  label: string;
  video: boolean;
}

export interface LocalMediaState {
  /** Microphone on (false: muted). */
  audio: boolean;
  /** Camera on (false: camera off). */
  video: boolean;
  /** Sharing the screen instead of the camera. */
  screen: boolean;
}

export interface CallState {
  phase: CallPhaseUi;
  /** Increments with every new call attempt: async work of an older attempt checks it. */
  attempt: number;
  target: CallTarget | null;
  callId: string | null;
  /** Client clock. */
  clickedAt: number | null;
  /** When the invitation stops ringing, in client time. */
  expiresAt: number | null;
  /** The visitor clicked accept and their browser is asking them for camera/microphone. */
  answering: boolean;
  /** When the visitor accepted (client clock): the call timer runs from here. */
  acceptedAt: number | null;
  endedAt: number | null;
  /** What the visitor sends: from call:accepted / call:rejoined, then call:media. */
  remote: CallMediaState | null;
  /** What the visitor joined with (accepting audio only is a choice, not a camera turned off). */
  joined: CallMedia | null;
  /** Why the visitor sends less than asked for. */
  problems: MediaProblem[];
  local: LocalMediaState;
  /** Something about our own camera/microphone the agent should know ("Your camera is unavailable"). */
  localNotice: string | null;
  end: CallEnd | null;
  /** call:start was refused (busy, not_found, ...). */
  error: { code: ErrorCode; message: string; detail: string | null } | null;
}

export type CallAction =
  | { type: 'start'; target: CallTarget; at: number }
  | { type: 'started'; call: AgentCall; at: number; clockOffset?: number }
  | { type: 'start-failed'; code: ErrorCode; message?: string; at: number }
  /** The visitor clicked accept; the server gave them more time (a permission prompt may be open). */
  | { type: 'answering'; callId: string; expiresAt: number }
  | { type: 'accepted'; callId: string; media: CallMedia; problems: MediaProblem[]; at: number }
  | { type: 'peer-connected'; callId: string }
  | { type: 'away'; callId: string }
  | { type: 'rejoined'; callId: string; media: CallMedia; problems: MediaProblem[] }
  | ({ type: 'remote-media'; callId: string } & CallMediaState)
  | ({ type: 'local-media' } & Partial<LocalMediaState>)
  | { type: 'local-notice'; message: string | null }
  | { type: 'ended'; end: CallEnd; at: number }
  /** Our own hang-up or cancel: the dock ends at once; the server's call:ended then refines it. */
  | { type: 'hung-up'; by: 'agent'; at: number; reason?: CallEndReason }
  | { type: 'close' };

export const initialCallState: CallState = Object.freeze({
  phase: 'idle',
  attempt: 0,
  target: null,
  callId: null,
  clickedAt: null,
  expiresAt: null,
  answering: false,
  acceptedAt: null,
  endedAt: null,
  remote: null,
  joined: null,
  problems: [],
  local: { audio: true, video: true, screen: false },
  localNotice: null,
  end: null,
  error: null,
}) as CallState;

/** A call is going on (or being set up): another one cannot start. */
export function isBusy(s: Pick<CallState, 'phase'>): boolean {
  return s.phase !== 'idle' && s.phase !== 'ended';
}

const LIVE: readonly CallPhaseUi[] = ['connecting', 'in-call', 'away'];

export function callReducer(state: CallState, action: CallAction): CallState {
  switch (action.type) {
    case 'start': {
      if (isBusy(state)) return state;
      return {
        ...initialCallState,
        phase: 'starting',
        attempt: state.attempt + 1,
        target: action.target,
        clickedAt: action.at,
        local: { audio: true, video: action.target.video, screen: false },
      };
    }
    case 'started': {
      if (state.phase !== 'starting') return state;
      const c = action.call;
      const offset = action.clockOffset ?? 0;
      return { ...state, phase: 'ringing', callId: c.callId, expiresAt: c.expiresAt - offset };
    }
    case 'start-failed': {
      if (state.phase !== 'starting') return state;
      // 'busy' is about the visitor, unless the server says it is about us (a call in another tab).
      const aboutUs = action.code === 'busy' && /^you\b/i.test(action.message?.trim() ?? '');
      return {
        ...state,
        phase: 'ended',
        endedAt: action.at,
        error: aboutUs
          ? { code: action.code, message: action.message!.trim(), detail: null }
          : { code: action.code, message: startErrorText(action.code), detail: detailOf(action.code, action.message) },
      };
    }
    case 'answering': {
      if (action.callId !== state.callId || state.phase !== 'ringing') return state;
      return { ...state, answering: true, expiresAt: action.expiresAt };
    }
    case 'accepted': {
      if (action.callId !== state.callId || state.phase !== 'ringing') return state;
      return {
        ...state,
        phase: 'connecting',
        acceptedAt: state.acceptedAt ?? action.at,
        remote: { audio: action.media.audio, video: action.media.video, screen: false },
        joined: { ...action.media },
        problems: [...action.problems],
      };
    }
    case 'peer-connected': {
      if (action.callId !== state.callId || (state.phase !== 'connecting' && state.phase !== 'away')) return state;
      return { ...state, phase: 'in-call' };
    }
    case 'away': {
      if (action.callId !== state.callId || !LIVE.includes(state.phase)) return state;
      return { ...state, phase: 'away' };
    }
    case 'rejoined': {
      if (action.callId !== state.callId || !LIVE.includes(state.phase)) return state;
      return {
        ...state,
        phase: 'connecting',
        remote: { audio: action.media.audio, video: action.media.video, screen: false },
        joined: { ...action.media },
        problems: [...action.problems],
      };
    }
    case 'remote-media': {
      if (action.callId !== state.callId || !LIVE.includes(state.phase)) return state;
      return { ...state, remote: { audio: action.audio, video: action.video, screen: action.screen ?? false } };
    }
    case 'local-media': {
      if (!isBusy(state)) return state;
      const { type: _t, ...patch } = action;
      return { ...state, local: { ...state.local, ...patch } };
    }
    case 'local-notice':
      if (state.phase === 'idle') return state;
      return { ...state, localNotice: action.message };
    case 'ended': {
      const e = action.end;
      if (e.callId !== state.callId) return state;
      // The server's word on a call we already ended ourselves: keep our end time, take its figures.
      if (state.phase === 'ended') return state.end ? { ...state, end: e } : state;
      return { ...state, phase: 'ended', end: e, endedAt: action.at };
    }
    case 'hung-up': {
      if (!isBusy(state)) return state;
      const answered = state.acceptedAt !== null;
      const end: CallEnd = {
        callId: state.callId ?? '',
        outcome: answered ? 'answered' : 'cancelled',
        reason: action.reason ?? (answered ? 'hangup' : 'cancelled'),
        by: action.by,
        durationMs: answered ? Math.max(0, action.at - (state.acceptedAt ?? action.at)) : null,
      };
      return { ...state, phase: 'ended', end, endedAt: action.at };
    }
    case 'close':
      if (isBusy(state)) return state;
      return { ...initialCallState, attempt: state.attempt };
  }
}

// ---- texts ---------------------------------------------------------------------------------

export function startErrorText(code: ErrorCode): string {
  switch (code) {
    case 'busy':
      return 'This visitor is already in a call';
    case 'not_found':
      return 'This visitor has left';
    case 'forbidden':
      return 'You cannot call visitors of this site';
    case 'unauthorized':
      return 'Your session has expired: log in again to call';
    case 'rate_limited':
      return 'Too many calls just now: try again in a moment';
    case 'bad_request':
      return 'This call could not be started';
    default:
      return 'The call could not be started: try again';
  }
}

/** The server's own message when it says more than our text (e.g. "in a call with Ana"). */
function detailOf(code: ErrorCode, message: string | undefined): string | null {
  const m = message?.trim();
  if (!m || code === 'internal') return null;
  return m.replace(/\.$/, '').toLowerCase() === startErrorText(code).toLowerCase() ? null : m;
}

/** "02:31" (or "1:02:31" past an hour). */
export function formatTimer(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Why the call ended, in the dock: "No answer", "Declined", "Call ended 02:31", "Visitor left"... */
export function endText(e: CallEnd): string {
  switch (e.reason) {
    case 'no_answer':
      return 'No answer';
    case 'declined':
      return 'Declined';
    case 'cancelled':
      return 'Cancelled';
    case 'answered_elsewhere':
      return 'Answered in another tab';
    case 'media_unavailable':
      return 'The visitor could use neither camera nor microphone';
    case 'connect_failed':
      return 'Could not connect to the visitor';
    case 'interrupted':
      return 'The call was interrupted';
    case 'left':
      if (e.by === 'agent') return e.outcome === 'cancelled' ? 'Cancelled: you left' : `You left the call${duration(e)}`;
      return e.outcome === 'answered' ? `Visitor left${duration(e)}` : 'Visitor left';
    case 'hangup':
      if (e.by === 'visitor') return `Visitor hung up${duration(e)}`;
      return `Call ended${e.durationMs !== null ? ` ${formatTimer(e.durationMs)}` : ''}`;
  }
}

function duration(e: CallEnd): string {
  return e.durationMs !== null ? ` · ${formatTimer(e.durationMs)}` : '';
}

export const OUTCOME_LABEL: Record<CallOutcome | 'ongoing', string> = {
  answered: 'Answered',
  declined: 'Declined',
  missed: 'Missed',
  cancelled: 'Cancelled',
  failed: 'Failed',
  ongoing: 'Ongoing',
};

/** What the visitor could not share: "Visitor's camera is blocked: audio only". */
export function problemsText(problems: readonly MediaProblem[], remote: CallMedia | null): string | null {
  const camera = problems.includes('camera_denied') ? 'blocked' : problems.includes('camera_missing') ? 'not available' : null;
  const mic = problems.includes('microphone_denied') ? 'blocked' : problems.includes('microphone_missing') ? 'not available' : null;
  if (camera && mic) return `Visitor's camera and microphone are ${camera === mic ? camera : 'unavailable'}`;
  if (camera) return `Visitor's camera is ${camera}: ${remote?.audio === false ? 'no video' : 'audio only'}`;
  if (mic) return `Visitor's microphone is ${mic}: ${remote?.video === false ? 'no audio' : 'video only'}`;
  return null;
}

/** What the big video area says when there is no picture of the visitor. */
export function remoteVideoText(s: Pick<CallState, 'phase' | 'remote' | 'joined' | 'problems'>): string {
  if (s.phase === 'away') return 'Reconnecting… the visitor is changing page';
  if (s.phase === 'connecting') return 'Connecting…';
  if (s.remote && !s.remote.video) {
    if (!s.remote.audio && s.joined?.audio !== false) return 'Visitor’s camera and microphone are off';
    if (s.joined?.video === false || s.problems.some((p) => p.startsWith('camera'))) return 'Audio only';
    return 'Visitor’s camera is off';
  }
  return 'Waiting for video…';
}

/** The visitor answered a video call without sending video (their choice, or no camera allowed). */
function visitorOnAudio(s: CallState): boolean {
  return s.joined?.video === false || s.problems.some((p) => p.startsWith('camera'));
}

/** The dock's one-line status for each phase (the visitor's name is shown above it). */
export function statusText(s: CallState): string {
  switch (s.phase) {
    case 'idle':
      return '';
    case 'starting':
      return 'Calling…';
    case 'ringing':
      if (s.answering) return 'Answering… (allowing camera and microphone)';
      return s.target?.video === false ? 'Ringing · audio call' : 'Ringing · video call';
    case 'connecting':
      return 'Connecting…';
    case 'in-call':
      // What the call is now, not what the agent asked for: a visitor who answered without a
      // camera (by choice, or none was allowed) makes it a call with audio from their side.
      if (s.target?.video === false) return 'In an audio call';
      return visitorOnAudio(s) ? 'In a call · the visitor is on audio only' : 'In a video call';
    case 'away':
      return 'Reconnecting… the visitor is changing page';
    case 'ended':
      return s.error ? 'Call not started' : 'Call ended';
  }
}
