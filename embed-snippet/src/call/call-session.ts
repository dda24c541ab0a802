// The visitor's side of a call, from invitation to end:
//   call:invite -> ringing view; nothing touches camera, microphone or WebRTC until a click.
//   accept -> media (with fallbacks) -> call:accept -> ack {ice} -> initiator peer -> connect
//     -> call:connected, in-call view; hang up or call:ended -> tracks stopped, peer destroyed,
//     reason shown, card removed a few seconds later.
//   Leaving for another page of the site mid-call -> call:navigating; the next page gets
//     call:ongoing -> same media again (no prompt, no click) -> call:rejoin -> new peer.
// Its dependencies come in as arguments (socket, view, media, peer, navigation watcher), so the
// whole flow runs in unit tests without a browser.
import { json } from '../json';
import type { Ack, CallEnd, CallInvite, CallMedia, CallMediaState, CallSignal, IceConfig, MediaProblem } from '../../../server/protocol';
import type { CallPeer, PeerHandlers } from '../rtc/peer';
import type { CallView, ViewActions, ViewState } from './call-ui';
import { isLive, stopTracks, type LocalMedia } from './media';
import { C, endMessage, mediaMessage, refusedMessage, remoteNote, tookText } from './messages';
import { guard, log } from './safe';
import { formatDuration } from './time';

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

/** How long the card stays after a call ended (or until the visitor closes it); longer for a media problem, which asks the visitor to act. */
export const ENDED_VISIBLE_MS = 4000;
export const PROBLEM_VISIBLE_MS = 8000;
/** Acks that take longer than this count as failed. */
export const ACK_TIMEOUT_MS = 10_000;
/** After call:navigating, a page still here this much later did not navigate (a download, a cancelled load). */
export const STAYED_MS = 4000;
/** A peer that closed while the call goes on: wait this long for call:ended before reconnecting. */
export const LOST_PEER_WAIT_MS = 2000;
const MAX_RECONNECTS = 3;

interface Call {
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const hasCallId = (v: unknown): v is { callId: string } => isObject(v) && typeof v.callId === 'string';

export function startCalls(d: CallDeps): void {
  const now = d.now ?? Date.now;
  let call: Call | null = null;

  const send = (event: string, payload: unknown): void => {
    log('send', event, payload);
    d.socket.emit(event, payload);
  };
  const request = <T extends object>(event: string, payload: unknown): Promise<Ack<T>> =>
    new Promise((resolve) => {
      log('send', event, payload);
      const timer = setTimeout(() => resolve({ ok: false, code: 'internal', message: 'timeout' }), ACK_TIMEOUT_MS);
      d.socket.emit(event, payload, (res: unknown) => {
        clearTimeout(timer);
        resolve(isObject(res) && typeof res.ok === 'boolean' ? (res as Ack<T>) : { ok: false, code: 'internal' });
      });
    });

  const current = (c: Call): boolean => call === c && c.phase !== 'ended';
  const later = (c: Call, ms: number, fn: () => unknown): void => {
    const t = setTimeout(
      guard(() => {
        c.timers.delete(t);
        return fn();
      }),
      ms,
    );
    c.timers.add(t);
  };
  const elapsed = (c: Call): number | null => (c.acceptedAt == null ? null : now() - c.acceptedAt);

  const enter = (c: Call, phase: ViewState): void => {
    c.phase = phase;
    c.view.setState(phase);
  };

  /** What the tab's next page needs to carry the call on: the resume token and the mute/camera choices. */
  const remember = (c: Call): void => {
    d.memory?.set(c.resumeToken ? json({ c: c.invite.callId, t: c.resumeToken, m: c.muted, v: c.cameraOff }) : null);
  };
  const recall = (c: Call): void => {
    try {
      const saved: unknown = JSON.parse(d.memory?.get() ?? 'null');
      if (isObject(saved) && saved.c === c.invite.callId) {
        c.resumeToken = typeof saved.t === 'string' ? saved.t : null;
        c.muted = saved.m === true;
        c.cameraOff = saved.v === true;
      }
    } catch {
      // nothing usable stored
    }
  };

  const showControls = (c: Call): void => {
    for (const t of c.stream?.getAudioTracks() ?? []) t.enabled = !c.muted;
    for (const t of c.stream?.getVideoTracks() ?? []) t.enabled = !c.cameraOff;
    c.view.setControls({ muted: c.muted, cameraOff: c.cameraOff, hasVideo: c.media.video });
  };
  const sendMediaState = (c: Call): void => {
    send('call:media', { callId: c.invite.callId, audio: c.media.audio && !c.muted, video: c.media.video && !c.cameraOff });
  };
  const showRemote = (c: Call): void => {
    const hasVideo = !!c.remoteStream?.getVideoTracks().length;
    c.view.setRemoteMedia(remoteNote(c.invite.agent.name, c.remote), hasVideo && (c.remote?.video !== false || !!c.remote.screen));
  };

  const startClock = (c: Call): void => {
    const show = (): void => {
      const ms = elapsed(c);
      if (ms != null) c.view.setTimer(formatDuration(ms));
    };
    show();
    clearInterval(c.tick);
    c.tick = setInterval(guard(show), 1000);
  };

  /** Ends the call on this page: everything released; the reason stays on screen for a while. */
  const finish = (c: Call, text: string | null): void => {
    if (c.phase === 'ended') return;
    const took = elapsed(c);
    c.phase = 'ended';
    c.peerGen++;
    clearInterval(c.tick);
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    c.stopWatching?.();
    c.peer?.destroy();
    c.peer = null;
    stopTracks(c.stream);
    d.memory?.set(null);
    if (text === null) return dismiss(c);
    c.view.setState('ended');
    c.view.setTimer(formatDuration(took ?? 0));
    c.view.setMessage(text);
    setTimeout(guard(() => dismiss(c)), text === c.problemText ? PROBLEM_VISIBLE_MS : ENDED_VISIBLE_MS);
  };
  const dismiss = (c: Call): void => {
    if (c.phase !== 'ended') finish(c, null);
    c.view.remove();
    if (call === c) call = null;
  };

  const useMedia = (c: Call, local: LocalMedia): void => {
    if (c.stream !== local.stream) stopTracks(c.stream);
    c.stream = local.stream;
    c.media = local.media;
    c.problems = local.problems;
    c.problemText = mediaMessage(c.want, local.media, local.problems, c.invite.agent.name);
    c.view.setMessage(c.problemText);
    c.view.setLocal(local.stream);
    showControls(c);
  };

  const connectPeer = (c: Call, ice: IceConfig): void => {
    c.peer?.destroy();
    const gen = ++c.peerGen;
    c.peerUp = false;
    if (c.phase === 'in-call') enter(c, 'reconnecting');
    const mine = (): boolean => current(c) && c.peerGen === gen;
    c.peer = d.createPeer({
      initiator: true,
      stream: c.stream,
      ice,
      onSignal: guard((data: string) => mine() && send('call:signal', { callId: c.invite.callId, data } satisfies CallSignal)),
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
        send('call:connected', { callId: c.invite.callId });
        if (c.muted || c.cameraOff) sendMediaState(c);
      }),
      onClose: guard(() => {
        if (!mine()) return;
        c.peerUp = false;
        // The agent hung up (call:ended is on its way) or the connection broke: give the
        // server a moment, then try a fresh connection.
        later(c, LOST_PEER_WAIT_MS, () => mine() && reconnect(c));
      }),
      onError: guard((err: Error) => log('peer error', err)),
    });
  };

  const accept = async (c: Call, video: boolean): Promise<void> => {
    if (c.phase !== 'ringing') return;
    c.want = { audio: true, video };
    enter(c, 'connecting');
    // The browser may now ask for permission: the server keeps ringing meanwhile.
    send('call:answering', { callId: c.invite.callId });
    const local = await d.getMedia(c.want);
    if (!current(c)) return stopTracks(local.stream);
    useMedia(c, local);
    c.accepted = true;
    const accepted = request<{ ice: IceConfig; resumeToken: string }>('call:accept', { callId: c.invite.callId, media: local.media, problems: local.problems });
    // Nothing to send: the server ends the call (media_unavailable) and tells the agent why.
    if (!local.stream) return finish(c, c.problemText);
    c.stopWatching = d.watchLeaving(guard(() => leaving(c)));
    const res = await accepted;
    if (!current(c)) return;
    if (!res.ok) {
      // Refused or unanswered: make sure the server does not keep the agent waiting on it.
      if (res.code !== 'gone') send('call:hangup', { callId: c.invite.callId });
      return finish(c, refusedMessage(res.code));
    }
    c.resumeToken = res.resumeToken;
    remember(c);
    c.acceptedAt = now();
    startClock(c);
    connectPeer(c, res.ice);
  };

  /** A new peer for the same call: after a navigation (ongoing), a dropped connection, or a navigation that did not happen. */
  const reconnect = async (c: Call): Promise<void> => {
    if (!current(c) || c.rejoining) return;
    if (c.reconnects++ >= MAX_RECONNECTS) {
      send('call:hangup', { callId: c.invite.callId });
      return finish(c, C.interrupted);
    }
    c.rejoining = true;
    try {
      await rejoin(c);
    } finally {
      c.rejoining = false;
    }
  };
  const rejoin = async (c: Call): Promise<void> => {
    if (!c.peerUp) enter(c, 'reconnecting');
    if (!isLive(c.stream)) {
      const local = await d.getMedia(c.want);
      if (!current(c)) return stopTracks(local.stream);
      useMedia(c, local);
    }
    c.away = false;
    const rejoined = request<{ ice: IceConfig }>('call:rejoin', { callId: c.invite.callId, resumeToken: c.resumeToken, media: c.media, problems: c.problems });
    if (!c.stream) return finish(c, c.problemText);
    const res = await rejoined;
    if (!current(c)) return;
    if (res.ok) return connectPeer(c, res.ice);
    if (res.code === 'gone') return finish(c, C.ended(''));
    // The server kept the call where it was: the old connection, if it still works, goes on.
    if (!c.peerUp) later(c, LOST_PEER_WAIT_MS, () => reconnect(c));
  };

  const leaving = (c: Call): void => {
    if (!current(c) || c.away) return;
    c.away = true;
    send('call:navigating', { callId: c.invite.callId });
    // Still here a while later: the navigation did not happen (a download, a cancelled load),
    // and the server is waiting for this tab's next page. Take the call over again from here.
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    later(c, STAYED_MS, () => reconnect(c));
  };

  const open = (invite: CallInvite): Call => {
    const c: Call = {
      invite,
      view: undefined as unknown as CallView,
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
    };
    c.view = d.view(invite, {
      accept: guard((video: boolean) => accept(c, video)),
      decline: guard(() => {
        if (c.phase !== 'ringing') return;
        send('call:decline', { callId: invite.callId });
        finish(c, null);
      }),
      mute: guard(() => {
        if (!current(c) || !c.media.audio) return;
        c.muted = !c.muted;
        showControls(c);
        sendMediaState(c);
        remember(c);
      }),
      camera: guard(() => {
        if (!current(c) || !c.media.video) return;
        c.cameraOff = !c.cameraOff;
        showControls(c);
        sendMediaState(c);
        remember(c);
      }),
      hangup: guard(() => {
        if (!current(c)) return;
        // Before call:accept went out (camera prompt still open) the call is still ringing.
        send(c.accepted ? 'call:hangup' : 'call:decline', { callId: invite.callId });
        const took = elapsed(c);
        finish(c, C.ended(tookText(took)));
      }),
      close: guard(() => dismiss(c)),
    });
    c.view.setControls({ muted: false, cameraOff: false, hasVideo: false });
    return c;
  };

  const valid = (v: unknown): v is CallInvite => {
    const agent = isObject(v) ? v.agent : null;
    return hasCallId(v) && isObject(agent) && typeof agent.name === 'string';
  };

  d.socket.on(
    'call:invite',
    guard((invite: CallInvite) => {
      if (!valid(invite)) return log('bad invite', invite);
      if (call && call.phase !== 'ended') {
        if (call.invite.callId === invite.callId) return; // sent again (reconnect)
        if (call.phase !== 'ringing') return log('invite during a call: ignored', invite.callId);
        finish(call, null);
      } else if (call) dismiss(call);
      call = open(invite);
      call.view.setState('ringing');
    }),
  );

  d.socket.on(
    'call:ongoing',
    guard((o: CallInvite & { acceptedAt: number; media: CallMedia }) => {
      if (!valid(o) || !isObject(o.media)) return log('bad ongoing call', o);
      // This page was already in the call (its socket reconnected): a new peer, same media.
      if (call && current(call) && call.invite.callId === o.callId) return reconnect(call);
      if (call) finish(call, null);
      const c = (call = open(o));
      c.accepted = true;
      c.want = { audio: o.media.audio === true, video: o.media.video === true };
      c.acceptedAt = typeof o.acceptedAt === 'number' ? o.acceptedAt : now();
      recall(c);
      if (!c.resumeToken) {
        // This tab has no record of being in the call (its visitor hung up here and the news
        // crossed a reconnect, or its storage is gone): end it rather than rejoin unasked.
        send('call:hangup', { callId: o.callId });
        return finish(c, null);
      }
      enter(c, 'reconnecting');
      startClock(c);
      c.stopWatching = d.watchLeaving(guard(() => leaving(c)));
      return reconnect(c);
    }),
  );

  d.socket.on(
    'call:signal',
    guard((s: CallSignal) => {
      if (call && current(call) && hasCallId(s) && s.callId === call.invite.callId && typeof s.data === 'string') call.peer?.signal(s.data);
    }),
  );

  d.socket.on(
    'call:media',
    guard((m: { callId: string } & CallMediaState) => {
      if (!call || !current(call) || !hasCallId(m) || m.callId !== call.invite.callId) return;
      call.remote = { audio: m.audio !== false, video: m.video !== false, screen: m.screen === true };
      showRemote(call);
    }),
  );

  d.socket.on(
    'call:ended',
    guard((end: CallEnd) => {
      const c = call;
      if (!c || !current(c) || !hasCallId(end) || end.callId !== c.invite.callId) return;
      const text = end.reason === 'media_unavailable' && c.problemText ? c.problemText : endMessage(end, c.invite.agent.name, elapsed(c));
      finish(c, text);
    }),
  );
}
