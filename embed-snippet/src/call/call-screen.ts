// What the card shows while a call runs, kept in step with the call: the visitor's own media
// and mute/camera controls (the agent told of changes), what the agent sends, and the clock.
import { send } from './call-signaling';
import { elapsed, type Call } from './call-state';
import { stopTracks, type LocalMedia } from './media';
import { mediaMessage, remoteNote } from './messages';
import { guard } from './safe';
import { formatDuration } from './time';

export const showControls = (c: Call): void => {
  for (const t of c.stream?.getAudioTracks() ?? []) t.enabled = !c.muted;
  for (const t of c.stream?.getVideoTracks() ?? []) t.enabled = !c.cameraOff;
  c.view.setControls({ muted: c.muted, cameraOff: c.cameraOff, hasVideo: c.media.video });
};

export const sendMediaState = (c: Call): void => {
  send(c, 'call:media', { audio: c.media.audio && !c.muted, video: c.media.video && !c.cameraOff });
};

export const showRemote = (c: Call): void => {
  const hasVideo = !!c.remoteStream?.getVideoTracks().length;
  c.view.setRemoteMedia(remoteNote(c.invite.agent.name, c.remote), hasVideo && (c.remote?.video !== false || !!c.remote.screen));
};

export const startClock = (c: Call): void => {
  const show = (): void => {
    const ms = elapsed(c);
    if (ms != null) c.view.setTimer(formatDuration(ms));
  };
  show();
  clearInterval(c.tick);
  c.tick = setInterval(guard(show), 1000);
};

/** Takes newly acquired media into the call (stopping any it replaces) and says what is missing. */
export const useMedia = (c: Call, local: LocalMedia): void => {
  if (c.stream !== local.stream) stopTracks(c.stream);
  c.stream = local.stream;
  c.media = local.media;
  c.problems = local.problems;
  c.problemText = mediaMessage(c.want, local.media, local.problems, c.invite.agent.name);
  c.view.setMessage(c.problemText);
  c.view.setLocal(local.stream);
  showControls(c);
};
