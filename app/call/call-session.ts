// One call attempt's resources (local media, screen track, peer) and the plain operations on
// them that need no React: making a session, taking the agent's media into it, releasing it.
import type { CallMediaState } from '../../server/protocol';
import type { CallPeer } from '../../embed-snippet/src/rtc/peer';
import type { CallTarget } from './call-state';
import { getLocalMedia, stopStream, type LocalMedia } from './local-media';

/** One call attempt's resources. Replaced by the next attempt; handlers of an old one do nothing. */
export interface Session {
  target: CallTarget;
  callId: string | null;
  /** Cancelled before call:start was acknowledged: cancel it as soon as we know its id. */
  abandoned: boolean;
  media: Promise<LocalMedia>;
  local: MediaStream | null;
  screen: MediaStreamTrack | null;
  peer: CallPeer | null;
  /** Bumped for every peer: callbacks of a replaced peer are ignored. */
  generation: number;
  /** The peer was made before the agent's camera/microphone were ready (they are added when they come). */
  peerWithoutMedia: boolean;
  /** Signals that arrived before the peer existed (it waits for our media). */
  signals: string[];
  /** What the visitor said it sends (call:accepted / call:rejoined). */
  remoteSendsVideo: boolean;
  mic: boolean;
  camera: boolean;
  done: boolean;
}

export function newSession(target: CallTarget): Session {
  return {
    target,
    callId: null,
    abandoned: false,
    media: Promise.resolve({ stream: null, notice: null }),
    local: null,
    screen: null,
    peer: null,
    generation: 0,
    peerWithoutMedia: false,
    signals: [],
    remoteSendsVideo: false,
    mic: true,
    camera: target.video,
    done: false,
  };
}

/** What we tell the visitor we send (call:media): a shared screen always counts as video. */
export function mediaStateOf(s: Session): CallMediaState {
  const hasAudio = !!s.local?.getAudioTracks().length;
  const hasVideo = !!s.local?.getVideoTracks().length;
  return { audio: hasAudio && s.mic, video: s.screen ? true : hasVideo && s.camera, screen: !!s.screen };
}

/**
 * Asks for the agent's camera/microphone and takes them into the session; `s.media` settles with
 * them so the answering peer can wait for them. `onMedia` reports them to the UI.
 */
export function acquireLocalMedia(s: Session, onMedia: (m: LocalMedia) => void): void {
  const video = s.target.video;
  s.media = getLocalMedia(video).then((m) => {
    if (s.done) {
      stopStream(m.stream);
      return { stream: null, notice: null };
    }
    s.local = m.stream;
    s.camera = video && !!m.stream?.getVideoTracks().length;
    s.mic = !!m.stream?.getAudioTracks().length;
    // The agent's permission prompt outlasted the wait and the call went on without their
    // media: send it now (the visitor's side renegotiates).
    if (m.stream && s.peer && s.peerWithoutMedia) {
      s.peer.addStream(m.stream);
      s.peerWithoutMedia = false;
    }
    onMedia(m);
    return m;
  });
}

/**
 * Ends a session's resources: every local track (camera, microphone, screen) and the peer.
 * False if it had already ended.
 */
export function releaseSession(s: Session): boolean {
  if (s.done) return false;
  s.done = true;
  s.peer?.destroy();
  s.peer = null;
  stopStream(s.local);
  s.screen?.stop();
  s.screen = null;
  s.signals = [];
  return true;
}
