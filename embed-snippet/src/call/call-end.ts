// The end of a call on this page, whoever ended it: everything released, the reason on screen
// for a while, then the card removed.
import { clearTimers, elapsed, type Call } from './call-state';
import { stopTracks } from './media';
import { guard } from './safe';
import { formatDuration } from './time';

/** How long the card stays after a call ended (or until the visitor closes it); longer for a media problem, which asks the visitor to act. */
export const ENDED_VISIBLE_MS = 4000;
export const PROBLEM_VISIBLE_MS = 8000;

/** Ends the call on this page: everything released; the reason stays on screen for a while (none: the card goes at once). */
export const finish = (c: Call, text: string | null): void => {
  if (c.phase === 'ended') return;
  const took = elapsed(c);
  c.phase = 'ended';
  c.peerGen++;
  clearInterval(c.tick);
  clearTimers(c);
  c.stopWatching?.();
  c.peer?.destroy();
  c.peer = null;
  stopTracks(c.stream);
  c.session.memory?.set(null);
  if (text === null) return dismiss(c);
  c.view.setState('ended');
  c.view.setTimer(formatDuration(took ?? 0));
  c.view.setMessage(text);
  setTimeout(guard(() => dismiss(c)), text === c.problemText ? PROBLEM_VISIBLE_MS : ENDED_VISIBLE_MS);
};

export const dismiss = (c: Call): void => {
  if (c.phase !== 'ended') finish(c, null);
  c.view.remove();
  if (c.session.call === c) c.session.call = null;
};
