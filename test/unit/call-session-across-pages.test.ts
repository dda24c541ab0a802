// The visitor's call flow (embed-snippet/src/call/call-session.ts) across pages: navigating,
// rejoining on the next page, reconnects and lost peers, with every dependency faked
// (test/support/call-session-fakes.ts).
import { describe, expect, it, vi } from 'vitest';
import { LOST_PEER_WAIT_MS, STAYED_MS } from '../../embed-snippet/src/call/call-session';
import { ICE, INVITE, fakeTimersPerTest, settle, setup } from '../support/call-session-fakes';

fakeTimersPerTest();

describe('visitor call: across pages', () => {
  it('says call:navigating once when the page leaves; a page still here later takes the call over again', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.peers[0]!.onConnect();
    t.leave();
    t.leave(); // pagehide after the navigate event
    expect(t.events('call:navigating')).toEqual([{ callId: 'call-1' }]);
    await vi.advanceTimersByTimeAsync(STAYED_MS);
    await settle();
    expect(t.events('call:rejoin')).toEqual([{ callId: 'call-1', resumeToken: 'token-1', media: { audio: true, video: true }, problems: [] }]);
    expect(t.peers).toHaveLength(2);
    expect(t.peers[0]!.destroyed).toBe(true);
    // Same stream: no second camera request.
    expect(t.getMedia).toHaveBeenCalledTimes(1);
    expect(t.peers[1]!.stream).toBe(t.streams[0]);
    t.leave();
    expect(t.events('call:navigating')).toHaveLength(2);
  });

  it('call:ongoing on the next page: same media without a click, call:rejoin, timer from acceptedAt, mute remembered', async () => {
    const t = setup({ memory: JSON.stringify({ c: 'call-1', t: 'token-1', m: true, v: false }) });
    t.server('call:ongoing', { ...INVITE, acceptedAt: Date.now() - 65_000, media: { audio: true, video: false } });
    expect(t.view().log.state).toBe('reconnecting');
    expect(t.view().log.timer).toBe('01:05');
    await settle();
    expect(t.asked).toEqual([{ audio: true, video: false }]);
    expect(t.events('call:rejoin')).toEqual([{ callId: 'call-1', resumeToken: 'token-1', media: { audio: true, video: false }, problems: [] }]);
    expect(t.peers[0]).toMatchObject({ initiator: true, ice: ICE });
    expect(t.streams[0]!.tracks[0]!.enabled).toBe(false); // still muted
    t.peers[0]!.onConnect();
    expect(t.view().log.state).toBe('in-call');
    expect(t.events('call:media')).toEqual([{ callId: 'call-1', audio: false, video: false }]);
    expect(t.watching()).toBe(1);
  });

  it('call:ongoing in a tab that has no record of the call (it hung up meanwhile): hangs up, never touches the camera', async () => {
    const t = setup({ memory: null });
    t.server('call:ongoing', { ...INVITE, acceptedAt: Date.now() - 5_000, media: { audio: true, video: true } });
    await settle();
    expect(t.events('call:hangup')).toEqual([{ callId: 'call-1' }]);
    expect(t.getMedia).not.toHaveBeenCalled();
    expect(t.events('call:rejoin')).toEqual([]);
  });

  it('hang up after moving to another page hangs up (it does not decline)', async () => {
    const t = setup({ memory: JSON.stringify({ c: 'call-1', t: 'token-1', m: false, v: false }) });
    t.server('call:ongoing', { ...INVITE, acceptedAt: Date.now() - 5_000, media: { audio: true, video: true } });
    await settle();
    t.peers[0]!.onConnect();
    t.view().actions.hangup();
    expect(t.events('call:hangup')).toEqual([{ callId: 'call-1' }]);
    expect(t.events('call:decline')).toEqual([]);
  });

  it('an accept the server refuses is hung up, so the agent is not left waiting', async () => {
    const t = setup();
    t.acks['call:accept'] = { ok: false, code: 'internal' };
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    expect(t.events('call:hangup')).toEqual([{ callId: 'call-1' }]);
    expect(t.streams[0]!.tracks.every((x) => x.readyState === 'ended')).toBe(true);
  });

  it('call:ongoing for the call this page is already in (its socket reconnected): a new peer, same stream', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.peers[0]!.onConnect();
    t.server('call:ongoing', { ...INVITE, acceptedAt: Date.now(), media: { audio: true, video: true } });
    await settle();
    expect(t.views).toHaveLength(1);
    expect(t.getMedia).toHaveBeenCalledTimes(1);
    expect(t.peers).toHaveLength(2);
    expect(t.view().log.state).toBe('reconnecting');
  });

  it('a peer that closes without call:ended is replaced; a call:ended in time wins', async () => {
    const t = setup();
    t.server('call:invite', INVITE);
    t.view().actions.accept(true);
    await settle();
    t.peers[0]!.onConnect();
    t.peers[0]!.onClose();
    await vi.advanceTimersByTimeAsync(LOST_PEER_WAIT_MS);
    await settle();
    expect(t.events('call:rejoin')).toHaveLength(1);
    expect(t.peers).toHaveLength(2);

    t.peers[1]!.onClose();
    t.server('call:ended', { callId: 'call-1', outcome: 'answered', reason: 'hangup', by: 'agent', durationMs: 1000 });
    await vi.advanceTimersByTimeAsync(LOST_PEER_WAIT_MS);
    expect(t.events('call:rejoin')).toHaveLength(1);
    expect(t.view().log.state).toBe('ended');
  });
});
