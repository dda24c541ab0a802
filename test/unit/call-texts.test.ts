// The call part's timer format and every sentence the visitor reads (embed-snippet/src/call).
import { describe, expect, it } from 'vitest';
import { endMessage, inviteLine, mediaMessage, remoteNote } from '../../embed-snippet/src/call/messages';
import { formatDuration } from '../../embed-snippet/src/call/time';
import { initialsOf } from '../../server/initials';

describe('call timer', () => {
  it('shows mm:ss, and h:mm:ss past an hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(999)).toBe('00:00');
    expect(formatDuration(151_000)).toBe('02:31');
    expect(formatDuration(59 * 60_000 + 59_999)).toBe('59:59');
    expect(formatDuration(3_600_000 + 62_000)).toBe('1:01:02');
  });
  it('never shows nonsense for a clock that went backwards or garbage', () => {
    expect(formatDuration(-5000)).toBe('00:00');
    expect(formatDuration(Number.NaN)).toBe('00:00');
  });
});

describe('call texts', () => {
  it('invites to a video or an audio call', () => {
    expect(inviteLine(true)).toBe('wants to talk to you on a video call');
    expect(inviteLine(false)).toBe('wants to talk to you on an audio call');
  });

  it('says why a call ended, or nothing when the visitor declined or answered in another tab', () => {
    const end = (reason: Parameters<typeof endMessage>[0]['reason'], by: 'agent' | 'visitor' | 'system' = 'system', durationMs: number | null = null) => endMessage({ reason, by, durationMs }, 'Ana', null);
    expect(end('no_answer')).toBe('Missed call from Ana');
    expect(end('cancelled', 'agent')).toBe('Ana cancelled the call');
    expect(end('answered_elsewhere')).toBeNull();
    expect(end('declined', 'visitor')).toBeNull();
    expect(end('connect_failed')).toBe('The call could not connect');
    expect(end('hangup', 'agent', 151_000)).toBe('Ana ended the call · 02:31');
    expect(end('hangup', 'visitor', 151_000)).toBe('Call ended · 02:31');
    expect(end('left', 'agent', 5_000)).toBe('Ana left the call · 00:05');
    expect(end('media_unavailable')).toMatch(/camera and microphone/);
  });

  it('uses the local timer when the server sent no duration', () => {
    expect(endMessage({ reason: 'hangup', by: 'agent', durationMs: null }, 'Ana', 62_000)).toBe('Ana ended the call · 01:02');
  });

  it('tells the visitor clearly what their browser would not give', () => {
    const both = { audio: true, video: true };
    expect(mediaMessage(both, both, [], 'Ana')).toBe('');
    expect(mediaMessage(both, { audio: true, video: false }, ['camera_denied'], 'Ana')).toBe('Your camera is blocked, so this call is audio only');
    expect(mediaMessage(both, { audio: true, video: false }, ['camera_missing'], 'Ana')).toBe('No camera is available, so this call is audio only');
    expect(mediaMessage(both, { audio: false, video: true }, ['microphone_denied'], 'Ana')).toBe('Your microphone is blocked: Ana can see you but not hear you');
    expect(mediaMessage(both, { audio: false, video: false }, ['camera_denied', 'microphone_denied'], 'Ana')).toBe('Your camera and microphone are blocked, so the call cannot start');
    expect(mediaMessage(both, { audio: false, video: false }, ['camera_missing', 'microphone_missing'], 'Ana')).toBe('No camera or microphone is available, so the call cannot start');
    expect(mediaMessage({ audio: true, video: false }, { audio: false, video: false }, ['microphone_denied'], 'Ana')).toBe('Your microphone is blocked, so the call cannot start');
    // Audio only by choice is not a problem.
    expect(mediaMessage({ audio: true, video: false }, { audio: true, video: false }, [], 'Ana')).toBe('');
  });

  it("describes what the agent is not sending", () => {
    expect(remoteNote('Ana', null)).toBe('');
    expect(remoteNote('Ana', { audio: true, video: true })).toBe('');
    expect(remoteNote('Ana', { audio: false, video: true })).toBe('Ana muted');
    expect(remoteNote('Ana', { audio: true, video: false })).toBe("Ana's camera is off");
    expect(remoteNote('Ana', { audio: false, video: false })).toBe("Ana muted · Ana's camera is off");
    expect(remoteNote('Ana', { audio: true, video: false, screen: true })).toBe('Ana is sharing their screen');
  });
});

describe('avatar initials', () => {
  it('takes the first letters of the first two words, emails and emoji included', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('  demo owner  the third ')).toBe('DO');
    expect(initialsOf('maya@northwind.io')).toBe('MN');
    expect(initialsOf('Émile')).toBe('É');
    expect(initialsOf('😀 Smile')).toBe('😀S');
    expect(initialsOf('')).toBe('?');
  });
});
