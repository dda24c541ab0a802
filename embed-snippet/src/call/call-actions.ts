// A new call card and what its buttons do: accept, decline, mute, camera, hang up, close.
import type { CallInvite } from '../../../server/protocol';
import type { ViewActions } from './call-ui';
import { accept } from './call-accept';
import { dismiss, finish } from './call-end';
import { remember } from './call-rejoin';
import { sendMediaState, showControls } from './call-screen';
import { send } from './call-signaling';
import { current, elapsed, newCall, type Call, type Session } from './call-state';
import { C, tookText } from './messages';
import { guard } from './safe';

/** Mute or camera off, on or off again: shown, told to the agent, kept for the next page. */
const toggle = (c: Call, choice: 'muted' | 'cameraOff'): void => {
  if (!current(c) || !c.media[choice === 'muted' ? 'audio' : 'video']) return;
  c[choice] = !c[choice];
  showControls(c);
  sendMediaState(c);
  remember(c);
};

export const openCall = (s: Session, invite: CallInvite): Call => {
  // Buttons act only when clicked, by which time `c` exists.
  const actions: ViewActions = {
    accept: guard((video: boolean) => accept(c, video)),
    decline: guard(() => {
      if (c.phase !== 'ringing') return;
      send(c, 'call:decline');
      finish(c, null);
    }),
    mute: guard(() => toggle(c, 'muted')),
    camera: guard(() => toggle(c, 'cameraOff')),
    hangup: guard(() => {
      if (!current(c)) return;
      // Before call:accept went out (camera prompt still open) the call is still ringing.
      send(c, c.accepted ? 'call:hangup' : 'call:decline');
      const took = elapsed(c);
      finish(c, C.ended(tookText(took)));
    }),
    close: guard(() => dismiss(c)),
  };
  const c = newCall(s, invite, s.view(invite, actions));
  c.view.setControls({ muted: false, cameraOff: false, hasVideo: false });
  return c;
};
