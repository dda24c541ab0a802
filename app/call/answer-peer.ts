// The WebRTC side of a call: the visitor is the initiator, so we answer with a new peer
// (createPeer, embed-snippet/src/rtc/peer.ts) once per accept and once per rejoin (the visitor's
// next page makes a new peer; ours is replaced, with the same local stream).
import type { Dispatch } from 'react';
import type { IceConfig } from '../../server/protocol';
import type { AgentSocket } from '../lib/agent-socket';
import type { CallAction } from './call-state';
import type { Session } from './call-session';
import { whenVideoShows } from './local-media';
import { loadPeer } from './peer-loader';

/** How long an accepted call waits for the agent's own camera/microphone before answering without. */
const MEDIA_WAIT_MS = 20_000;
/** The dock says "in call" once the visitor's picture shows, or after this long connected. */
const FIRST_FRAME_WAIT_MS = 1_500;

export interface AnswerDeps {
  socket: AgentSocket;
  dispatch: Dispatch<CallAction>;
  setRemote(stream: MediaStream): void;
  setCanShareScreen(can: boolean): void;
  /** Tells the visitor what we send (call:media). */
  sendMedia(s: Session): void;
}

const withTimeout = <T,>(p: Promise<T>, ms: number, fallback: T): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]).finally(() => clearTimeout(timer));
};

/** A new answering peer for this accept or rejoin (the old one, if any, is dropped). */
export async function answerVisitor(s: Session, ice: IceConfig, deps: AnswerDeps): Promise<void> {
  const { socket, dispatch } = deps;
  s.peer?.destroy();
  s.peer = null;
  const generation = ++s.generation;
  let createPeer: typeof import('../../embed-snippet/src/rtc/peer').createPeer;
  try {
    [{ createPeer }] = await Promise.all([loadPeer(), withTimeout(s.media, MEDIA_WAIT_MS, null)]);
  } catch (err) {
    console.warn('[porchlight] could not load the call code', err);
    if (!s.done) dispatch({ type: 'local-notice', message: 'Could not load the call: check your connection, then hang up and call again.' });
    return;
  }
  if (s.done || s.generation !== generation || !s.callId) return;
  const callId = s.callId;
  const current = () => !s.done && s.generation === generation;
  let remoteStream: MediaStream | null = null;
  let connected = false;
  const peer = createPeer({
    initiator: false,
    stream: s.local,
    ice,
    onSignal: (data) => {
      if (current()) socket.emit('call:signal', { callId, data });
    },
    onStream: (stream) => {
      if (!current()) return;
      remoteStream = stream;
      deps.setRemote(stream);
    },
    onConnect: () => {
      if (!current()) return;
      connected = true;
      socket.emit('call:connected', { callId });
      void whenVideoShows(s.remoteSendsVideo ? remoteStream : null, FIRST_FRAME_WAIT_MS).then(() => {
        if (current()) dispatch({ type: 'peer-connected', callId });
      });
      // A new peer after the visitor's page changed: carry the screen share and our state over.
      if (s.screen) void peer.replaceVideoTrack(s.screen);
      if (s.screen || !s.mic || !s.camera) deps.sendMedia(s);
    },
    onClose: () => {},
    onError: (err) => {
      // Once connected, a closing peer (the visitor's page changing, or leaving) errors too;
      // the server says what happened (call:away, call:ended).
      if (current()) (connected ? console.debug : console.warn)('[porchlight] call connection error', err);
    },
  });
  s.peer = peer;
  s.peerWithoutMedia = !s.local;
  deps.setCanShareScreen(!!s.local?.getVideoTracks().length && typeof navigator.mediaDevices?.getDisplayMedia === 'function');
  const queued = s.signals;
  s.signals = [];
  for (const d of queued) peer.signal(d);
}
