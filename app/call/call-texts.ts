// What the call dock and the call history say: start errors, why a call ended, the visitor's
// media problems, the dock's status line. Pure, like the reducer in call-state.ts.
import type { CallEnd, CallMedia, CallOutcome, ErrorCode, MediaProblem } from '../../server/protocol';
import type { CallState } from './call-state';

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
export function startErrorDetail(code: ErrorCode, message: string | undefined): string | null {
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
