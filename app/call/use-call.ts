'use client';
// The agent's side of a call: wires the shared /agent socket, the agent's camera and microphone,
// and the WebRTC peer to the pure call reducer. The pieces live beside it: call-session.ts (one
// attempt's resources), call-requests.ts (call:start, cancel, hang-up), use-call-events.ts (the
// server's events), answer-peer.ts (the peer), screen-share.ts, use-call-quality.ts.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { IceConfig } from '../../server/protocol';
import { useAgentSocket } from '../lib/agent-socket';
import { answerVisitor } from './answer-peer';
import { inviteVisitor, requestCancel, requestHangUp } from './call-requests';
import { acquireLocalMedia, mediaStateOf, newSession, releaseSession, type Session } from './call-session';
import { callReducer, initialCallState, type CallState, type CallTarget } from './call-state';
import type { Quality } from './call-stats';
import { prefetchPeer, usePeerPrefetch } from './peer-loader';
import { startScreenShare, stopScreenShare } from './screen-share';
import { useCallEvents } from './use-call-events';
import { useCallQuality } from './use-call-quality';

export { STATS_EVERY_MS } from './use-call-quality';

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

export function useCallController(): CallController {
  const { socket } = useAgentSocket();
  const [state, dispatch] = useReducer(callReducer, initialCallState);
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const [previewIsScreen, setPreviewIsScreen] = useState(false);
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [quality, setQuality] = useState<Quality | null>(null);
  const [canShareScreen, setCanShareScreen] = useState(false);
  const sessionRef = useRef<Session | null>(null);

  /** Ends a session's resources and clears what the dock shows of them. */
  const finish = useCallback((s: Session | null) => {
    if (!s || !releaseSession(s)) return;
    if (sessionRef.current === s) sessionRef.current = null;
    setPreview(null);
    setPreviewIsScreen(false);
    setRemote(null);
    setQuality(null);
    setCanShareScreen(false);
  }, []);

  const sendMedia = useCallback(
    (s: Session) => {
      if (socket && s.callId) socket.emit('call:media', { callId: s.callId, ...mediaStateOf(s) });
    },
    [socket],
  );

  const answer = useCallback(
    async (s: Session, ice: IceConfig) => {
      if (socket) await answerVisitor(s, ice, { socket, dispatch, setRemote, setCanShareScreen, sendMedia });
    },
    [socket, sendMedia],
  );

  useCallEvents(socket, { sessionRef, dispatch, answer, finish });
  usePeerPrefetch();

  // Leaving the dashboard (log out) ends the call.
  useEffect(
    () => () => {
      const s = sessionRef.current;
      if (s?.callId && socket?.connected) socket.emit('call:hangup', { callId: s.callId });
      finish(s);
    },
    [socket, finish],
  );

  useCallQuality(state.phase === 'in-call', () => sessionRef.current?.peer ?? null, setQuality);

  const startCall = useCallback(
    (target: CallTarget) => {
      // One call at a time: a session lives from the click until the call ends.
      if (!socket || (sessionRef.current && !sessionRef.current.done)) return;
      const clickedAt = Date.now();
      dispatch({ type: 'start', target, at: clickedAt });
      const s = newSession(target);
      sessionRef.current = s;
      if (!socket.connected) {
        dispatch({ type: 'start-failed', code: 'internal', message: 'Not connected to Porchlight', at: clickedAt });
        finish(s);
        return;
      }
      // The invitation goes out first (its latency is what the visitor notices); the camera
      // and the WebRTC code load in parallel.
      inviteVisitor(socket, s, clickedAt, { dispatch, finish });
      prefetchPeer();
      acquireLocalMedia(s, (m) => {
        setPreview(m.stream);
        dispatch({ type: 'local-media', audio: s.mic, video: s.camera });
        if (m.notice) dispatch({ type: 'local-notice', message: m.notice });
      });
    },
    [socket, finish],
  );

  const cancel = useCallback(() => {
    const s = sessionRef.current;
    if (!s || !socket) return;
    requestCancel(socket, s);
    dispatch({ type: 'hung-up', by: 'agent', reason: 'cancelled', at: Date.now() });
    finish(s);
  }, [socket, finish]);

  const hangUp = useCallback(() => {
    const s = sessionRef.current;
    if (!s || !socket) return;
    requestHangUp(socket, s);
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

  const toggleScreen = useCallback(() => {
    const s = sessionRef.current;
    if (!s) return;
    const showPreview = (stream: MediaStream | null, isScreen: boolean) => {
      setPreview(stream);
      setPreviewIsScreen(isScreen);
    };
    void (s.screen ? stopScreenShare : startScreenShare)(s, { dispatch, showPreview, sendMedia });
  }, [sendMedia]);

  const close = useCallback(() => dispatch({ type: 'close' }), []);

  return { state, preview, previewIsScreen, remote, quality, canShareScreen, startCall, cancel, hangUp, toggleMute, toggleCamera, toggleScreen, close };
}
