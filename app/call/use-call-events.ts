// The server's events about our call, on the shared /agent socket: each goes to the reducer, and
// those that change the connection (accepted, rejoined, signals, the end) to the session too.
import { useEffect, type Dispatch, type RefObject } from 'react';
import type { AgentServerEvents, CallEnd, CallMediaState, CallSignal, IceConfig } from '../../server/protocol';
import type { AgentSocket } from '../lib/agent-socket';
import type { CallAction } from './call-state';
import type { Session } from './call-session';

/** call:accepted and call:rejoined carry the same: the call's ICE servers and what the visitor sends. */
type Joined = Parameters<AgentServerEvents['call:accepted']>[0];

export interface CallEventDeps {
  sessionRef: RefObject<Session | null>;
  dispatch: Dispatch<CallAction>;
  /** A new answering peer for the session (on accept and on every rejoin). */
  answer(s: Session, ice: IceConfig): Promise<void>;
  /** Ends the session's resources. */
  finish(s: Session | null): void;
}

export function useCallEvents(socket: AgentSocket | null, { sessionRef, dispatch, answer, finish }: CallEventDeps): void {
  useEffect(() => {
    if (!socket) return;
    const mine = (callId: string) => {
      const s = sessionRef.current;
      return s && !s.done && s.callId === callId ? s : null;
    };
    const onAccepted = (p: Joined) => {
      const s = mine(p.callId);
      if (!s) return;
      s.remoteSendsVideo = p.media.video;
      dispatch({ type: 'accepted', callId: p.callId, media: p.media, problems: p.problems ?? [], at: Date.now() });
      void answer(s, p.ice);
    };
    const onRejoined = (p: Joined) => {
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
  }, [socket, sessionRef, dispatch, answer, finish]);
}
