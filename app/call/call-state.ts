// The agent's call, as the call dock shows it. A pure reducer (no React, no socket, no media) so
// every transition is unit-tested; use-call.ts feeds it socket events and local actions.
//
//   idle -> starting (clicked, call:start sent) -> ringing (ack) -> connecting (call:accepted)
//        -> in-call (our peer connected) <-> away (visitor's page is changing) -> connecting (call:rejoined)
//   any of them -> ended (call:ended, our own hang-up/cancel, or call:start refused) -> idle (Close)
import type { AgentCall, CallEnd, CallEndReason, CallMedia, CallMediaState, ErrorCode, MediaProblem } from '../../server/protocol';
import { startErrorDetail, startErrorText } from './call-texts';

// The texts used to live here: pages and tests outside app/call still import them from this module.
export { OUTCOME_LABEL, endText, formatTimer, problemsText, remoteVideoText, startErrorText, statusText } from './call-texts';

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
          : { code: action.code, message: startErrorText(action.code), detail: startErrorDetail(action.code, action.message) },
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
