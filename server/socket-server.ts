// socket.io on the shared http.Server (/visitor for snippets, /agent for dashboards), and what
// spans processes: the cluster (Redis when REDIS_URL is set, else this process alone) and the
// abuse limits. The namespaces get their handlers afterwards (namespace-wiring.ts).
import type http from 'node:http';
import type { Cluster } from './cluster/cluster';
import { connectRedisCluster } from './cluster/redis-cluster';
import { singleProcess } from './cluster/single';
import type { CoreServices, ServerBasics } from './core-services';
import { createAbuseGate, type AbuseGate } from './transport/abuse-gate';
import { handshakeGate } from './transport/handshake-gate';
import { EventRouter } from './transport/event-router';
import { createIo, type AgentNamespace, type PorchlightIo, type VisitorNamespace } from './transport/io';
import { bindSessionsToOrigin, type EngineSessions } from './transport/origin-bound';
import type { VisitorEvents } from './transport/visitor-namespace';

export interface SocketServerDeps extends Omit<ServerBasics, 'db'>, Pick<CoreServices, 'sites' | 'installMonitor' | 'presence' | 'bus'> {
  httpServer: http.Server;
  dashboardOrigins: string[];
}

export interface SocketServer {
  io: PorchlightIo;
  visitorNsp: VisitorNamespace;
  /** Every visitor socket's handlers, made once and shared (event-router.ts). */
  visitorEvents: VisitorEvents;
  agentNsp: AgentNamespace;
  cluster: Cluster;
  abuse: AbuseGate | null;
}

export async function openSocketServer(d: SocketServerDeps): Promise<SocketServer> {
  const { config, dashboardOrigins, log } = d;
  const { io, visitors: visitorNsp, agents: agentNsp } = createIo(d.httpServer, {
    // Sockets are not protected by CORS: the real gate is allowRequest plus namespace middleware.
    cors: { origin: true, credentials: true },
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: undefined,
    allowRequest: handshakeGate({ sites: d.sites, dashboardOrigins: () => dashboardOrigins, log, monitor: d.installMonitor }),
  });

  // engine.io documents `clients` (open sessions by id) as public; its typings mark it protected.
  bindSessionsToOrigin(io.engine as unknown as EngineSessions, () => dashboardOrigins);

  // What spans processes (server/cluster/): Redis when REDIS_URL is set, else this process alone.
  const cluster = config.redisUrl
    ? await connectRedisCluster({ url: config.redisUrl, prefix: config.redisPrefix, io, agents: agentNsp, presence: d.presence, bus: d.bus, now: d.now, log, sampleEveryMs: 10_000, samplesKept: 180 })
    : singleProcess(d.presence);
  const abuse = config.abuse ? await createAbuseGate({ limits: config.abuse, redisUrl: config.redisUrl, prefix: config.redisPrefix, log }) : null;
  const visitorEvents: VisitorEvents = new EventRouter();
  return { io, visitorNsp, visitorEvents, agentNsp, cluster, abuse };
}
