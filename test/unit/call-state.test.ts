// The agent's call dock state (app/call/call-state.ts): every transition, stale events, texts.
import { describe, expect, it } from 'vitest';
import {
  callReducer,
  endText,
  formatTimer,
  initialCallState,
  isBusy,
  problemsText,
  remoteVideoText,
  startErrorText,
  statusText,
  type CallAction,
  type CallState,
  type CallTarget,
} from '../../app/call/call-state';
import type { AgentCall, CallEnd } from '../../server/protocol';

const T = 1_750_000_000_000;
const target: CallTarget = { siteId: 'site-1', visitorId: 'v-1', label: 'Alice Ng', video: true };
const agentCall = (o: Partial<AgentCall> = {}): AgentCall => ({
  callId: 'call-1',
  siteId: 'site-1',
  visitorId: 'v-1',
  video: true,
  phase: 'ringing',
  createdAt: T,
  expiresAt: T + 30_000,
  ...o,
});
const end = (o: Partial<CallEnd> = {}): CallEnd => ({ callId: 'call-1', outcome: 'answered', reason: 'hangup', by: 'visitor', durationMs: 151_000, ...o });

const run = (actions: CallAction[], from: CallState = initialCallState) => actions.reduce(callReducer, from);
const ringing = () => run([{ type: 'start', target, at: T }, { type: 'started', call: agentCall(), at: T + 40 }]);
const inCall = () =>
  run([{ type: 'accepted', callId: 'call-1', media: { audio: true, video: true }, problems: [], at: T + 5_000 }, { type: 'peer-connected', callId: 'call-1' }], ringing());

describe('call state', () => {
  it('goes starting -> ringing -> connecting -> in-call', () => {
    const a = run([{ type: 'start', target, at: T }]);
    expect(a.phase).toBe('starting');
    expect(a.target).toEqual(target);
    expect(a.clickedAt).toBe(T);
    expect(isBusy(a)).toBe(true);

    const b = callReducer(a, { type: 'started', call: agentCall(), at: T + 40 });
    expect(b.phase).toBe('ringing');
    expect(b.callId).toBe('call-1');
    expect(b.expiresAt).toBe(T + 30_000);

    const c = callReducer(b, { type: 'accepted', callId: 'call-1', media: { audio: true, video: false }, problems: ['camera_denied'], at: T + 5_000 });
    expect(c.phase).toBe('connecting');
    expect(c.acceptedAt).toBe(T + 5_000);
    expect(c.remote).toEqual({ audio: true, video: false, screen: false });
    expect(c.problems).toEqual(['camera_denied']);

    const d = callReducer(c, { type: 'peer-connected', callId: 'call-1' });
    expect(d.phase).toBe('in-call');
  });

  it('says the visitor is answering while their browser asks for permission, and rings longer', () => {
    const s = callReducer(ringing(), { type: 'answering', callId: 'call-1', expiresAt: T + 45_000 });
    expect(s.phase).toBe('ringing');
    expect(s.expiresAt).toBe(T + 45_000);
    expect(statusText(s)).toMatch(/answering/i);
    expect(statusText(ringing())).not.toMatch(/answering/i);
    // Another call's notice changes nothing.
    expect(callReducer(ringing(), { type: 'answering', callId: 'call-9', expiresAt: T + 45_000 }).answering).toBe(false);
  });

  it('converts the expiry to client time with the measured clock offset', () => {
    const s = run([{ type: 'start', target, at: T }, { type: 'started', call: agentCall(), at: T + 40, clockOffset: 2_000 }]);
    expect(s.expiresAt).toBe(T + 28_000);
  });

  it('does not start a second call while one is going on, but does after it ended', () => {
    const s = inCall();
    const other = { ...target, visitorId: 'v-2' };
    expect(callReducer(s, { type: 'start', target: other, at: T + 9_000 })).toBe(s);
    const ended = callReducer(s, { type: 'ended', end: end(), at: T + 10_000 });
    expect(isBusy(ended)).toBe(false);
    const next = callReducer(ended, { type: 'start', target: other, at: T + 11_000 });
    expect(next.phase).toBe('starting');
    expect(next.target?.visitorId).toBe('v-2');
    expect(next.end).toBeNull();
    expect(next.attempt).toBe(s.attempt + 1);
  });

  it('an audio call starts with the camera off', () => {
    const s = run([{ type: 'start', target: { ...target, video: false }, at: T }]);
    expect(s.local).toEqual({ audio: true, video: false, screen: false });
  });

  it('a refused start ends with an error the agent can read', () => {
    const busy = run([{ type: 'start', target, at: T }, { type: 'start-failed', code: 'busy', message: 'This visitor is in a call with Ana', at: T + 30 }]);
    expect(busy.phase).toBe('ended');
    expect(busy.error).toEqual({ code: 'busy', message: 'This visitor is already in a call', detail: 'This visitor is in a call with Ana' });
    expect(isBusy(busy)).toBe(false);

    const self = run([{ type: 'start', target, at: T }, { type: 'start-failed', code: 'busy', message: 'You are already in a call', at: T + 30 }]);
    expect(self.error).toEqual({ code: 'busy', message: 'You are already in a call', detail: null });

    const gone = run([{ type: 'start', target, at: T }, { type: 'start-failed', code: 'not_found', at: T + 30 }]);
    expect(gone.error?.message).toBe('This visitor has left');
    expect(gone.error?.detail).toBeNull();
    expect(startErrorText('forbidden')).toMatch(/cannot call/);
    expect(startErrorText('internal')).toMatch(/try again/);
  });

  it('ignores events of another call', () => {
    const s = ringing();
    expect(callReducer(s, { type: 'accepted', callId: 'other', media: { audio: true, video: true }, problems: [], at: T })).toBe(s);
    expect(callReducer(s, { type: 'ended', end: end({ callId: 'other' }), at: T })).toBe(s);
    const c = inCall();
    expect(callReducer(c, { type: 'away', callId: 'other' })).toBe(c);
    expect(callReducer(c, { type: 'remote-media', callId: 'other', audio: false, video: false })).toBe(c);
  });

  it('ignores an accept that is not answering a ringing call', () => {
    const c = inCall();
    expect(callReducer(c, { type: 'accepted', callId: 'call-1', media: { audio: true, video: true }, problems: [], at: T + 9_000 })).toBe(c);
  });

  it('goes away while the visitor changes page and back through connecting on rejoin, keeping the timer', () => {
    const c = inCall();
    const away = callReducer(c, { type: 'away', callId: 'call-1' });
    expect(away.phase).toBe('away');
    expect(isBusy(away)).toBe(true);
    const rejoined = callReducer(away, { type: 'rejoined', callId: 'call-1', media: { audio: true, video: false }, problems: ['camera_missing'] });
    expect(rejoined.phase).toBe('connecting');
    expect(rejoined.acceptedAt).toBe(c.acceptedAt);
    expect(rejoined.remote).toEqual({ audio: true, video: false, screen: false });
    expect(rejoined.problems).toEqual(['camera_missing']);
    expect(callReducer(rejoined, { type: 'peer-connected', callId: 'call-1' }).phase).toBe('in-call');
    // A peer that connects again while "away" (the visitor's old page came back) is in call too.
    expect(callReducer(away, { type: 'peer-connected', callId: 'call-1' }).phase).toBe('in-call');
  });

  it('does not go away or rejoin before the call was accepted', () => {
    const s = ringing();
    expect(callReducer(s, { type: 'away', callId: 'call-1' })).toBe(s);
    expect(callReducer(s, { type: 'rejoined', callId: 'call-1', media: { audio: true, video: true }, problems: [] })).toBe(s);
  });

  it('shows what the visitor sends from call:media', () => {
    const s = callReducer(inCall(), { type: 'remote-media', callId: 'call-1', audio: false, video: true });
    expect(s.remote).toEqual({ audio: false, video: true, screen: false });
  });

  it('tracks its own mute, camera and screen share', () => {
    let s = inCall();
    s = callReducer(s, { type: 'local-media', audio: false });
    s = callReducer(s, { type: 'local-media', screen: true });
    expect(s.local).toEqual({ audio: false, video: true, screen: true });
    s = callReducer(s, { type: 'local-notice', message: 'Your camera is blocked' });
    expect(s.localNotice).toBe('Your camera is blocked');
    // Nothing to toggle once it ended.
    const ended = callReducer(s, { type: 'ended', end: end(), at: T + 20_000 });
    expect(callReducer(ended, { type: 'local-media', audio: true })).toBe(ended);
  });

  it('ends on call:ended with the server outcome', () => {
    const s = callReducer(ringing(), { type: 'ended', end: end({ outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null }), at: T + 30_000 });
    expect(s.phase).toBe('ended');
    expect(s.end?.outcome).toBe('missed');
    expect(s.endedAt).toBe(T + 30_000);
  });

  it('ends at once on its own hang-up, and takes the server figures that follow', () => {
    const c = inCall();
    const hung = callReducer(c, { type: 'hung-up', by: 'agent', at: T + 65_000 });
    expect(hung.phase).toBe('ended');
    expect(hung.end).toEqual({ callId: 'call-1', outcome: 'answered', reason: 'hangup', by: 'agent', durationMs: 60_000 });
    const server = end({ by: 'agent', durationMs: 59_870 });
    const after = callReducer(hung, { type: 'ended', end: server, at: T + 65_100 });
    expect(after.end).toEqual(server);
    expect(after.endedAt).toBe(T + 65_000);
  });

  it('a cancel while ringing ends as cancelled, also before the ack came back', () => {
    const r = callReducer(ringing(), { type: 'hung-up', by: 'agent', reason: 'cancelled', at: T + 3_000 });
    expect(r.end).toMatchObject({ outcome: 'cancelled', reason: 'cancelled', durationMs: null });
    const early = run([{ type: 'start', target, at: T }, { type: 'hung-up', by: 'agent', reason: 'cancelled', at: T + 10 }]);
    expect(early.phase).toBe('ended');
    // The ack of the abandoned start changes nothing.
    expect(callReducer(early, { type: 'started', call: agentCall(), at: T + 50 })).toBe(early);
  });

  it('closes only an ended call', () => {
    const c = inCall();
    expect(callReducer(c, { type: 'close' })).toBe(c);
    const closed = callReducer(callReducer(c, { type: 'hung-up', by: 'agent', at: T + 9_000 }), { type: 'close' });
    expect(closed.phase).toBe('idle');
    expect(closed.target).toBeNull();
    expect(closed.attempt).toBe(c.attempt);
  });
});

describe('call texts', () => {
  it('formats the timer as mm:ss, with hours past an hour', () => {
    expect(formatTimer(0)).toBe('00:00');
    expect(formatTimer(151_999)).toBe('02:31');
    expect(formatTimer(3_723_000)).toBe('1:02:03');
    expect(formatTimer(-5_000)).toBe('00:00');
  });

  it('says why a call ended', () => {
    expect(endText(end({ outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null }))).toBe('No answer');
    expect(endText(end({ outcome: 'declined', reason: 'declined', durationMs: null }))).toBe('Declined');
    expect(endText(end({ outcome: 'cancelled', reason: 'cancelled', by: 'agent', durationMs: null }))).toBe('Cancelled');
    expect(endText(end({ by: 'agent', durationMs: 151_000 }))).toBe('Call ended 02:31');
    expect(endText(end({ by: 'visitor' }))).toBe('Visitor hung up · 02:31');
    expect(endText(end({ reason: 'left', by: 'visitor' }))).toBe('Visitor left · 02:31');
    expect(endText(end({ outcome: 'missed', reason: 'left', by: 'visitor', durationMs: null }))).toBe('Visitor left');
    expect(endText(end({ outcome: 'failed', reason: 'media_unavailable', by: 'system', durationMs: null }))).toMatch(/neither camera nor microphone/);
    expect(endText(end({ outcome: 'failed', reason: 'connect_failed', by: 'system', durationMs: null }))).toMatch(/Could not connect/);
  });

  it("describes the visitor's media problems", () => {
    expect(problemsText([], { audio: true, video: true })).toBeNull();
    expect(problemsText(['camera_denied'], { audio: true, video: false })).toBe("Visitor's camera is blocked: audio only");
    expect(problemsText(['camera_missing'], { audio: true, video: false })).toBe("Visitor's camera is not available: audio only");
    expect(problemsText(['microphone_denied'], { audio: false, video: true })).toBe("Visitor's microphone is blocked: video only");
    expect(problemsText(['camera_denied', 'microphone_denied'], { audio: false, video: false })).toBe("Visitor's camera and microphone are blocked");
    expect(problemsText(['camera_denied', 'microphone_missing'], { audio: false, video: false })).toBe("Visitor's camera and microphone are unavailable");
  });

  it('says why there is no picture of the visitor', () => {
    const c = inCall();
    expect(remoteVideoText(c)).toBe('Waiting for video…');
    expect(remoteVideoText(callReducer(c, { type: 'remote-media', callId: 'call-1', audio: true, video: false }))).toBe('Visitor’s camera is off');
    expect(remoteVideoText(callReducer(c, { type: 'remote-media', callId: 'call-1', audio: false, video: false }))).toBe('Visitor’s camera and microphone are off');
    const audioOnly = run([{ type: 'accepted', callId: 'call-1', media: { audio: true, video: false }, problems: [], at: T + 1 }, { type: 'peer-connected', callId: 'call-1' }], ringing());
    expect(audioOnly.joined).toEqual({ audio: true, video: false });
    expect(remoteVideoText(audioOnly)).toBe('Audio only');
    expect(remoteVideoText(callReducer(c, { type: 'away', callId: 'call-1' }))).toMatch(/Reconnecting/);
  });

  it('has a status line for every phase', () => {
    expect(statusText(ringing())).toMatch(/Ringing/);
    expect(statusText(callReducer(inCall(), { type: 'away', callId: 'call-1' }))).toMatch(/Reconnecting…/);
    expect(statusText(inCall())).toMatch(/In a video call/);
  });

  it('does not call it a video call once the visitor answered on audio only, by choice or without a camera', () => {
    const audioOnly = run([{ type: 'accepted', callId: 'call-1', media: { audio: true, video: false }, problems: [], at: T + 1 }, { type: 'peer-connected', callId: 'call-1' }], ringing());
    expect(statusText(audioOnly)).toBe('In a call · the visitor is on audio only');
    const noCamera = run([{ type: 'accepted', callId: 'call-1', media: { audio: true, video: false }, problems: ['camera_denied'], at: T + 1 }, { type: 'peer-connected', callId: 'call-1' }], ringing());
    expect(statusText(noCamera)).not.toMatch(/video call/);
  });
});
