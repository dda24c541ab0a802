// The visitor's camera and microphone, asked for only after they clicked accept (or, after a
// navigation, for a call they had already accepted). What cannot be had is dropped rather than
// failing the call: camera blocked or missing -> audio only; microphone blocked or missing ->
// video only; neither -> no stream, and the problems say why (the server then ends the call).
import type { CallMedia, MediaProblem } from '../../../server/protocol';

export interface LocalMedia {
  stream: MediaStream | null;
  /** What the stream actually carries. */
  media: CallMedia;
  /** Why it carries less than was asked for. */
  problems: MediaProblem[];
}

type Devices = Pick<MediaDevices, 'getUserMedia'>;

const VIDEO: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' };

/** Blocked (by the visitor, the browser or a permissions policy) or missing (absent, in use, broken). */
export function problemOf(kind: 'camera' | 'microphone', err: unknown): MediaProblem {
  const name = (err as { name?: unknown } | null)?.name;
  return `${kind}_${name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'missing'}`;
}

export async function getMedia(want: CallMedia, devices: Devices | undefined = globalThis.navigator?.mediaDevices): Promise<LocalMedia> {
  const ask = async (audio: boolean, video: boolean): Promise<LocalMedia> => {
    // No mediaDevices: an http:// page (not a secure context) or a browser without WebRTC.
    if (!devices?.getUserMedia) throw Object.assign(new Error('no mediaDevices'), { name: 'NotFoundError' });
    const stream = await devices.getUserMedia({ audio, video: video && VIDEO });
    return { stream, media: { audio: stream.getAudioTracks().length > 0, video: stream.getVideoTracks().length > 0 }, problems: [] };
  };
  const none = (problems: MediaProblem[]): LocalMedia => ({ stream: null, media: { audio: false, video: false }, problems });

  if (!want.audio && !want.video) return none([]);
  let first: unknown;
  try {
    return await ask(want.audio, want.video);
  } catch (err) {
    first = err;
  }
  if (!want.audio || !want.video) return none([problemOf(want.video ? 'camera' : 'microphone', first)]);

  // Both were asked for and the pair failed: find out which one is the problem.
  let micErr: unknown;
  try {
    const got = await ask(true, false);
    // The microphone works, so the first failure was the camera's.
    return { ...got, problems: [problemOf('camera', first)] };
  } catch (err) {
    micErr = err;
  }
  try {
    const got = await ask(false, true);
    return { ...got, problems: [problemOf('microphone', micErr)] };
  } catch (err) {
    return none([problemOf('camera', err), problemOf('microphone', micErr)]);
  }
}

export function stopTracks(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Whether every track of the stream still delivers (not stopped, device not unplugged). */
export const isLive = (stream: MediaStream | null): stream is MediaStream =>
  !!stream && stream.getTracks().length > 0 && stream.getTracks().every((t) => t.readyState === 'live');
