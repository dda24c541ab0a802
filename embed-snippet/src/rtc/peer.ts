// The one module that knows which WebRTC library we use (simple-peer 9, unmaintained since
// 2021). Both the visitor's call part and the agent's dashboard go through createPeer, so a
// maintained fork, or plain RTCPeerConnection, can replace it here without touching callers.
//
// Signals leave as opaque strings (the server relays them byte for byte) and come back the same.
// The ICE configuration is always the one the server sent for this call: simple-peer's own
// default lists public STUN hosts, which we never want to contact unasked.
import { json } from '../json';
import Peer from 'simple-peer';
import type { IceConfig } from '../../../server/protocol';

export interface PeerHandlers {
  /** A local signal (SDP or ICE candidate) to send to the other party. */
  onSignal: (data: string) => void;
  /** The other party's media. */
  onStream: (stream: MediaStream) => void;
  /** The peer-to-peer connection is up. */
  onConnect: () => void;
  /** The connection closed (the other side left, or destroy()). */
  onClose: () => void;
  onError: (err: Error) => void;
}

export interface CallPeer {
  /** Feed a signal that came from the other party. */
  signal(data: string): void;
  /** Start sending a stream that was not ready when the peer was made (renegotiates through the initiator). */
  addStream(stream: MediaStream): void;
  /** Switch the outgoing video track (screen share and back) without renegotiating. False if nothing sends video. */
  replaceVideoTrack(track: MediaStreamTrack): Promise<boolean>;
  /** The raw statistics of the connection (round trip, loss, bytes), or null once closed. */
  stats(): Promise<RTCStatsReport | null>;
  destroy(): void;
}

type SimplePeerInternals = Peer.Instance & { _pc?: RTCPeerConnection; destroyed?: boolean };

export function createPeer(o: { initiator: boolean; stream: MediaStream | null; ice: IceConfig } & PeerHandlers): CallPeer {
  const peer = new Peer({
    initiator: o.initiator,
    stream: o.stream ?? undefined,
    trickle: true,
    config: { iceServers: o.ice.iceServers, iceTransportPolicy: o.ice.iceTransportPolicy },
    // The visitor (initiator) may send audio only but still wants the agent's video.
    offerOptions: { offerToReceiveAudio: true, offerToReceiveVideo: true },
  }) as SimplePeerInternals;
  let closed = false;
  peer.on('signal', (data: unknown) => o.onSignal(json(data)));
  peer.on('stream', (stream: MediaStream) => o.onStream(stream));
  peer.on('connect', () => o.onConnect());
  peer.on('close', () => {
    if (closed) return;
    closed = true;
    o.onClose();
  });
  peer.on('error', (err: Error) => o.onError(err));

  const pc = (): RTCPeerConnection | null => (closed || peer.destroyed ? null : (peer._pc ?? null));
  let videoSender: RTCRtpSender | undefined;

  return {
    signal: (data) => {
      if (closed || peer.destroyed) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // not ours: the server relays opaque strings, so a broken one is simply dropped
      }
      peer.signal(parsed as Peer.SignalData);
    },
    addStream: (stream) => {
      if (closed || peer.destroyed) return;
      peer.addStream(stream);
    },
    replaceVideoTrack: async (track) => {
      const c = pc();
      if (!c) return false;
      videoSender ??= c.getSenders().find((s) => s.track?.kind === 'video');
      if (!videoSender) return false;
      await videoSender.replaceTrack(track);
      return true;
    },
    stats: async () => {
      const c = pc();
      return c ? c.getStats() : null;
    },
    destroy: () => {
      if (peer.destroyed) return;
      peer.destroy();
    },
  };
}
