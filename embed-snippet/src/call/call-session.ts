// The visitor's side of a call, from invitation to end:
//   call:invite -> ringing view; nothing touches camera, microphone or WebRTC until a click.
//   accept -> media (with fallbacks) -> call:accept -> ack {ice} -> initiator peer -> connect
//     -> call:connected, in-call view; hang up or call:ended -> tracks stopped, peer destroyed,
//     reason shown, card removed a few seconds later.
//   Leaving for another page of the site mid-call -> call:navigating; the next page gets
//     call:ongoing -> same media again (no prompt, no click) -> call:rejoin -> new peer.
// Its dependencies come in as arguments (socket, view, media, peer, navigation watcher), so the
// whole flow runs in unit tests without a browser. This file routes the server's call events;
// the steps live beside it: call-actions (the card's buttons), call-accept, call-peer,
// call-rejoin (page changes, dropped connections), call-screen, call-end.
import type { CallEnd, CallInvite, CallMedia, CallMediaState, CallSignal } from '../../../server/protocol';
import { openCall } from './call-actions';
import { dismiss, finish } from './call-end';
import { recall, reconnect, watchNavigation } from './call-rejoin';
import { showRemote, startClock } from './call-screen';
import { hasCallId, isObject, send, validInvite } from './call-signaling';
import { current, elapsed, enter, type Call, type CallDeps, type Session } from './call-state';
import { endMessage } from './messages';
import { guard, log } from './safe';

export type { CallDeps, CallSocket } from './call-state';
export { ACK_TIMEOUT_MS } from './call-signaling';
export { ENDED_VISIBLE_MS, PROBLEM_VISIBLE_MS } from './call-end';
export { LOST_PEER_WAIT_MS } from './call-peer';
export { STAYED_MS } from './call-rejoin';

export function startCalls(d: CallDeps): void {
  const s: Session = { ...d, now: d.now ?? Date.now, call: null };
  /** The call in progress, if the server's event is about it. */
  const named = (v: unknown): Call | null => {
    const c = s.call;
    return c && current(c) && hasCallId(v) && v.callId === c.invite.callId ? c : null;
  };

  d.socket.on(
    'call:invite',
    guard((invite: CallInvite) => {
      if (!validInvite(invite)) return log('bad invite', invite);
      const call = s.call;
      if (call && call.phase !== 'ended') {
        if (call.invite.callId === invite.callId) return; // sent again (reconnect)
        if (call.phase !== 'ringing') return log('invite during a call: ignored', invite.callId);
        finish(call, null);
      } else if (call) dismiss(call);
      s.call = openCall(s, invite);
      s.call.view.setState('ringing');
    }),
  );

  d.socket.on(
    'call:ongoing',
    guard((o: CallInvite & { acceptedAt: number; media: CallMedia }) => {
      if (!validInvite(o) || !isObject(o.media)) return log('bad ongoing call', o);
      // This page was already in the call (its socket reconnected): a new peer, same media.
      const same = named(o);
      if (same) return reconnect(same);
      if (s.call) finish(s.call, null);
      const c = (s.call = openCall(s, o));
      c.accepted = true;
      c.want = { audio: o.media.audio === true, video: o.media.video === true };
      c.acceptedAt = typeof o.acceptedAt === 'number' ? o.acceptedAt : s.now();
      recall(c);
      if (!c.resumeToken) {
        // This tab has no record of being in the call (its visitor hung up here and the news
        // crossed a reconnect, or its storage is gone): end it rather than rejoin unasked.
        send(c, 'call:hangup');
        return finish(c, null);
      }
      enter(c, 'reconnecting');
      startClock(c);
      watchNavigation(c);
      return reconnect(c);
    }),
  );

  d.socket.on(
    'call:signal',
    guard((sig: CallSignal) => {
      const c = named(sig);
      if (c && typeof sig.data === 'string') c.peer?.signal(sig.data);
    }),
  );

  d.socket.on(
    'call:media',
    guard((m: { callId: string } & CallMediaState) => {
      const c = named(m);
      if (!c) return;
      c.remote = { audio: m.audio !== false, video: m.video !== false, screen: m.screen === true };
      showRemote(c);
    }),
  );

  d.socket.on(
    'call:ended',
    guard((end: CallEnd) => {
      const c = named(end);
      if (!c) return;
      const text = end.reason === 'media_unavailable' && c.problemText ? c.problemText : endMessage(end, c.invite.agent.name, elapsed(c));
      finish(c, text);
    }),
  );
}
