// The sparkline across processes. At each slot (aligned on the wall clock, so processes agree)
// every process adds the visitors it holds to the slot's set per site; a little later each process
// stores the set's size as the slot's point (a visitor with tabs on two processes counts once)
// and sends it to the dashboards watching here.
import type { RedisClientType } from 'redis';
import type { PresenceEngine } from '../presence/engine';
import type { PresencePoint } from '../protocol';
import { pointsOf, slotOf } from './membership';

/** A slot's point: the larger of the stored one and its visitor set's size now; returns it. */
const SETTLE_POINT = `
local n = redis.call('scard', KEYS[1])
local old = tonumber(redis.call('hget', KEYS[2], ARGV[1]) or '0')
if n > old then
  redis.call('hset', KEYS[2], ARGV[1], n)
  redis.call('pexpire', KEYS[2], ARGV[2])
  return n
end
return old`;

const SPARK_KEEP_MS = 31 * 60_000;

export interface ClusterSparklineOptions {
  pub: RedisClientType;
  /** Every key starts with it (the deployment's prefix and a colon). */
  prefix: string;
  /** Slot length (the engine's sampling interval). */
  everyMs: number;
  samplesKept: number;
  /** The visitors this process holds, per site. */
  onlineIds: PresenceEngine['onlineIds'];
  /** Sites with a dashboard watching on this process. */
  watchedSites: () => string[];
  /** Sends a slot's point to this process's dashboards of the site. */
  sendPoint: (siteId: string, point: PresencePoint) => void;
  now: () => number;
  /** False while Redis is away: nothing is written, read or pushed then. */
  linkUp: () => boolean;
  log: (msg: string, err?: unknown) => void;
}

export interface ClusterSparkline {
  /** The site's points up to the last slot whose point went out. */
  history(siteId: string): Promise<PresencePoint[]>;
  stop(): void;
}

export function startClusterSparkline(o: ClusterSparklineOptions): ClusterSparkline {
  const { pub, linkUp } = o;
  const every = o.everyMs;
  const keptMs = Math.min(SPARK_KEEP_MS, every * o.samplesKept);
  const PUSH_AFTER_MS = Math.min(2_000, every / 2);
  const sparkKey = (siteId: string) => `${o.prefix}spark:${siteId}`;
  const slotSetKey = (siteId: string, slot: number) => `${o.prefix}spark-set:${siteId}:${slot}`;

  const writeCounts = async (slot: number): Promise<string[]> => {
    if (!linkUp()) return [];
    const multi = pub.multi();
    const sites: string[] = [];
    for (const { siteId, visitorIds } of o.onlineIds()) {
      sites.push(siteId);
      // In parts, so one command never carries a huge site's whole list.
      for (let i = 0; i < visitorIds.length; i += 1000) multi.sAdd(slotSetKey(siteId, slot), visitorIds.slice(i, i + 1000));
      multi.pExpire(slotSetKey(siteId, slot), 3 * every);
    }
    if (sites.length > 0) await multi.exec();
    return sites;
  };
  /** Stores the slot's point for these sites: the larger of what is stored and the set's size now (a late writer only adds). */
  const settlePoints = async (sites: readonly string[], slot: number) => {
    if (!linkUp() || sites.length === 0) return;
    const multi = pub.multi();
    for (const siteId of sites) {
      multi.eval(SETTLE_POINT, { keys: [slotSetKey(siteId, slot), sparkKey(siteId)], arguments: [String(slot), String(keptMs + every)] });
    }
    await multi.exec();
  };
  const readPoints = async (siteId: string, to: number): Promise<PresencePoint[]> => {
    const fields = await pub.hGetAll(sparkKey(siteId));
    const from = to - keptMs;
    const stale = Object.keys(fields).filter((f) => !/^\d+$/.test(f) || Number(f) < from);
    if (stale.length > 0) await pub.hDel(sparkKey(siteId), stale);
    return pointsOf(fields, every, from, to);
  };
  // A slot nobody wrote had no visitors on any process when it was sampled: its point is zero.
  const pushPoints = async (slot: number) => {
    if (!linkUp()) return;
    for (const siteId of o.watchedSites()) {
      const stored = await pub.hGet(sparkKey(siteId), String(slot));
      o.sendPoint(siteId, { at: slot, count: stored ? Number(stored) : 0 });
    }
  };

  let sampler: ReturnType<typeof setTimeout> | null = null;
  /** Slots being sampled, until their point went out: a snapshot's history stops before them. */
  const inFlight = new Set<number>();
  const scheduleSample = () => {
    const next = slotOf(o.now(), every) + every;
    sampler = setTimeout(() => {
      const slot = slotOf(o.now(), every);
      inFlight.add(slot);
      writeCounts(slot)
        .then(async (sites) => {
          // Every process has added its visitors half-way through; the points are settled before they are pushed.
          await new Promise((r) => setTimeout(r, PUSH_AFTER_MS / 2).unref());
          await settlePoints(sites, slot);
          await new Promise((r) => setTimeout(r, PUSH_AFTER_MS / 2).unref());
        })
        .then(() => pushPoints(slot))
        .catch((err: unknown) => o.log('cluster sparkline sample failed', err))
        .finally(() => inFlight.delete(slot));
      scheduleSample();
    }, Math.max(0, next - o.now()) + 20);
    sampler.unref();
  };
  scheduleSample();

  return {
    history: (siteId) => {
      // Up to the last slot whose point went out already (every process has written it by then).
      // On a busy machine a slot's sampling can outlast PUSH_AFTER_MS: its point, unsettled, would
      // read as zero, so the history stops before it and the push brings it.
      let to = slotOf(o.now() - PUSH_AFTER_MS, every);
      const oldest = Math.min(...inFlight);
      if (to >= oldest) to = oldest - every;
      return readPoints(siteId, to);
    },
    stop: () => {
      if (sampler) clearTimeout(sampler);
    },
  };
}
