// The visitor's camera and microphone with fallbacks (embed-snippet/src/call/media.ts), against
// a fake navigator.mediaDevices that refuses what a test says.
import { describe, expect, it } from 'vitest';
import { getMedia, isLive, problemOf, stopTracks } from '../../embed-snippet/src/call/media';

type Kind = 'audio' | 'video';

function fakeTrack(kind: Kind) {
  const t = { kind, enabled: true, readyState: 'live' as 'live' | 'ended', stop: () => void (t.readyState = 'ended') };
  return t;
}
function fakeStream(kinds: Kind[]): MediaStream {
  const tracks = kinds.map(fakeTrack);
  return {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  } as unknown as MediaStream;
}

/** Devices where each kind is fine, denied (NotAllowedError) or missing (NotFoundError). */
function devices(camera: 'ok' | 'denied' | 'missing' | 'busy', microphone: 'ok' | 'denied' | 'missing') {
  const asked: MediaStreamConstraints[] = [];
  const error = (s: string) => Object.assign(new Error(s), { name: s === 'denied' ? 'NotAllowedError' : s === 'busy' ? 'NotReadableError' : 'NotFoundError' });
  return {
    asked,
    getUserMedia: async (c: MediaStreamConstraints = {}) => {
      asked.push(c);
      if (c.video && camera !== 'ok') throw error(camera);
      if (c.audio && microphone !== 'ok') throw error(microphone);
      return fakeStream([...(c.audio ? ['audio' as const] : []), ...(c.video ? ['video' as const] : [])]);
    },
  };
}

const both = { audio: true, video: true };

describe('getting the visitor camera and microphone', () => {
  it('gets both in one request when both work', async () => {
    const d = devices('ok', 'ok');
    const got = await getMedia(both, d);
    expect(got.media).toEqual(both);
    expect(got.problems).toEqual([]);
    expect(d.asked).toHaveLength(1);
  });

  it('falls back to audio only when the camera is blocked or missing', async () => {
    expect(await getMedia(both, devices('denied', 'ok'))).toMatchObject({ media: { audio: true, video: false }, problems: ['camera_denied'] });
    expect(await getMedia(both, devices('missing', 'ok'))).toMatchObject({ media: { audio: true, video: false }, problems: ['camera_missing'] });
    // In use by another application: counted as missing.
    expect(await getMedia(both, devices('busy', 'ok'))).toMatchObject({ media: { audio: true, video: false }, problems: ['camera_missing'] });
  });

  it('falls back to video only when the microphone is the problem', async () => {
    const got = await getMedia(both, devices('ok', 'denied'));
    expect(got).toMatchObject({ media: { audio: false, video: true }, problems: ['microphone_denied'] });
    expect(got.stream?.getVideoTracks()).toHaveLength(1);
  });

  it('reports both problems and returns no stream when nothing works', async () => {
    expect(await getMedia(both, devices('denied', 'denied'))).toEqual({ stream: null, media: { audio: false, video: false }, problems: ['camera_denied', 'microphone_denied'] });
    expect(await getMedia(both, devices('missing', 'denied'))).toMatchObject({ stream: null, problems: ['camera_missing', 'microphone_denied'] });
  });

  it('never asks for the camera when the visitor chose audio only', async () => {
    const d = devices('ok', 'ok');
    expect(await getMedia({ audio: true, video: false }, d)).toMatchObject({ media: { audio: true, video: false }, problems: [] });
    expect(d.asked.every((c) => !c.video)).toBe(true);
    expect(await getMedia({ audio: true, video: false }, devices('ok', 'denied'))).toMatchObject({ stream: null, problems: ['microphone_denied'] });
  });

  it('treats a page without mediaDevices (plain http) as having neither', async () => {
    expect(await getMedia(both, undefined)).toMatchObject({ stream: null, problems: ['camera_missing', 'microphone_missing'] });
  });

  it('classifies errors', () => {
    expect(problemOf('camera', { name: 'NotAllowedError' })).toBe('camera_denied');
    expect(problemOf('camera', { name: 'SecurityError' })).toBe('camera_denied');
    expect(problemOf('microphone', { name: 'OverconstrainedError' })).toBe('microphone_missing');
    expect(problemOf('microphone', null)).toBe('microphone_missing');
  });

  it('stops every track and knows when a stream is no longer live', async () => {
    const { stream } = await getMedia(both, devices('ok', 'ok'));
    expect(isLive(stream)).toBe(true);
    stopTracks(stream);
    expect(stream!.getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended']);
    expect(isLive(stream)).toBe(false);
    expect(isLive(null)).toBe(false);
    stopTracks(null);
  });
});
