// Every sentence the visitor reads in the call UI, in one place. Plain strings: the view sets
// them with textContent, and the names in them come from the server (agent, company).
import type { CallEnd, CallMedia, CallMediaState, MediaProblem } from '../../../server/protocol';
import { formatDuration } from './time';

export const inviteLine = (video: boolean): string => `wants to talk to you on ${video ? 'a video' : 'an audio'} call`;

/**
 * What the visitor is told when a call ends; null means the invitation just goes away
 * (this visitor declined it, or took it in another tab).
 * `elapsedMs` is the local timer, used when the server did not send a duration.
 */
export function endMessage(end: Pick<CallEnd, 'reason' | 'by' | 'durationMs'>, agent: string, elapsedMs: number | null): string | null {
  const ms = end.durationMs ?? elapsedMs;
  const took = ms == null ? '' : ` · ${formatDuration(ms)}`;
  switch (end.reason) {
    case 'answered_elsewhere':
    case 'declined':
      return null;
    case 'no_answer':
      return `Missed call from ${agent}`;
    case 'cancelled':
      return `${agent} cancelled the call`;
    case 'connect_failed':
      return 'The call could not connect';
    case 'media_unavailable':
      return 'The call ended: your camera and microphone could not be used';
    case 'left':
      return end.by === 'agent' ? `${agent} left the call${took}` : `Call ended${took}`;
    default:
      return end.by === 'agent' ? `${agent} ended the call${took}` : `Call ended${took}`;
  }
}

/** Why the visitor sends less than they chose (empty when they send what they asked for). */
export function mediaMessage(want: CallMedia, got: CallMedia, problems: readonly MediaProblem[], agent: string): string {
  const denied = (kind: 'camera' | 'microphone'): boolean => problems.includes(`${kind}_denied`);
  if (!got.audio && !got.video) {
    if (!want.video) return denied('microphone') ? 'Your microphone is blocked, so the call cannot start' : 'No microphone is available, so the call cannot start';
    return denied('camera') || denied('microphone')
      ? 'Your camera and microphone are blocked, so the call cannot start'
      : 'No camera or microphone is available, so the call cannot start';
  }
  if (want.video && !got.video) return denied('camera') ? 'Your camera is blocked, so this call is audio only' : 'No camera is available, so this call is audio only';
  if (want.audio && !got.audio)
    return denied('microphone') ? `Your microphone is blocked: ${agent} can see you but not hear you` : `No microphone is available: ${agent} can see you but not hear you`;
  return '';
}

/** What the agent is sending, when it is less than everything ("Ana muted"). */
export function remoteNote(agent: string, state: CallMediaState | null): string {
  if (!state) return '';
  if (state.screen) return `${agent} is sharing their screen${state.audio ? '' : ` · ${agent} muted`}`;
  const notes: string[] = [];
  if (!state.audio) notes.push(`${agent} muted`);
  if (!state.video) notes.push(`${agent}'s camera is off`);
  return notes.join(' · ');
}

/** An accept or rejoin the server refused. */
export const refusedMessage = (code: string): string => (code === 'gone' ? 'This call has already ended' : 'The call could not start');
