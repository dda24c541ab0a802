// Several Porchlight processes: socket.io's Redis adapter fans diffs out to dashboards on every
// process, and a dashboard's snapshot gathers the visitors each process holds in memory.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { PresenceEngine } from '../presence/engine';
import type { LiveVisitor } from '../protocol';
import type { AgentNamespace, PorchlightIo } from './io';

/** Deletes or extends a lock only if it still holds our value (another holder's lock is left alone). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Short-lived locks in Redis, shared by every process (one visitor, one call across the cluster). */
export interface ClusterLocks {
  /** Takes the lock if nobody holds it; false if someone does. */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  extend(key: string, value: string, ttlMs: number): Promise<void>;
  release(key: string, value: string): Promise<void>;
}

export async function connectRedis(io: PorchlightIo, agents: AgentNamespace, url: string, presence: PresenceEngine, log: (msg: string, err?: unknown) => void) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', (err) => log('redis error', err));
  sub.on('error', (err) => log('redis error', err));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  // Another process asks for the visitors of a site that this process holds.
  agents.on('presence:snapshot', (siteId, reply) => {
    if (typeof siteId === 'string' && typeof reply === 'function') reply(presence.snapshot(siteId));
  });
  return {
    /** Whether Redis answers now (for /readyz). */
    ping: async (): Promise<boolean> => (await pub.ping()) === 'PONG',
    remoteSnapshot: async (siteId: string): Promise<LiveVisitor[]> => {
      try {
        const parts = await agents.serverSideEmitWithAck('presence:snapshot', siteId);
        return parts.flat();
      } catch (err) {
        log('remote snapshot incomplete', err);
        return [];
      }
    },
    locks: {
      claim: async (key, value, ttlMs) => (await pub.set(`porchlight:${key}`, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK',
      extend: async (key, value, ttlMs) => void (await pub.eval(EXTEND, { keys: [`porchlight:${key}`], arguments: [value, String(ttlMs)] })),
      release: async (key, value) => void (await pub.eval(RELEASE, { keys: [`porchlight:${key}`], arguments: [value] })),
    } satisfies ClusterLocks,
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
