// What the agent asks the server about a call: start it (call:start and its acknowledgement),
// cancel it while it rings, hang it up. A request made before call:start was acknowledged marks
// the session abandoned; the acknowledgement then cancels the call.
import type { Dispatch } from 'react';
import type { AgentSocket } from '../lib/agent-socket';
import type { CallAction } from './call-state';
import type { Session } from './call-session';

const ACK_TIMEOUT_MS = 10_000;

export interface InviteDeps {
  dispatch: Dispatch<CallAction>;
  /** Ends the session's resources (the call was refused, or never acknowledged). */
  finish(s: Session): void;
}

/** Sends call:start for the session's target; the acknowledgement gives the session its call id. */
export function inviteVisitor(socket: AgentSocket, s: Session, clickedAt: number, { dispatch, finish }: InviteDeps): void {
  const { siteId, visitorId, video } = s.target;
  socket.timeout(ACK_TIMEOUT_MS).emit('call:start', { siteId, visitorId, video }, (err, res) => {
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
}

/** Cancels a call that has not been answered yet. */
export function requestCancel(socket: AgentSocket, s: Session): void {
  if (!s.callId) {
    s.abandoned = true;
    return;
  }
  const callId = s.callId;
  socket.emit('call:cancel', { callId }, (res) => {
    // The visitor accepted just before the click: hang up instead.
    if (!res.ok && res.code === 'invalid_state') socket.emit('call:hangup', { callId });
  });
}

export function requestHangUp(socket: AgentSocket, s: Session): void {
  if (s.callId) socket.emit('call:hangup', { callId: s.callId });
  else s.abandoned = true;
}
