// The visitor's call flow (embed-snippet/src/call/call-session.ts) on one page: the invitation,
// then accept, talk and hang up, with every dependency faked (test/support/call-session-fakes.ts).
// Moving between pages mid-call is in call-session-across-pages.test.ts.
import { describe, expect, it, vi } from 'vitest';
import type { MediaProblem } from '../../server/protocol';
import { ENDED_VISIBLE_MS } from '../../embed-snippet/src/call/call-session';
import type { LocalMedia } from '../../embed-snippet/src/call/media';
import { ICE, INVITE, fakeStream, fakeTimersPerTest, settle, setup } from '../support/call-session-fakes';

fakeTimersPerTest();

describe('visitor call: invitation', () => {
  it('shows the invitation and touches neither media nor WebRTC until a click', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    await settle();
    expect(t.view().log.state).toBe('ringing');
    expect(t.view().invite).toEqual(INVITE);
    expect(t.getMedia).not.toHaveBeenCalled();
    expect(t.createPeer).not.toHaveBeenCalled();
    expect(t.sent).toEqual([]);
  });

  it('declines: tells the server and goes away, still without media', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.decline();
    expect(t.events('call:decline')).toEqual([{ callId: 'call-1' }]);
    expect(t.view().removed).toBe(true);
    expect(t.getMedia).not.toHaveBeenCalled();
  });

  it('shows why ringing stopped, or just goes away when answered in another tab', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.server('call:ended', { callId: 'call-1', outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null });
    expect(t.view().log).toMatchObject({ state: 'ended', message: 'Missed call from Ana' });
    expect(t.view().removed).toBe(false);
    await vi.advanceTimersByTimeAsync(ENDED_VISIBLE_MS);
    expect(t.view().removed).toBe(true);

    t.server('call:invite', { ...INVITE, callId: 'call-2' });
    t.server('call:ended', { callId: 'call-2', outcome: 'answered', reason: 'answered_elsewhere', by: 'visitor', durationMs: null });
    expect(t.view().removed).toBe(true);
  });

  it('ignores call:ended for another call and survives garbage payloads', () => {
    const t = setup();
    for (const event of ['call:invite', 'call:ongoing', 'call:ended', 'call:signal', 'call:media'])
      for (const junk of [null, undefined, 'x', 42, {}, { callId: 7 }, { callId: 'call-1', agent: null }]) expect(() => t.server(event, junk)).not.toThrow();
    expect(t.views).toHaveLength(0);
    t.server('call:invite', INVITE);
    t.server('call:ended', { callId: 'other', reason: 'no_answer' });
    expect(t.view().log.state).toBe('ringing');
  });
});

describe('visitor call: accept, talk, hang up', () => {
  it('gets media on accept, then accepts, then starts the initiator peer with the ack ICE', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    expect(t.view().log.state).toBe('connecting');
    await settle();
    expect(t.asked).toEqual([{ audio: true, video: true }]);
    expect(t.events('call:accept')).toEqual([{ callId: 'call-1', media: { audio: true, video: true }, problems: [] }]);
    expect(t.peers).toHaveLength(1);
    expect(t.peers[0]).toMatchObject({ initiator: true, ice: ICE, stream: t.streams[0] });
    expect(t.watching()).toBe(1);

    // Signals both ways, for this call only.
    t.peers[0]!.onSignal('{"type":"offer"}');
    expect(t.events('call:signal')).toEqual([{ callId: 'call-1', data: '{"type":"offer"}' }]);
    t.server('call:signal', { callId: 'call-1', data: '{"type":"answer"}' });
    t.server('call:signal', { callId: 'other', data: '{"type":"answer"}' });
    expect(t.peers[0]!.signals).toEqual(['{"type":"answer"}']);

    t.peers[0]!.onConnect();
    expect(t.view().log.state).toBe('in-call');
    expect(t.events('call:connected')).toEqual([{ callId: 'call-1' }]);

    const remote = fakeStream(['audio', 'video']);
    t.peers[0]!.onStream(remote as unknown as MediaStream);
    expect(t.view().log.remote).toBe(remote);
    expect(t.view().log.remoteMedia).toEqual({ note: '', showVideo: true });
    t.server('call:media', { callId: 'call-1', audio: false, video: false });
    expect(t.view().log.remoteMedia).toEqual({ note: "Ana muted · Ana's camera is off", showVideo: false });

    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.view().log.timer).toBe('00:05');
  });

  it('mute and camera off disable the local tracks and tell the agent', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    const [audio, video] = t.streams[0]!.tracks;
    t.view().actions.mute();
    expect(audio!.enabled).toBe(false);
    expect(t.view().log.controls).toEqual({ muted: true, cameraOff: false, hasVideo: true });
    t.view().actions.camera();
    expect(video!.enabled).toBe(false);
    expect(t.events('call:media')).toEqual([
      { callId: 'call-1', audio: false, video: true },
      { callId: 'call-1', audio: false, video: false },
    ]);
    t.view().actions.mute();
    expect(audio!.enabled).toBe(true);
    // Kept for this tab's next page, with the token that lets it rejoin.
    expect(JSON.parse(t.stored()!)).toEqual({ c: 'call-1', t: 'token-1', m: false, v: true });
  });

  it('hang up: tells the server, stops every track, destroys the peer, shows the duration, then goes away', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.peers[0]!.onConnect();
    await vi.advanceTimersByTimeAsync(151_000);
    t.view().actions.hangup();
    expect(t.events('call:hangup')).toEqual([{ callId: 'call-1' }]);
    expect(t.streams[0]!.tracks.map((x) => x.readyState)).toEqual(['ended', 'ended']);
    expect(t.peers[0]!.destroyed).toBe(true);
    expect(t.view().log).toMatchObject({ state: 'ended', message: 'Call ended · 02:31' });
    expect(t.watching()).toBe(0);
    // The server's own call:ended for it changes nothing.
    t.server('call:ended', { callId: 'call-1', outcome: 'answered', reason: 'hangup', by: 'visitor', durationMs: 151_000 });
    expect(t.view().log.message).toBe('Call ended · 02:31');
    t.view().actions.close();
    expect(t.view().removed).toBe(true);
  });

  it('the agent hangs up: same cleanup, and the reason', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(false);
    await settle();
    expect(t.asked).toEqual([{ audio: true, video: false }]);
    t.server('call:ended', { callId: 'call-1', outcome: 'answered', reason: 'hangup', by: 'agent', durationMs: 62_000 });
    expect(t.view().log).toMatchObject({ state: 'ended', message: 'Ana ended the call · 01:02' });
    expect(t.streams[0]!.tracks.every((x) => x.readyState === 'ended')).toBe(true);
    expect(t.peers[0]!.destroyed).toBe(true);
  });

  it('camera blocked: accepts audio only and says so', async () => {
    const t = setup({ media: () => ({ stream: fakeStream(['audio']) as unknown as MediaStream, media: { audio: true, video: false }, problems: ['camera_denied'] }) });
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    expect(t.events('call:accept')).toEqual([{ callId: 'call-1', media: { audio: true, video: false }, problems: ['camera_denied'] }]);
    expect(t.view().log.message).toBe('Your camera is blocked, so this call is audio only');
    expect(t.view().log.controls).toMatchObject({ hasVideo: false });
    expect(t.peers).toHaveLength(1);
  });

  it('nothing usable: accepts with no media (the server ends the call) and never creates a peer', async () => {
    const problems: MediaProblem[] = ['camera_denied', 'microphone_denied'];
    const t = setup({ media: () => ({ stream: null, media: { audio: false, video: false }, problems }) });
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    expect(t.events('call:accept')).toEqual([{ callId: 'call-1', media: { audio: false, video: false }, problems }]);
    expect(t.createPeer).not.toHaveBeenCalled();
    expect(t.view().log).toMatchObject({ state: 'ended', message: 'Your camera and microphone are blocked, so the call cannot start' });
  });

  it('the invitation ends while the browser is still asking for the camera: the tracks are stopped at once', async () => {
    let give!: (m: LocalMedia) => void;
    const stream = fakeStream(['audio', 'video']);
    const t = setup({ media: () => new Promise<LocalMedia>((r) => (give = r)) });
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.server('call:ended', { callId: 'call-1', outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null });
    give({ stream: stream as unknown as MediaStream, media: { audio: true, video: true }, problems: [] });
    await settle();
    expect(stream.tracks.every((x) => x.readyState === 'ended')).toBe(true);
    expect(t.events('call:accept')).toEqual([]);
    expect(t.view().log.message).toBe('Missed call from Ana');
  });

  it('hanging up before the accept went out declines instead', async () => {
    const t = setup({ media: () => new Promise<LocalMedia>(() => {}) });
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.view().actions.hangup();
    // The server heard "answering" (the prompt is open), then the decline.
    expect(t.events()).toEqual(['call:answering', 'call:decline']);
  });

  it('a refused accept ends the call with a message and releases the media', async () => {
    const t = setup();
    t.acks['call:accept'] = { ok: false, code: 'gone' };
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    expect(t.view().log).toMatchObject({ state: 'ended', message: 'This call has already ended' });
    expect(t.streams[0]!.tracks.every((x) => x.readyState === 'ended')).toBe(true);
    expect(t.createPeer).not.toHaveBeenCalled();
  });
});
