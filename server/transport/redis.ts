// Several Porchlight processes: socket.io's Redis adapter fans diffs out to dashboards on every
// process, and a dashboard's snapshot gathers the visitors each process holds in memory.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { PresenceEngine } from '../presence/engine';
import { NAMESPACES, type LiveVisitor } from '../protocol';

const SNAPSHOT_EVENT = 'presence:snapshot';

export async function connectRedis(io: Server, url: string, presence: PresenceEngine, log: (msg: string, err?: unknown) => void) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', (err) => log('redis error', err));
  sub.on('error', (err) => log('redis error', err));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  const agents = io.of(NAMESPACES.agent);
  // Another process asks for the visitors of a site that this process holds.
  agents.on(SNAPSHOT_EVENT, (siteId: unknown, reply: unknown) => {
    if (typeof siteId === 'string' && typeof reply === 'function') reply(presence.snapshot(siteId));
  });
  return {
    remoteSnapshot: async (siteId: string): Promise<LiveVisitor[]> => {
      try {
        const parts = (await agents.serverSideEmitWithAck(SNAPSHOT_EVENT, siteId)) as LiveVisitor[][];
        return parts.flat();
      } catch (err) {
        log('remote snapshot incomplete', err);
        return [];
      }
    },
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
