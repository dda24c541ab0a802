// The sparkline across processes (server/cluster/cluster-sparkline.ts) against a real Redis: two
// samplers standing for two processes count a visitor with a tab on each once, and a dashboard
// opening while a slow process is still sampling a slot is not shown that slot as empty.
// One-second slots here; the product's are ten.
import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { startClusterSparkline, type ClusterSparkline } from '../../server/cluster/cluster-sparkline';
import type { PresencePoint } from '../../server/protocol';

const url = process.env.REDIS_URL;
const EVERY = 1_000;
const SITE = 'site-1';

describe.skipIf(!url)('cluster sparkline (real Redis)', () => {
  const clients: RedisClientType[] = [];
  const sparklines: ClusterSparkline[] = [];
  afterEach(async () => {
    for (const s of sparklines.splice(0)) s.stop();
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  /** One process's sampler: what it holds, and the points it sends to its dashboards. */
  const processWith = async (prefix: string, held: () => string[]) => {
    const pub: RedisClientType = createClient({ url });
    await pub.connect();
    clients.push(pub);
    const sent: PresencePoint[] = [];
    const sparkline = startClusterSparkline({
      pub,
      prefix,
      everyMs: EVERY,
      samplesKept: 60,
      onlineIds: () => [{ siteId: SITE, visitorIds: held() }],
      watchedSites: () => [SITE],
      sendPoint: (siteId, point) => {
        if (siteId === SITE) sent.push(point);
      },
      now: Date.now,
      linkUp: () => pub.isReady,
      log: () => {},
    });
    sparklines.push(sparkline);
    return { sparkline, sent };
  };
  const until = async (what: string, ok: () => boolean, timeoutMs = 8_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const prefix = () => `test-spark-${randomBytes(6).toString('hex')}:`;

  it('a visitor with a tab on each of two processes counts once, on both processes\' dashboards', async () => {
    const p = prefix();
    const a = await processWith(p, () => ['v1', 'shared']);
    const b = await processWith(p, () => ['shared', 'v3']);
    // A slot that began once both were running (not one that only the first sampled).
    const bothRunning = Date.now();
    const after = (sent: PresencePoint[]) => sent.find((pt) => pt.at > bothRunning);
    await until('both processes sent a point', () => !!after(a.sent) && !!after(b.sent));
    expect(after(a.sent)).toEqual(after(b.sent));
    expect(after(a.sent)!.count).toBe(3);
    // A dashboard opening now gets that point at the end of its history.
    expect((await a.sparkline.history(SITE)).at(-1)).toEqual(after(a.sent));
  });

  it('a dashboard opening while a slow process still samples a slot gets the history up to the slot before, not a zero for it', async () => {
    let slowNext = false;
    let slowSlot = 0;
    let opened: Promise<PresencePoint[]> | null = null;
    const p = prefix();
    const a = await processWith(p, () => {
      if (slowNext) {
        // A process busy past the moment its point should have gone out (PUSH_AFTER_MS is half a
        // slot here): a dashboard opens just as it gets to Redis again.
        slowNext = false;
        slowSlot = Math.floor(Date.now() / EVERY) * EVERY;
        while (Date.now() < slowSlot + 0.7 * EVERY) {
          // busy
        }
        setTimeout(() => (opened = a.sparkline.history(SITE)), 0);
      }
      return ['v1', 'v2'];
    });
    await until('a first point went out', () => a.sent.length > 0);
    expect(a.sent[0]!.count).toBe(2);
    slowNext = true; // the next slot's sampling takes 70 % of a slot before it reaches Redis
    await until('a dashboard opened during the slow sampling', () => opened !== null);
    const history = await opened!;
    expect(history.map((pt) => pt.count)).not.toContain(0);
    expect(history.at(-1)).toEqual(a.sent.findLast((pt) => pt.at < slowSlot));
    // The slow slot's point comes with its push, counted.
    await until('the slow slot\'s point went out', () => a.sent.some((pt) => pt.at === slowSlot));
    expect(a.sent.find((pt) => pt.at === slowSlot)!.count).toBe(2);
  });
});
