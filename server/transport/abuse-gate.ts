// The abuse limits' counters (server/visitors/abuse-limits.ts) on rate-limiter-flexible: in Redis
// when REDIS_URL is set, so every process counts against the same caps, in memory when alone.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { AbuseLimiter, REFUSAL_KINDS, limitRules, type AbuseLimits, type ConsumeFn, type RefusalKind } from '../visitors/abuse-limits';

export interface AbuseGate {
  admitConnection: AbuseLimiter['admitConnection'];
  admitPageView: AbuseLimiter['admitPageView'];
  refusals: AbuseLimiter['refusals'];
  close(): Promise<void>;
}

export interface AbuseGateOptions {
  limits: AbuseLimits;
  redisUrl?: string;
  /** How long a Redis answer may take before the visitor is served without it. */
  timeoutMs?: number;
  /** How long start-up waits for Redis before going on without it (checks fail open until it answers). */
  connectWaitMs?: number;
  log: (msg: string, err?: unknown) => void;
  /** The deployment's Redis prefix (REDIS_PREFIX): other deployments on the same Redis count apart. */
  prefix?: string;
}

export async function createAbuseGate(o: AbuseGateOptions): Promise<AbuseGate> {
  const rules = limitRules(o.limits);
  const KEY_PREFIX = `${o.prefix ?? 'porchlight'}:abuse`;
  const timeoutMs = o.timeoutMs ?? 500;
  let lastError: unknown;
  // Its own connection (the adapter's are busy with pub/sub), failing commands at once while
  // Redis is away instead of queueing them: a handshake never waits for Redis to return.
  const client = o.redisUrl ? createClient({ url: o.redisUrl, disableOfflineQueue: true }) : null;
  const limiters = new Map<RefusalKind, RateLimiterAbstract | RateLimiterStoreAbstract>();

  if (client) {
    const c = client;
    c.on('error', (err: unknown) => {
      lastError = err; // reported once by the limiter when a check fails open
    });
    const connected = c.connect().then(
      () => true,
      (err: unknown) => {
        lastError = err;
        return false;
      },
    );
    // Start even when Redis is not there yet: the checks fail open until it answers.
    await Promise.race([connected, new Promise((r) => setTimeout(r, o.connectWaitMs ?? 2_000).unref())]);
    for (const kind of REFUSAL_KINDS) {
      const r = rules[kind];
      limiters.set(kind, new RateLimiterRedis({ storeClient: c, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix: `${KEY_PREFIX}:${kind}`, points: r.points, duration: r.durationS }));
    }
  } else {
    for (const kind of REFUSAL_KINDS) {
      const r = rules[kind];
      limiters.set(kind, new RateLimiterMemory({ keyPrefix: `${KEY_PREFIX}:${kind}`, points: r.points, duration: r.durationS }));
    }
  }

  const consume: ConsumeFn = async (rule, key) => {
    const limiter = limiters.get(rule.kind)!;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        limiter.consume(key, 1),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`abuse limit store did not answer in ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return 'ok';
    } catch (err) {
      // The limiter rejects with a RateLimiterRes when over the limit, with an Error when the store failed.
      if (err instanceof RateLimiterRes) return 'refused';
      lastError = err;
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  };

  const limiter = new AbuseLimiter(o.limits, consume, (down) =>
    down
      ? o.log('abuse limits: Redis does not answer, visitors are served without connection and page-view caps until it does', lastError ?? new Error('redis unavailable'))
      : o.log('abuse limits: Redis answers again, caps apply'),
  );

  return {
    admitConnection: (who) => limiter.admitConnection(who),
    admitPageView: (siteId, visitorId) => limiter.admitPageView(siteId, visitorId),
    refusals: () => limiter.refusals(),
    close: async () => {
      // Closed at once when it is not connected (it would otherwise keep trying to reconnect).
      if (client?.isReady) await client.close().catch(() => client?.destroy());
      else if (client?.isOpen) client.destroy();
    },
  };
}
