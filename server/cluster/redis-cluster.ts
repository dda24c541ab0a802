// Several Porchlight processes over Redis. socket.io's Redis adapter fans diffs out to dashboards
// on every process and carries requests between processes; Redis keys with an expiry are the
// heartbeats (a process that dies stops refreshing its key); a hash per site holds each process's
// visitor count per sparkline slot. Nothing here decides anything by vote: each process looks at
// the same keys and acts for its own sockets only.
//
// Faults, as dashboards see them: the adapter's pub/sub loses what is published while a process is
// unreachable, and a process that dies never says its visitors left. Whenever the set of live
// processes changes (one left, one joined, or one's link to Redis came back), every process tells
// its own dashboards to take a fresh snapshot (presence:resync), gathered from the processes
// alive then.
import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { EventBus } from '../events/bus';
import type { PresenceEngine, VisitorRef } from '../presence/engine';
import type { LiveVisitor, ResyncReason } from '../protocol';
import type { AgentNamespace, PorchlightIo } from '../transport/io';
import { visitorKey, type Cluster, type ClusterLocks } from './cluster';
import { startClusterSparkline } from './cluster-sparkline';
import { MembershipView, type NodeBeat } from './membership';

/** Deletes or extends a lock only if it still holds our value (another holder's lock is left alone). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/**
 * One heartbeat: refresh our key (with its expiry), list the processes whose keys still exist and
 * drop the expired ones from the index. Returns uid, epoch, uid, epoch, ...
 */
const BEAT = `
redis.call('set', KEYS[1] .. ARGV[1], ARGV[2], 'PX', ARGV[3])
redis.call('sadd', KEYS[2], ARGV[1])
local out = {}
for _, id in ipairs(redis.call('smembers', KEYS[2])) do
  local epoch = redis.call('get', KEYS[1] .. id)
  if epoch then
    table.insert(out, id)
    table.insert(out, epoch)
  else
    redis.call('srem', KEYS[2], id)
  end
end
return out`;


export interface RedisClusterOptions {
  url: string;
  io: PorchlightIo;
  agents: AgentNamespace;
  presence: PresenceEngine;
  /** Where a process's death is told ('cluster:processes-left'): what it held goes with it. */
  bus: EventBus;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /**
   * Names every key and channel in Redis: processes of one deployment share it, and another
   * deployment (or a parallel test) on the same Redis uses another one and never sees them.
   */
  prefix: string;
  /** How often each process refreshes its heartbeat and looks at the others'. */
  heartbeatMs?: number;
  /** A heartbeat not refreshed for this long belonged to a process that is gone. */
  nodeTtlMs?: number;
  /** Sparkline slot length (the engine's sampling interval). */
  sampleEveryMs: number;
  samplesKept: number;
}

export async function connectRedisCluster(o: RedisClusterOptions): Promise<Cluster> {
  const PREFIX = `${o.prefix}:`;
  const NODE_KEY = `${PREFIX}node:`;
  const NODES = `${PREFIX}nodes`;
  const heartbeatMs = o.heartbeatMs ?? 1_000;
  // Dead within ttl + one heartbeat (6 s) and dashboards resynced within another: under 10 s.
  const nodeTtlMs = o.nodeTtlMs ?? 5_000;
  // Back soon after Redis is: the default backoff waits up to 2.2 s between attempts.
  const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 500);
  const pub = createClient({ url: o.url, socket: { reconnectStrategy } });
  const sub = pub.duplicate();
  const uid = randomUUID();
  o.log(`joining the cluster as ${uid}`);
  // Each drop of either connection counts; a heartbeat that succeeds after one rejoins the cluster.
  let breaks = 0;
  let handledBreaks = 0;
  const onError = (err: unknown) => {
    if (breaks === handledBreaks) o.log('redis connection lost: cross-process updates are paused', err);
    breaks++;
  };
  pub.on('error', onError);
  sub.on('error', onError);
  /** Cross-process messages lost while Redis was away (the resync after it returns makes up for them). */
  let dropped = 0;
  await Promise.all([pub.connect(), sub.connect()]);
  // Requests between processes (snapshots, who holds a visitor) give up after 3 s, keeping the answers they got.
  o.io.adapter(createAdapter(quietPublisher(pub, () => dropped++), sub, { requestsTimeout: 3_000, key: `${o.prefix}-socket.io` }));
  const linkUp = () => pub.isReady && sub.isReady && handledBreaks === breaks;

  // Another process asks for the visitors of a site that this process holds.
  o.agents.on('presence:snapshot', (siteId, reply) => {
    if (typeof siteId === 'string' && typeof reply === 'function') reply(o.presence.snapshot(siteId));
  });
  // Another process is about to drop visitors whose last tab there closed: those with a tab here
  // stay, and their rows (this process's copy) go out again.
  o.agents.on('presence:holding', (refs, reply) => {
    if (!Array.isArray(refs) || typeof reply !== 'function') return;
    reply(o.presence.holding(refs.filter((r): r is VisitorRef => typeof r?.siteId === 'string' && typeof r.visitorId === 'string')));
  });

  /** Every dashboard connected to this process takes a fresh snapshot. */
  const resync = (reason: ResyncReason) => {
    o.agents.local.emit('presence:resync', { reason });
  };

  // Heartbeats. The epoch changes whenever our link to Redis came back: the others then know that
  // what we published meanwhile was lost, and resync their dashboards; we resync ours.
  const view = new MembershipView(uid);
  let epoch: string | null = null;
  let joined = false;
  let beating = false;
  const beat = async () => {
    // Only with both connections ready: a ready subscriber has its subscriptions back, so the
    // others' requests reach us once they see our new epoch.
    if (beating || !pub.isReady || !sub.isReady) return;
    beating = true;
    const seenBreaks = breaks;
    const fresh = epoch === null || seenBreaks !== handledBreaks;
    const myEpoch = fresh ? randomUUID() : (epoch as string);
    try {
      const raw = (await pub.eval(BEAT, { keys: [NODE_KEY, NODES], arguments: [uid, myEpoch, String(nodeTtlMs)] })) as string[];
      const live: NodeBeat[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) live.push({ uid: raw[i]!, epoch: raw[i + 1]! });
      epoch = myEpoch;
      handledBreaks = seenBreaks;
      if (fresh && joined) {
        o.log(`redis connection back: dashboards take a fresh snapshot (${dropped} cross-process message(s) were lost meanwhile)`);
        dropped = 0;
        view.reset();
        view.update(live);
        resync('reconnected');
        return;
      }
      joined = true;
      const change = view.update(live);
      if (change.left.length > 0) {
        o.log(`server process(es) stopped answering: ${change.left.join(', ')}; dashboards take a fresh snapshot`);
        o.bus.publish('cluster:processes-left', { processIds: change.left });
        resync('process-left');
      } else if (change.joined.length > 0) {
        o.log(`server process(es) joined: ${change.joined.join(', ')}`);
        resync('process-joined');
      }
    } catch (err) {
      o.log('cluster heartbeat failed', err);
    } finally {
      beating = false;
    }
  };
  await beat();
  const beater = setInterval(() => void beat(), heartbeatMs);
  beater.unref();

  const sparkline = startClusterSparkline({
    pub,
    prefix: PREFIX,
    everyMs: o.sampleEveryMs,
    samplesKept: o.samplesKept,
    onlineIds: () => o.presence.onlineIds(),
    watchedSites: () => {
      const out: string[] = [];
      for (const [room, members] of o.agents.adapter.rooms) if (room.startsWith('site:') && members.size > 0) out.push(room.slice(5));
      return out;
    },
    sendPoint: (siteId, point) => o.agents.local.to(`site:${siteId}`).emit('presence:point', { siteId, point }),
    now: o.now,
    linkUp,
    log: o.log,
  });

  const locks: ClusterLocks = {
    claim: async (key, value, ttlMs) => (await pub.set(`${PREFIX}${key}`, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK',
    extend: async (key, value, ttlMs) => void (await pub.eval(EXTEND, { keys: [`${PREFIX}${key}`], arguments: [value, String(ttlMs)] })),
    release: async (key, value) => void (await pub.eval(RELEASE, { keys: [`${PREFIX}${key}`], arguments: [value] })),
  };

  return {
    shared: true,
    processId: uid,
    remoteSnapshot: async (siteId: string) => {
      // While Redis is away the others cannot be asked (a request would wait for the link): this
      // process's own visitors only, and a resync follows the reconnection.
      if (!linkUp()) return { visitors: [], complete: true };
      try {
        return { visitors: (await o.agents.serverSideEmitWithAck('presence:snapshot', siteId)).flat(), complete: true };
      } catch (err) {
        // A process that did not answer in time: the answers that did come still count.
        o.log('remote snapshot incomplete', err);
        return { visitors: ((err as { responses?: LiveVisitor[][] }).responses ?? []).flat(), complete: false };
      }
    },
    heldElsewhere: async (refs) => {
      const held = new Set<string>();
      // Unreachable: the removal goes out, and the resync after the reconnection corrects it.
      if (refs.length === 0 || !linkUp()) return held;
      let replies: VisitorRef[][];
      try {
        replies = await o.agents.serverSideEmitWithAck('presence:holding', [...refs]);
      } catch (err) {
        o.log('presence check across processes incomplete', err);
        replies = (err as { responses?: VisitorRef[][] }).responses ?? [];
      }
      for (const part of replies) for (const r of part) held.add(visitorKey(r));
      return held;
    },
    history: async (siteId) => {
      if (!linkUp()) return o.presence.history(siteId);
      try {
        return await sparkline.history(siteId);
      } catch (err) {
        o.log('cluster sparkline read failed', err);
        return o.presence.history(siteId);
      }
    },
    ping: async () => (await pub.ping()) === 'PONG',
    locks,
    close: async () => {
      clearInterval(beater);
      sparkline.stop();
      // Leaving on purpose: the others notice at their next heartbeat, not after the expiry.
      if (linkUp()) await Promise.allSettled([pub.del(`${NODE_KEY}${uid}`), pub.sRem(NODES, uid)]);
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/**
 * The publisher as the adapter sees it. The adapter publishes without waiting for the answer, and
 * while Redis is away each publish fails after the client's command timeout (5 s): unobserved,
 * that rejection would end the process. Here it is counted instead.
 */
function quietPublisher<T extends object & { publish(channel: string, message: string | Buffer): Promise<unknown> }>(client: T, onDrop: () => void): T {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'publish') {
        return (channel: string, message: string | Buffer) =>
          target.publish(channel, message).catch(() => {
            onDrop();
            return 0;
          });
      }
      // node-redis keeps its state in private fields: its methods must run on the client itself.
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
