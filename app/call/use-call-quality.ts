// Connection quality every 2 s while the call is live, from the current peer's statistics.
import { useEffect } from 'react';
import type { CallPeer } from '../../embed-snippet/src/rtc/peer';
import { qualityOf, sampleOf, type Quality, type StatsSample } from './call-stats';

export const STATS_EVERY_MS = 2_000;

/**
 * Samples `getPeer()` while `live`; the caller owns the quality state (it clears it when the call
 * ends, not when the peer drops for a moment).
 */
export function useCallQuality(live: boolean, getPeer: () => CallPeer | null, setQuality: (q: Quality) => void): void {
  useEffect(() => {
    if (!live) return;
    let prev: StatsSample | null = null;
    let prevPeer: CallPeer | null = null;
    let stopped = false;
    const tick = async () => {
      const peer = getPeer();
      if (!peer) return;
      const report = await peer.stats().catch(() => null);
      if (stopped || !report) return;
      const cur = sampleOf(report.values() as Iterable<Record<string, unknown>>, Date.now());
      // A new peer (the visitor's page changed) starts its counters again: no interval across it.
      setQuality(qualityOf(peer === prevPeer ? prev : null, cur));
      prev = cur;
      prevPeer = peer;
    };
    void tick();
    const t = setInterval(tick, STATS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
    // getPeer reads a ref and setQuality is a state setter: only going live restarts the sampling.
  }, [live]);
}
