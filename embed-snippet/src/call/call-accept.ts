// The visitor clicked accept: only now are camera and microphone asked for (with fallbacks,
// media.ts), then call:accept, and with its ack the first peer.
import type { IceConfig } from '../../../server/protocol';
import { finish } from './call-end';
import { connectPeer } from './call-peer';
import { reconnect, remember, watchNavigation } from './call-rejoin';
import { startClock, useMedia } from './call-screen';
import { request, send } from './call-signaling';
import { current, enter, type Call } from './call-state';
import { stopTracks } from './media';
import { refusedMessage } from './messages';

export const accept = async (c: Call, video: boolean): Promise<void> => {
  if (c.phase !== 'ringing') return;
  c.want = { audio: true, video };
  enter(c, 'connecting');
  // The browser may now ask for permission: the server keeps ringing meanwhile.
  send(c, 'call:answering');
  const local = await c.session.getMedia(c.want);
  if (!current(c)) return stopTracks(local.stream);
  useMedia(c, local);
  c.accepted = true;
  const accepted = request<{ ice: IceConfig; resumeToken: string }>(c, 'call:accept', { media: local.media, problems: local.problems });
  // Nothing to send: the server ends the call (media_unavailable) and tells the agent why.
  if (!local.stream) return finish(c, c.problemText);
  watchNavigation(c);
  const res = await accepted;
  if (!current(c)) return;
  if (!res.ok) {
    // Refused or unanswered: make sure the server does not keep the agent waiting on it.
    if (res.code !== 'gone') send(c, 'call:hangup');
    return finish(c, refusedMessage(res.code));
  }
  c.resumeToken = res.resumeToken;
  remember(c);
  c.acceptedAt = c.session.now();
  startClock(c);
  connectPeer(c, res.ice, () => reconnect(c));
};
