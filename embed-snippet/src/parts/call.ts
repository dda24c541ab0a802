// /embed/call.js: the visitor's side of video calls, loaded by the core on the first call:*
// event (src/parts.ts). It registers with Porchlight('part', 'call', init); the core then
// replays the call events that arrived while this file was loading.
import type { PartContext } from '../parts';
import { setAvatarBase } from '../call/avatar';
import { createCallView } from '../call/call-ui';
import { isLook } from '../chat/look';
import { startCalls } from '../call/call-session';
import { getMedia } from '../call/media';
import { watchLeaving } from '../call/navigation-hint';
import { guard, setLog } from '../call/safe';
import { createPeer } from '../rtc/peer';

/** The mute and camera choices of the call in progress, for the next page of this tab. */
const KEY = '_porchlight_call';
const memory = {
  get: (): string | null => {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set: (value: string | null): void => {
    try {
      if (value == null) sessionStorage.removeItem(KEY);
      else sessionStorage.setItem(KEY, value);
    } catch {
      // storage blocked: the choices last for this page only
    }
  },
};

guard(() =>
  window.Porchlight?.('part', 'call', (ctx: PartContext) => {
    setLog(ctx.log);
    setAvatarBase(ctx.base);
    startCalls({ socket: ctx.socket, view: (invite, on) => createCallView(invite, on, isLook(ctx.chat.look) ? ctx.chat.look : undefined), getMedia: (want) => getMedia(want), createPeer, watchLeaving, memory });
  }),
)();
