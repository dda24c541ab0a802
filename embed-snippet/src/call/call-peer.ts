// The WebRTC connection of a call: a fresh initiator peer on the call's stream, its signals
// relayed through the server, the agent's stream shown, the call in-call once connected.
import type { CallSignal, IceConfig } from '../../../server/protocol';
import { sendMediaState, showRemote } from './call-screen';
import { send } from './call-signaling';
import { current, enter, later, type Call } from './call-state';
import { guard, log } from './safe';

/** A peer that closed while the call goes on: wait this long for call:ended before reconnecting. */
export const LOST_PEER_WAIT_MS = 2000;

/** Replaces the call's peer; `lost` runs when it closed and no call:ended followed. */
export const connectPeer = (c: Call, ice: IceConfig, lost: () => unknown): void => {
  c.peer?.destroy();
  const gen = ++c.peerGen;
  c.peerUp = false;
  if (c.phase === 'in-call') enter(c, 'reconnecting');
  const mine = (): boolean => current(c) && c.peerGen === gen;
  c.peer = c.session.createPeer({
    initiator: true,
    stream: c.stream,
    ice,
    onSignal: guard((data: string) => mine() && send(c, 'call:signal', { data } satisfies Omit<CallSignal, 'callId'>)),
    onStream: guard((stream: MediaStream) => {
      if (!mine()) return;
      c.remoteStream = stream;
      c.view.setRemote(stream);
      showRemote(c);
      // A track the agent adds later (camera turned on after an audio start).
      stream.onaddtrack = guard(() => mine() && showRemote(c));
    }),
    onConnect: guard(() => {
      if (!mine()) return;
      c.peerUp = true;
      c.reconnects = 0;
      enter(c, 'in-call');
      send(c, 'call:connected');
      if (c.muted || c.cameraOff) sendMediaState(c);
    }),
    onClose: guard(() => {
      if (!mine()) return;
      c.peerUp = false;
      // The agent hung up (call:ended is on its way) or the connection broke: give the
      // server a moment, then try a fresh connection.
      later(c, LOST_PEER_WAIT_MS, () => mine() && lost());
    }),
    onError: guard((err: Error) => log('peer error', err)),
  });
};
