// Every sentence the visitor reads in the call UI, in the visitor's language: the tables are
// src/texts/<lang>.ts (one per language, the `call` half), this picks one and words the composed
// lines. Plain strings: the view sets them with textContent, and the names in them come from the
// server (agent, company).
import type { CallEnd, CallMedia, CallMediaState, MediaProblem } from '../../../server/protocol';
import type { WidgetLanguage } from '../../../server/protocol/widget';
import { call as de } from '../texts/de';
import { call as en } from '../texts/en';
import { call as es } from '../texts/es';
import { call as fr } from '../texts/fr';
import { call as pt } from '../texts/pt';
import { isLanguage, type CallTexts } from '../texts/types';
import { formatDuration } from './time';

/** One table per language (src/texts/<lang>.ts). */
export const CALL_TEXTS: Record<WidgetLanguage, CallTexts> = { en, es, de, fr, pt };

/** The texts in the visitor's language (from the site's look when a card opens); English until then. */
export let C: CallTexts = en;

export function setCallLanguage(lang: WidgetLanguage | undefined): void {
  C = CALL_TEXTS[isLanguage(lang) ? lang : 'en'];
}

export const inviteLine = (video: boolean): string => C.invite(video);

/** ' · 02:31', or '' without a duration. */
export const tookText = (ms: number | null | undefined): string => (ms == null ? '' : ` · ${formatDuration(ms)}`);

/**
 * What the visitor is told when a call ends; null means the invitation just goes away
 * (this visitor declined it, or took it in another tab).
 * `elapsedMs` is the local timer, used when the server did not send a duration.
 */
export function endMessage(end: Pick<CallEnd, 'reason' | 'by' | 'durationMs'>, agent: string, elapsedMs: number | null): string | null {
  const took = tookText(end.durationMs ?? elapsedMs);
  switch (end.reason) {
    case 'answered_elsewhere':
    case 'declined':
      return null;
    case 'no_answer':
      return C.missed(agent);
    case 'cancelled':
      return C.cancelled(agent);
    case 'connect_failed':
      return C.couldNotConnect;
    case 'media_unavailable':
      return C.mediaUnavailable;
    case 'left':
      return end.by === 'agent' ? C.agentLeft(agent, took) : C.ended(took);
    default:
      return end.by === 'agent' ? C.agentEnded(agent, took) : C.ended(took);
  }
}

/** Why the visitor sends less than they chose (empty when they send what they asked for). */
export function mediaMessage(want: CallMedia, got: CallMedia, problems: readonly MediaProblem[], agent: string): string {
  const denied = (kind: 'camera' | 'microphone'): boolean => problems.includes(`${kind}_denied`);
  if (!got.audio && !got.video) {
    if (!want.video) return denied('microphone') ? C.micBlockedNoCall : C.noMicNoCall;
    return denied('camera') || denied('microphone') ? C.blockedNoCall : C.noDevicesNoCall;
  }
  if (want.video && !got.video) return denied('camera') ? C.cameraBlockedAudioOnly : C.noCameraAudioOnly;
  if (want.audio && !got.audio) return denied('microphone') ? C.micBlockedSeen(agent) : C.noMicSeen(agent);
  return '';
}

/** What the agent is sending, when it is less than everything ("Ana muted"). */
export function remoteNote(agent: string, state: CallMediaState | null): string {
  if (!state) return '';
  if (state.screen) return C.remoteSharing(agent) + (state.audio ? '' : ` · ${C.remoteMuted(agent)}`);
  const notes: string[] = [];
  if (!state.audio) notes.push(C.remoteMuted(agent));
  if (!state.video) notes.push(C.remoteCameraOff(agent));
  return notes.join(' · ');
}

/** An accept or rejoin the server refused. */
export const refusedMessage = (code: string): string => (code === 'gone' ? C.alreadyEnded : C.couldNotStart);
