// Connection quality from WebRTC statistics (peer.stats() every 2 s): round-trip time of the
// selected candidate pair, packet loss and incoming bitrate over the last interval. Pure: takes
// the report's stat objects, so it is unit-tested with plain objects.

/** The counters of one getStats() call that quality is computed from. */
export interface StatsSample {
  /** ms (the stats' own timestamp when present). */
  at: number;
  /** Round-trip time of the selected candidate pair, ms; null when unknown. */
  rttMs: number | null;
  /** Summed over every inbound RTP stream (audio and video). */
  packetsLost: number;
  packetsReceived: number;
  bytesReceived: number;
  /** False when the report had no inbound-rtp stream at all (nothing received yet). */
  hasInbound: boolean;
}

export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface Quality {
  rttMs: number | null;
  /** Packet loss over the last interval, percent; null without a previous sample. */
  lossPct: number | null;
  /** Incoming bitrate over the last interval, kbit/s; null without a previous sample. */
  kbps: number | null;
  level: QualityLevel;
}

type Stat = { type?: unknown; id?: unknown; [k: string]: unknown };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads one report (`report.values()`, or any list of stat objects). */
export function sampleOf(stats: Iterable<Stat>, fallbackAt: number): StatsSample {
  const list = [...stats];
  const byId = new Map<string, Stat>();
  for (const s of list) if (typeof s.id === 'string') byId.set(s.id, s);

  // The pair in use: the transport names it; otherwise the nominated pair that succeeded
  // (Firefox marks it `selected`).
  let pair: Stat | undefined;
  for (const s of list) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      pair = byId.get(s.selectedCandidatePairId);
      if (pair) break;
    }
  }
  pair ??= list.find((s) => s.type === 'candidate-pair' && s.selected === true);
  pair ??= list.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  const rtt = num(pair?.currentRoundTripTime);

  let packetsLost = 0;
  let packetsReceived = 0;
  let bytesReceived = 0;
  let hasInbound = false;
  let at: number | null = null;
  for (const s of list) {
    if (s.type !== 'inbound-rtp') continue;
    hasInbound = true;
    packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
    packetsReceived += num(s.packetsReceived) ?? 0;
    bytesReceived += num(s.bytesReceived) ?? 0;
    const ts = num(s.timestamp);
    if (ts !== null) at = Math.max(at ?? ts, ts);
  }
  return {
    at: at ?? fallbackAt,
    rttMs: rtt === null ? null : Math.round(rtt * 1000),
    packetsLost,
    packetsReceived,
    bytesReceived,
    hasInbound,
  };
}

/** Thresholds for the label: under both "good" limits is good, over either "fair" limit is poor. */
export const QUALITY_LIMITS = {
  good: { rttMs: 150, lossPct: 2 },
  fair: { rttMs: 400, lossPct: 8 },
} as const;

export function levelOf(rttMs: number | null, lossPct: number | null): QualityLevel {
  if (rttMs === null && lossPct === null) return 'unknown';
  const rtt = rttMs ?? 0;
  const loss = lossPct ?? 0;
  if (rtt > QUALITY_LIMITS.fair.rttMs || loss > QUALITY_LIMITS.fair.lossPct) return 'poor';
  if (rtt > QUALITY_LIMITS.good.rttMs || loss > QUALITY_LIMITS.good.lossPct) return 'fair';
  return 'good';
}

/**
 * Quality between two samples. Counters that went backwards (a new peer after the visitor's
 * page changed) mean there is no usable interval: loss and bitrate are null until the next one.
 */
export function qualityOf(prev: StatsSample | null, cur: StatsSample): Quality {
  let lossPct: number | null = null;
  let kbps: number | null = null;
  if (prev && prev.hasInbound && cur.hasInbound) {
    const dt = cur.at - prev.at;
    const lost = cur.packetsLost - prev.packetsLost;
    const received = cur.packetsReceived - prev.packetsReceived;
    const bytes = cur.bytesReceived - prev.bytesReceived;
    if (dt > 0 && lost >= 0 && received >= 0 && bytes >= 0) {
      lossPct = lost + received > 0 ? round1((lost / (lost + received)) * 100) : 0;
      kbps = Math.round((bytes * 8) / dt); // bytes per ms * 8 = kbit/s
    }
  }
  return { rttMs: cur.rttMs, lossPct, kbps, level: levelOf(cur.rttMs, lossPct) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export const QUALITY_LABEL: Record<QualityLevel, string> = { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Measuring…' };

/** "Good · 24 ms · 0% loss · 1,240 kbps" */
export function qualityText(q: Quality): string {
  const parts: string[] = [QUALITY_LABEL[q.level]];
  if (q.rttMs !== null) parts.push(`${q.rttMs} ms`);
  if (q.lossPct !== null) parts.push(`${q.lossPct}% loss`);
  if (q.kbps !== null) parts.push(`${q.kbps.toLocaleString('en')} kbps`);
  return parts.join(' · ');
}
