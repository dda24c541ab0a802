'use client';
// The agent's side of a call: wires the shared /agent socket, the agent's camera and microphone,
// and the WebRTC peer (createPeer, embed-snippet/src/rtc/peer.ts) to the pure call reducer.
// The visitor is the WebRTC initiator: we answer, once per accept and once per rejoin (the
// visitor's next page makes a new peer; ours is replaced, with the same local stream).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { CallEnd, CallMediaState, CallSignal, IceConfig, MediaProblem, CallMedia } from '../../server/protocol';
import type { CallPeer } from '../../embed-snippet/src/rtc/peer';
import { useAgentSocket } from '../lib/agent-socket';
import { callReducer, initialCallState, type CallState, type CallTarget } from './call-state';
import { qualityOf, sampleOf, type Quality, type StatsSample } from './call-stats';
import { getLocalMedia, stopStream, whenVideoShows, type LocalMedia } from './local-media';

const ACK_TIMEOUT_MS = 10_000;
/** How long an accepted call waits for the agent's own camera/microphone before answering without. */
const MEDIA_WAIT_MS = 20_000;
/** The dock says "in call" once the visitor's picture shows, or after this long connected. */
const FIRST_FRAME_WAIT_MS = 1_500;
export const STATS_EVERY_MS = 2_000;

/** One call attempt's resources. Replaced by the next attempt; handlers of an old one do nothing. */
interface Session {
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

export interface CallController {
  state: CallState;
  /** What the local preview shows: the camera, or the shared screen. */
  preview: MediaStream | null;
  previewIsScreen: boolean;
  remote: MediaStream | null;
  quality: Quality | null;
  /** A video track is being sent and the browser can capture the screen. */
  canShareScreen: boolean;
  startCall(target: CallTarget): void;
  cancel(): void;
  hangUp(): void;
  toggleMute(): void;
  toggleCamera(): void;
  toggleScreen(): void;
  close(): void;
}

// simple-peer and its stream polyfills stay out of the dashboard's first load: fetched once the
// page is idle, or at the latest when the agent clicks Call (long before the visitor accepts).
let peerModule: Promise<typeof import('../../embed-snippet/src/rtc/peer')> | null = null;
const loadPeer = () => (peerModule ??= import('../../embed-snippet/src/rtc/peer'));

const withTimeout = <T,>(p: Promise<T>, ms: number, fallback: T): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]).finally(() => clearTimeout(timer));
};

export function useCallController(): CallController {
  const { socket } = useAgentSocket();
  const [state, dispatch] = useReducer(callReducer, initialCallState);
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const [previewIsScreen, setPreviewIsScreen] = useState(false);
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [quality, setQuality] = useState<Quality | null>(null);
  const [canShareScreen, setCanShareScreen] = useState(false);
  const sessionRef = useRef<Session | null>(null);

  /** Ends a session's resources: every local track (camera, microphone, screen) and the peer. */
  const finish = useCallback((s: Session | null) => {
    if (!s || s.done) return;
    s.done = true;
    s.peer?.destroy();
    s.peer = null;
    stopStream(s.local);
    s.screen?.stop();
    s.screen = null;
    s.signals = [];
    if (sessionRef.current === s) sessionRef.current = null;
    setPreview(null);
    setPreviewIsScreen(false);
    setRemote(null);
    setQuality(null);
    setCanShareScreen(false);
  }, []);

  const sendMedia = useCallback(
    (s: Session) => {
      if (!socket || !s.callId) return;
      const hasAudio = !!s.local?.getAudioTracks().length;
      const hasVideo = !!s.local?.getVideoTracks().length;
      const p: { callId: string } & CallMediaState = {
        callId: s.callId,
        audio: hasAudio && s.mic,
        video: s.screen ? true : hasVideo && s.camera,
        screen: !!s.screen,
      };
      socket.emit('call:media', p);
    },
    [socket],
  );

  /** A new answering peer for this accept or rejoin (the old one, if any, is dropped). */
  const answer = useCallback(
    async (s: Session, ice: IceConfig) => {
      if (!socket) return;
      s.peer?.destroy();
      s.peer = null;
      const generation = ++s.generation;
      let createPeer: typeof import('../../embed-snippet/src/rtc/peer').createPeer;
      try {
        [{ createPeer }] = await Promise.all([loadPeer(), withTimeout(s.media, MEDIA_WAIT_MS, null)]);
      } catch (err) {
        peerModule = null;
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
          setRemote(stream);
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
          if (s.screen || !s.mic || !s.camera) sendMedia(s);
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
      setCanShareScreen(!!s.local?.getVideoTracks().length && typeof navigator.mediaDevices?.getDisplayMedia === 'function');
      const queued = s.signals;
      s.signals = [];
      for (const d of queued) peer.signal(d);
    },
    [socket, sendMedia],
  );

  // Server events for our call.
  useEffect(() => {
    if (!socket) return;
    const mine = (callId: string) => {
      const s = sessionRef.current;
      return s && !s.done && s.callId === callId ? s : null;
    };
    const onAccepted = (p: { callId: string; ice: IceConfig; media: CallMedia; problems: MediaProblem[] }) => {
      const s = mine(p.callId);
      if (!s) return;
      s.remoteSendsVideo = p.media.video;
      dispatch({ type: 'accepted', callId: p.callId, media: p.media, problems: p.problems ?? [], at: Date.now() });
      void answer(s, p.ice);
    };
    const onRejoined = (p: { callId: string; ice: IceConfig; media: CallMedia; problems: MediaProblem[] }) => {
      const s = mine(p.callId);
      if (!s) return;
      s.signals = []; // anything still queued belonged to the visitor's previous page
      s.remoteSendsVideo = p.media.video;
      dispatch({ type: 'rejoined', callId: p.callId, media: p.media, problems: p.problems ?? [] });
      void answer(s, p.ice);
    };
    const onAnswering = (p: { callId: string; ringsForMs: number }) => {
      if (mine(p.callId)) dispatch({ type: 'answering', callId: p.callId, expiresAt: Date.now() + p.ringsForMs });
    };
    const onAway = (p: { callId: string }) => {
      if (mine(p.callId)) dispatch({ type: 'away', callId: p.callId });
    };
    const onSignal = (p: CallSignal) => {
      const s = mine(p.callId);
      if (!s) return;
      if (s.peer) s.peer.signal(p.data);
      else s.signals.push(p.data);
    };
    const onMedia = (p: { callId: string } & CallMediaState) => {
      if (mine(p.callId)) dispatch({ type: 'remote-media', ...p });
    };
    const onEnded = (e: CallEnd) => {
      finish(mine(e.callId));
      dispatch({ type: 'ended', end: e, at: Date.now() });
    };
    const onDisconnect = () => {
      // The server ends the call of a dashboard whose socket closed: nothing to wait for.
      const s = sessionRef.current;
      if (!s) return;
      if (s.callId) dispatch({ type: 'hung-up', by: 'agent', reason: 'left', at: Date.now() });
      else dispatch({ type: 'start-failed', code: 'internal', message: 'Lost the connection to Porchlight', at: Date.now() });
      finish(s);
    };
    const handlers = {
      'call:answering': onAnswering,
      'call:accepted': onAccepted,
      'call:rejoined': onRejoined,
      'call:away': onAway,
      'call:signal': onSignal,
      'call:media': onMedia,
      'call:ended': onEnded,
      disconnect: onDisconnect,
    } as const;
    const events = Object.keys(handlers) as (keyof typeof handlers)[];
    for (const e of events) socket.on(e, handlers[e] as never);
    return () => {
      for (const e of events) socket.off(e, handlers[e] as never);
    };
  }, [socket, answer, finish]);

  useEffect(() => {
    const prefetch = () => void loadPeer().catch(() => (peerModule = null));
    if (typeof requestIdleCallback === 'function') {
      const h = requestIdleCallback(prefetch, { timeout: 5_000 });
      return () => cancelIdleCallback(h);
    }
    const t = setTimeout(prefetch, 2_000);
    return () => clearTimeout(t);
  }, []);

  // Leaving the dashboard (log out) ends the call.
  useEffect(
    () => () => {
      const s = sessionRef.current;
      if (s?.callId && socket?.connected) socket.emit('call:hangup', { callId: s.callId });
      finish(s);
    },
    [socket, finish],
  );

  // Connection quality every 2 s while the peer is up.
  const live = state.phase === 'in-call';
  useEffect(() => {
    if (!live) return;
    let prev: StatsSample | null = null;
    let prevPeer: CallPeer | null = null;
    let stopped = false;
    const tick = async () => {
      const peer = sessionRef.current?.peer ?? null;
      if (!peer) return;
      const report = await peer.stats().catch(() => null);
      if (stopped || !report) return;
      const cur = sampleOf(report.values() as Iterable<Record<string, unknown>>, Date.now());
      setQuality(qualityOf(peer === prevPeer ? prev : null, cur));
      prev = cur;
      prevPeer = peer;
    };
    void tick();
    const t = setInterval(tick, STATS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [live]);

  const startCall = useCallback(
    (target: CallTarget) => {
      // One call at a time: a session lives from the click until the call ends.
      if (!socket || (sessionRef.current && !sessionRef.current.done)) return;
      const clickedAt = Date.now();
      dispatch({ type: 'start', target, at: clickedAt });
      const s: Session = {
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
      sessionRef.current = s;
      if (!socket.connected) {
        dispatch({ type: 'start-failed', code: 'internal', message: 'Not connected to Porchlight', at: clickedAt });
        finish(s);
        return;
      }
      // The invitation goes out first (its latency is what the visitor notices); the camera
      // and the WebRTC code load in parallel.
      socket.timeout(ACK_TIMEOUT_MS).emit('call:start', { siteId: target.siteId, visitorId: target.visitorId, video: target.video }, (err, res) => {
        if (s.done || s.abandoned) {
          if (!err && res.ok) socket.emit('call:cancel', { callId: res.call.callId });
          return;
        }
        if (err) {
          dispatch({ type: 'start-failed', code: 'internal', message: 'The server did not answer in time', at: Date.now() });
          finish(s);
          return;
        }
        if (!res.ok) {
          dispatch({ type: 'start-failed', code: res.code, message: res.message, at: Date.now() });
          finish(s);
          return;
        }
        const ackAt = Date.now();
        s.callId = res.call.callId;
        dispatch({ type: 'started', call: res.call, at: ackAt, clockOffset: res.call.createdAt - (clickedAt + ackAt) / 2 });
      });
      void loadPeer().catch(() => (peerModule = null));
      s.media = getLocalMedia(target.video).then((m) => {
        if (s.done) {
          stopStream(m.stream);
          return { stream: null, notice: null };
        }
        s.local = m.stream;
        s.camera = target.video && !!m.stream?.getVideoTracks().length;
        s.mic = !!m.stream?.getAudioTracks().length;
        // The agent's permission prompt outlasted the wait and the call went on without their
        // media: send it now (the visitor's side renegotiates).
        if (m.stream && s.peer && s.peerWithoutMedia) {
          s.peer.addStream(m.stream);
          s.peerWithoutMedia = false;
        }
        setPreview(m.stream);
        dispatch({ type: 'local-media', audio: s.mic, video: s.camera });
        if (m.notice) dispatch({ type: 'local-notice', message: m.notice });
        return m;
      });
    },
    [socket, finish],
  );

  const cancel = useCallback(() => {
    const s = sessionRef.current;
    if (!s || !socket) return;
    if (s.callId) {
      const callId = s.callId;
      socket.emit('call:cancel', { callId }, (res) => {
        // The visitor accepted just before the click: hang up instead.
        if (!res.ok && res.code === 'invalid_state') socket.emit('call:hangup', { callId });
      });
    } else {
      s.abandoned = true;
    }
    dispatch({ type: 'hung-up', by: 'agent', reason: 'cancelled', at: Date.now() });
    finish(s);
  }, [socket, finish]);

  const hangUp = useCallback(() => {
    const s = sessionRef.current;
    if (!s || !socket) return;
    if (s.callId) socket.emit('call:hangup', { callId: s.callId });
    else s.abandoned = true;
    dispatch({ type: 'hung-up', by: 'agent', at: Date.now() });
    finish(s);
  }, [socket, finish]);

  /** Mute/unmute or camera off/on: the track keeps its place in the call and sends silence or black. */
  const toggleTrack = useCallback(
    (kind: 'audio' | 'video') => {
      const s = sessionRef.current;
      const tracks = kind === 'audio' ? s?.local?.getAudioTracks() : s?.local?.getVideoTracks();
      if (!s || !tracks?.length) return;
      const on = kind === 'audio' ? (s.mic = !s.mic) : (s.camera = !s.camera);
      tracks.forEach((t) => (t.enabled = on));
      dispatch({ type: 'local-media', [kind]: on });
      sendMedia(s);
    },
    [sendMedia],
  );
  const toggleMute = useCallback(() => toggleTrack('audio'), [toggleTrack]);
  const toggleCamera = useCallback(() => toggleTrack('video'), [toggleTrack]);

  const stopScreen = useCallback(
    async (s: Session) => {
      const screen = s.screen;
      if (!screen) return;
      s.screen = null;
      const cam = s.local?.getVideoTracks()[0];
      if (cam && s.peer) await s.peer.replaceVideoTrack(cam).catch(() => false);
      screen.stop();
      if (s.done) return;
      setPreview(s.local);
      setPreviewIsScreen(false);
      dispatch({ type: 'local-media', screen: false });
      sendMedia(s);
    },
    [sendMedia],
  );

  const toggleScreen = useCallback(() => {
    const s = sessionRef.current;
    if (!s) return;
    if (s.screen) {
      void stopScreen(s);
      return;
    }
    const md = navigator.mediaDevices;
    if (!md?.getDisplayMedia || !s.peer) return;
    void (async () => {
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
        if (!ok && !s.done) dispatch({ type: 'local-notice', message: 'Could not share your screen in this call.' });
        return;
      }
      s.screen = track;
      track.addEventListener('ended', () => void stopScreen(s)); // "Stop sharing" in the browser's own bar
      setPreview(new MediaStream([track]));
      setPreviewIsScreen(true);
      dispatch({ type: 'local-media', screen: true });
      sendMedia(s);
    })();
  }, [sendMedia, stopScreen]);

  const close = useCallback(() => dispatch({ type: 'close' }), []);

  return { state, preview, previewIsScreen, remote, quality, canShareScreen, startCall, cancel, hangUp, toggleMute, toggleCamera, toggleScreen, close };
}
