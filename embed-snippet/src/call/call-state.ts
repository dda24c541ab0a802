// The state of the visitor's call and of the session that holds it, shared by the call-*.ts
// modules, with the few helpers every step of the flow needs.
import type { CallInvite, CallMedia, CallMediaState, IceConfig, MediaProblem } from '../../../server/protocol';
import type { CallPeer, PeerHandlers } from '../rtc/peer';
import type { CallView, ViewActions, ViewState } from './call-ui';
import type { LocalMedia } from './media';
import { guard } from './safe';

/** The part of the socket.io client socket that a call uses. */
export interface CallSocket {
  on(event: string, fn: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

export interface CallDeps {
  socket: CallSocket;
  view: (invite: CallInvite, actions: ViewActions) => CallView;
  getMedia: (want: CallMedia) => Promise<LocalMedia>;
  createPeer: (o: { initiator: boolean; stream: MediaStream | null; ice: IceConfig } & PeerHandlers) => CallPeer;
  /** Calls back when the page is about to load another page of the site; returns a stop function. */
  watchLeaving: (onLeave: () => void) => () => void;
  /** Mute and camera choices of the current call, kept across pages of the tab (sessionStorage). */
  memory?: { get(): string | null; set(value: string | null): void };
  now?: () => number;
}

/** One startCalls(): its dependencies and the call it shows, if any (one at a time). */
export type Session = CallDeps & { now: () => number; call: Call | null };

export interface Call {
  session: Session;
  invite: CallInvite;
  view: CallView;
  phase: ViewState;
  want: CallMedia;
  stream: MediaStream | null;
  media: CallMedia;
  problems: MediaProblem[];
  /** The media problem shown to the visitor, kept over the server's generic end reason. */
  problemText: string;
  peer: CallPeer | null;
  /** Bumped for every new peer, so callbacks of a replaced one are ignored. */
  peerGen: number;
  peerUp: boolean;
  /** call:accept has gone out: from now on leaving is a hang-up, not a decline. */
  accepted: boolean;
  /** From the accept's ack: this tab's next page shows it to take the call over (kept in sessionStorage). */
  resumeToken: string | null;
  /** call:navigating went out and no rejoin since: the server already holds the call for the next page. */
  away: boolean;
  /** A call:rejoin is waiting for its ack. */
  rejoining: boolean;
  acceptedAt: number | null;
  muted: boolean;
  cameraOff: boolean;
  remote: CallMediaState | null;
  remoteStream: MediaStream | null;
  reconnects: number;
  timers: Set<ReturnType<typeof setTimeout>>;
  tick?: ReturnType<typeof setInterval>;
  stopWatching?: () => void;
}

/** A ringing call: nothing asked of the browser yet. */
export const newCall = (session: Session, invite: CallInvite, view: CallView): Call => ({
  session,
  invite,
  view,
  phase: 'ringing',
  want: { audio: true, video: invite.video },
  stream: null,
  media: { audio: false, video: false },
  problems: [],
  problemText: '',
  peer: null,
  peerGen: 0,
  peerUp: false,
  accepted: false,
  resumeToken: null,
  away: false,
  rejoining: false,
  acceptedAt: null,
  muted: false,
  cameraOff: false,
  remote: null,
  remoteStream: null,
  reconnects: 0,
  timers: new Set(),
});

/** Still the session's call and not over: async steps check this before going on. */
export const current = (c: Call): boolean => c.session.call === c && c.phase !== 'ended';

/** A timer that dies with the call (finish clears them). */
export const later = (c: Call, ms: number, fn: () => unknown): void => {
  const t = setTimeout(
    guard(() => {
      c.timers.delete(t);
      return fn();
    }),
    ms,
  );
  c.timers.add(t);
};

export const clearTimers = (c: Call): void => {
  for (const t of c.timers) clearTimeout(t);
  c.timers.clear();
};

export const elapsed = (c: Call): number | null => (c.acceptedAt == null ? null : c.session.now() - c.acceptedAt);

export const enter = (c: Call, phase: ViewState): void => {
  c.phase = phase;
  c.view.setState(phase);
};
