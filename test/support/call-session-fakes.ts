// The visitor's call flow (embed-snippet/src/call/call-session.ts) with every dependency faked,
// for test/unit/call-session*.test.ts: a socket the test drives as the server, a view that records
// what it was told, media and peers that record how they were used, and a navigation watcher the
// test triggers. The tests run on vitest's fake timers (fakeTimersPerTest).
import { afterEach, beforeEach, vi } from 'vitest';
import type { CallInvite, CallMedia } from '../../server/protocol';
import type { CallView, ViewActions } from '../../embed-snippet/src/call/call-ui';
import { startCalls, type CallDeps } from '../../embed-snippet/src/call/call-session';
import type { LocalMedia } from '../../embed-snippet/src/call/media';
import type { PeerHandlers } from '../../embed-snippet/src/rtc/peer';

type Kind = 'audio' | 'video';
export function fakeStream(kinds: Kind[]) {
  const tracks = kinds.map((kind) => {
    const t = { kind, enabled: true, readyState: 'live', stop: () => void (t.readyState = 'ended') };
    return t;
  });
  return {
    tracks,
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  };
}
type FakeStream = ReturnType<typeof fakeStream>;

export const ICE = { iceServers: [], iceTransportPolicy: 'all' as const };
export const INVITE: CallInvite = { callId: 'call-1', agent: { name: 'Ana', initials: 'A' }, company: 'Lamps & Co', video: true, expiresAt: 0 };

/** Starts the visitor's call flow on fakes; returns the server's side and what the fakes recorded. */
export function setup(o: { media?: (want: CallMedia) => LocalMedia | Promise<LocalMedia>; memory?: string | null } = {}) {
  const handlers: Record<string, ((...a: unknown[]) => void)[]> = {};
  const sent: [string, unknown][] = [];
  const acks: Record<string, unknown> = { 'call:accept': { ok: true, ice: ICE, resumeToken: 'token-1' }, 'call:rejoin': { ok: true, ice: ICE, resumeToken: 'token-1' } };
  const socket = {
    on: (event: string, fn: (...a: never[]) => void) => void (handlers[event] ??= []).push(fn as (...a: unknown[]) => void),
    emit: (event: string, payload: unknown, ack?: (res: unknown) => void) => {
      sent.push([event, payload]);
      if (ack && event in acks) queueMicrotask(() => ack(acks[event]));
    },
  };
  const server = (event: string, payload: unknown) => {
    for (const fn of handlers[event] ?? []) fn(payload);
  };

  const views: (CallView & { actions: ViewActions; invite: CallInvite; log: Record<string, unknown>; removed: boolean })[] = [];
  const view = (invite: CallInvite, actions: ViewActions) => {
    const log: Record<string, unknown> = {};
    const v = {
      actions,
      invite,
      log,
      removed: false,
      setState: (s: string) => void (log.state = s),
      setMessage: (t: string) => void (log.message = t),
      setTimer: (t: string) => void (log.timer = t),
      setLocal: (s: unknown) => void (log.local = s),
      setRemote: (s: unknown) => void (log.remote = s),
      setControls: (c: unknown) => void (log.controls = c),
      setRemoteMedia: (note: string, showVideo: boolean) => void (log.remoteMedia = { note, showVideo }),
      remove: () => void (v.removed = true),
    };
    views.push(v);
    return v;
  };

  const streams: FakeStream[] = [];
  const asked: CallMedia[] = [];
  const getMedia = vi.fn(async (want: CallMedia): Promise<LocalMedia> => {
    asked.push(want);
    if (o.media) return o.media(want);
    const s = fakeStream([...(want.audio ? ['audio' as const] : []), ...(want.video ? ['video' as const] : [])]);
    streams.push(s);
    return { stream: s as unknown as MediaStream, media: { ...want }, problems: [] };
  });

  const peers: (PeerHandlers & { initiator: boolean; stream: unknown; ice: unknown; signals: string[]; destroyed: boolean })[] = [];
  const createPeer = vi.fn((opts: Parameters<CallDeps['createPeer']>[0]) => {
    const p = { ...opts, signals: [] as string[], destroyed: false };
    peers.push(p);
    return {
      signal: (d: string) => void p.signals.push(d),
      addStream: () => undefined,
      replaceVideoTrack: async () => false,
      stats: async () => null,
      destroy: () => void (p.destroyed = true),
    };
  });

  let leave: (() => void) | null = null;
  let watching = 0;
  const watchLeaving = (fn: () => void) => {
    leave = fn;
    watching++;
    return () => void watching--;
  };
  let stored: string | null = o.memory ?? null;
  const memory = { get: () => stored, set: (v: string | null) => void (stored = v) };

  startCalls({ socket, view, getMedia, createPeer, watchLeaving, memory });
  const events = (name?: string) => sent.filter(([e]) => !name || e === name).map(([e, p]) => (name ? p : e));
  return {
    server,
    sent,
    events,
    acks,
    views,
    streams,
    asked,
    getMedia,
    createPeer,
    peers,
    leave: () => leave?.(),
    watching: () => watching,
    stored: () => stored,
    view: () => views.at(-1)!,
  };
}

/** Lets pending promises (media, acks) settle. */
export const settle = async () => {
  for (let i = 0; i < 10; i++) await vi.advanceTimersByTimeAsync(0);
};

/** Each test on fake timers, from the same instant. */
export function fakeTimersPerTest() {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());
}
