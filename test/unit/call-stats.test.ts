// Connection quality from getStats() (app/call/call-stats.ts).
import { describe, expect, it } from 'vitest';
import { levelOf, qualityOf, qualityText, sampleOf } from '../../app/call/call-stats';

const T = 1_750_000_000_000;

/** A report as Chrome gives it: a transport naming its selected pair, other pairs, inbound audio and video. */
function report(at: number, o: { rtt?: number; audio?: [lost: number, received: number, bytes: number]; video?: [lost: number, received: number, bytes: number] } = {}) {
  const [al, ar, ab] = o.audio ?? [0, 0, 0];
  const [vl, vr, vb] = o.video ?? [0, 0, 0];
  return [
    { type: 'transport', id: 'T1', timestamp: at, selectedCandidatePairId: 'CP2' },
    { type: 'candidate-pair', id: 'CP1', timestamp: at, state: 'failed', nominated: false, currentRoundTripTime: 9 },
    { type: 'candidate-pair', id: 'CP2', timestamp: at, state: 'succeeded', nominated: true, currentRoundTripTime: o.rtt ?? 0.042 },
    { type: 'inbound-rtp', id: 'IA', kind: 'audio', timestamp: at, packetsLost: al, packetsReceived: ar, bytesReceived: ab },
    { type: 'inbound-rtp', id: 'IV', kind: 'video', timestamp: at, packetsLost: vl, packetsReceived: vr, bytesReceived: vb },
    { type: 'outbound-rtp', id: 'OV', kind: 'video', timestamp: at, bytesSent: 99_999_999, packetsSent: 5 },
  ];
}

describe('call stats', () => {
  it('reads the selected pair round trip and sums inbound audio and video', () => {
    const s = sampleOf(report(T, { rtt: 0.0425, audio: [1, 100, 10_000], video: [2, 300, 200_000] }), 0);
    expect(s).toEqual({ at: T, rttMs: 43, packetsLost: 3, packetsReceived: 400, bytesReceived: 210_000, hasInbound: true });
  });

  it('falls back to the nominated succeeded pair, or to the selected one (Firefox)', () => {
    const noTransport = report(T).filter((x) => x.type !== 'transport');
    expect(sampleOf(noTransport, 0).rttMs).toBe(42);
    const firefox = [{ type: 'candidate-pair', id: 'a', state: 'succeeded', selected: true, currentRoundTripTime: 0.1 }];
    expect(sampleOf(firefox, T).rttMs).toBe(100);
    expect(sampleOf(firefox, T).at).toBe(T); // no inbound-rtp: the caller's clock
    expect(sampleOf(firefox, T).hasInbound).toBe(false);
  });

  it('has no round trip before a pair is selected', () => {
    const early = [{ type: 'candidate-pair', id: 'a', state: 'in-progress', nominated: false, currentRoundTripTime: 0.2 }];
    expect(sampleOf(early, T).rttMs).toBeNull();
  });

  it('computes loss and bitrate over the last interval', () => {
    const a = sampleOf(report(T, { audio: [0, 1_000, 100_000], video: [10, 4_000, 2_000_000] }), 0);
    const b = sampleOf(report(T + 2_000, { audio: [0, 1_100, 112_000], video: [30, 4_380, 2_300_000] }), 0);
    const q = qualityOf(a, b);
    // 20 lost of 500 in the interval (20 + 480): 4 %; 312,000 bytes in 2 s: 1,248 kbit/s.
    expect(q.lossPct).toBe(4);
    expect(q.kbps).toBe(1248);
    expect(q.rttMs).toBe(42);
    expect(q.level).toBe('fair');
  });

  it('has no loss or bitrate without a previous sample or when the counters restarted (new peer)', () => {
    const a = sampleOf(report(T, { video: [10, 4_000, 2_000_000] }), 0);
    expect(qualityOf(null, a)).toEqual({ rttMs: 42, lossPct: null, kbps: null, level: 'good' });
    const restarted = sampleOf(report(T + 2_000, { video: [0, 50, 20_000] }), 0);
    expect(qualityOf(a, restarted).kbps).toBeNull();
    expect(qualityOf(a, restarted).lossPct).toBeNull();
  });

  it('counts 0 % loss when nothing arrived in the interval', () => {
    const a = sampleOf(report(T, { video: [0, 100, 1_000] }), 0);
    const b = sampleOf(report(T + 2_000, { video: [0, 100, 1_000] }), 0);
    expect(qualityOf(a, b)).toMatchObject({ lossPct: 0, kbps: 0 });
  });

  it('labels quality good, fair or poor', () => {
    expect(levelOf(null, null)).toBe('unknown');
    expect(levelOf(40, 0)).toBe('good');
    expect(levelOf(200, 0)).toBe('fair');
    expect(levelOf(40, 5)).toBe('fair');
    expect(levelOf(500, 0)).toBe('poor');
    expect(levelOf(40, 12)).toBe('poor');
    expect(levelOf(null, 1)).toBe('good');
  });

  it('writes a short text', () => {
    expect(qualityText({ rttMs: 42, lossPct: 0.5, kbps: 1248, level: 'good' })).toBe('Good · 42 ms · 0.5% loss · 1,248 kbps');
    expect(qualityText({ rttMs: null, lossPct: null, kbps: null, level: 'unknown' })).toBe('Measuring…');
  });
});
