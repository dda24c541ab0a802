// Sharing the agent's screen: its track replaces the camera's in the peer (no renegotiation),
// and the camera's comes back when sharing stops.
import type { Dispatch } from 'react';
import type { CallAction } from './call-state';
import type { Session } from './call-session';

export interface ScreenShareDeps {
  dispatch: Dispatch<CallAction>;
  /** What the local preview shows: the camera, or the shared screen. */
  showPreview(stream: MediaStream | null, isScreen: boolean): void;
  /** Tells the visitor what we send (call:media). */
  sendMedia(s: Session): void;
}

export async function stopScreenShare(s: Session, deps: ScreenShareDeps): Promise<void> {
  const screen = s.screen;
  if (!screen) return;
  s.screen = null;
  const cam = s.local?.getVideoTracks()[0];
  if (cam && s.peer) await s.peer.replaceVideoTrack(cam).catch(() => false);
  screen.stop();
  if (s.done) return;
  deps.showPreview(s.local, false);
  deps.dispatch({ type: 'local-media', screen: false });
  deps.sendMedia(s);
}

/** Asks the browser for a screen to share and sends it instead of the camera. */
export async function startScreenShare(s: Session, deps: ScreenShareDeps): Promise<void> {
  const md = navigator.mediaDevices;
  if (!md?.getDisplayMedia || !s.peer) return;
  let track: MediaStreamTrack | undefined;
  try {
    const display = await md.getDisplayMedia({ video: true, audio: false });
    track = display.getVideoTracks()[0];
  } catch {
    return; // the agent closed the picker
  }
  if (!track) return;
  const peer = s.peer;
  const ok = !s.done && peer ? await peer.replaceVideoTrack(track).catch(() => false) : false;
  if (!ok || s.done || s.screen) {
    track.stop();
    if (!ok && !s.done) deps.dispatch({ type: 'local-notice', message: 'Could not share your screen in this call.' });
    return;
  }
  s.screen = track;
  track.addEventListener('ended', () => void stopScreenShare(s, deps)); // "Stop sharing" in the browser's own bar
  deps.showPreview(new MediaStream([track]), true);
  deps.dispatch({ type: 'local-media', screen: true });
  deps.sendMedia(s);
}
