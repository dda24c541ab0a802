// Keeping an accepted call across page changes and dropped connections: what the tab's next
// page needs (resume token, mute/camera choices), call:navigating when the page is left, and
// call:rejoin with a new peer (same media, no prompt) when a page takes the call over.
import { json } from '../json';
import type { IceConfig } from '../../../server/protocol';
import { finish } from './call-end';
import { connectPeer, LOST_PEER_WAIT_MS } from './call-peer';
import { useMedia } from './call-screen';
import { isObject, request, send } from './call-signaling';
import { clearTimers, current, enter, later, type Call } from './call-state';
import { isLive, stopTracks } from './media';
import { C } from './messages';
import { guard } from './safe';

/** After call:navigating, a page still here this much later did not navigate (a download, a cancelled load). */
export const STAYED_MS = 4000;
const MAX_RECONNECTS = 3;

/** What the tab's next page needs to carry the call on: the resume token and the mute/camera choices. */
export const remember = (c: Call): void => {
  c.session.memory?.set(c.resumeToken ? json({ c: c.invite.callId, t: c.resumeToken, m: c.muted, v: c.cameraOff }) : null);
};

export const recall = (c: Call): void => {
  try {
    const saved: unknown = JSON.parse(c.session.memory?.get() ?? 'null');
    if (isObject(saved) && saved.c === c.invite.callId) {
      c.resumeToken = typeof saved.t === 'string' ? saved.t : null;
      c.muted = saved.m === true;
      c.cameraOff = saved.v === true;
    }
  } catch {
    // nothing usable stored
  }
};

/** A new peer for the same call: after a navigation (ongoing), a dropped connection, or a navigation that did not happen. */
export const reconnect = async (c: Call): Promise<void> => {
  if (!current(c) || c.rejoining) return;
  if (c.reconnects++ >= MAX_RECONNECTS) {
    send(c, 'call:hangup');
    return finish(c, C.interrupted);
  }
  c.rejoining = true;
  try {
    await rejoin(c);
  } finally {
    c.rejoining = false;
  }
};

const rejoin = async (c: Call): Promise<void> => {
  if (!c.peerUp) enter(c, 'reconnecting');
  if (!isLive(c.stream)) {
    const local = await c.session.getMedia(c.want);
    if (!current(c)) return stopTracks(local.stream);
    useMedia(c, local);
  }
  c.away = false;
  const rejoined = request<{ ice: IceConfig }>(c, 'call:rejoin', { resumeToken: c.resumeToken, media: c.media, problems: c.problems });
  if (!c.stream) return finish(c, c.problemText);
  const res = await rejoined;
  if (!current(c)) return;
  if (res.ok) return connectPeer(c, res.ice, () => reconnect(c));
  if (res.code === 'gone') return finish(c, C.ended(''));
  // The server kept the call where it was: the old connection, if it still works, goes on.
  if (!c.peerUp) later(c, LOST_PEER_WAIT_MS, () => reconnect(c));
};

/** The page is about to be left: the server holds the call for this tab's next page. */
const leaving = (c: Call): void => {
  if (!current(c) || c.away) return;
  c.away = true;
  send(c, 'call:navigating');
  // Still here a while later: the navigation did not happen (a download, a cancelled load),
  // and the server is waiting for this tab's next page. Take the call over again from here.
  clearTimers(c);
  later(c, STAYED_MS, () => reconnect(c));
};

/** Watches for the page being left, from acceptance until the call ends here (finish stops it). */
export const watchNavigation = (c: Call): void => {
  c.stopWatching = c.session.watchLeaving(guard(() => leaving(c)));
};
