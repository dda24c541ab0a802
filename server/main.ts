// Composes the Porchlight server: one http.Server carrying the Next.js dashboard, better-auth,
// /embed.js, and socket.io (/visitor for snippets, /agent for dashboards). Each step is a module
// of its own; the order here is the order things start in (shutdown.ts holds the stopping order).
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Database } from '../drizzle/db';
import { wireCalls } from './call-wiring';
import { wireChat } from './chat-wiring';
import { systemClock } from './clock';
import { startPresenceFlusher } from './cluster/presence-flusher';
import type { Config } from './config';
import { startCoreServices, type LaterParts, type ServerBasics } from './core-services';
import type { EventBus } from './events/bus';
import type { HistoryWriter } from './history/writer';
import { listCallAgents, listCalls } from './calls/call-records';
import { createMetrics } from './http/metrics';
import type { RequestHandler } from './http/router';
import { listenHttp, routeHttp } from './http-server';
import { createLogger, logFn } from './log';
import { startMailSenders } from './mail-senders';
import { wireNamespaces } from './namespace-wiring';
import { setServices, type Services } from './services';
import { stopPorchlight } from './shutdown';
import { openSocketServer } from './socket-server';
import { rateLimitedCounts } from './transport/handler';
import type { PorchlightIo } from './transport/io';
import { watchSlowReaders } from './transport/slow-readers';

export type { RequestHandler };

export interface PorchlightOptions {
  config: Config;
  database: Database;
  /** The Next.js request handler, when the dashboard is served (absent in socket-level tests). */
  nextHandler?: RequestHandler;
  nextUpgrade?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Folder with the built snippet (embed.js). */
  snippetDir: string;
  demo?: Services['demo'];
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export interface Porchlight {
  url: string;
  port: number;
  services: Services;
  io: PorchlightIo;
  history: HistoryWriter;
  bus: EventBus;
  close(): Promise<void>;
}

export async function startPorchlight(o: PorchlightOptions): Promise<Porchlight> {
  const { config, database } = o;
  const now = o.now ?? Date.now;
  const log = o.log ?? logFn(createLogger());
  const db = database.db;
  const basics: ServerBasics = { config, db, now, log };

  const listening = await listenHttp(config);
  const { httpServer, port, publicUrl, dashboardOrigins } = listening;

  // Who is online is known to the chat transport, built further down; metrics come last.
  const later: LaterParts = { metrics: null, agentPresence: async () => ({ connected: [], online: [] }) };
  const core = await startCoreServices({ ...basics, publicUrl, dashboardOrigins, later });
  const { presence, history, bus, auth } = core;

  const sockets = await openSocketServer({ ...basics, ...core, httpServer, dashboardOrigins });
  const { io, visitorNsp, agentNsp, cluster, abuse } = sockets;

  const callWiring = await wireCalls({ ...basics, ...core, ...sockets, clock: o.now ? { ...systemClock, now } : systemClock });
  const chatWiring = wireChat({ ...basics, ...core, ...sockets });
  later.agentPresence = chatWiring.chatTransport.agentPresence;
  const mail = startMailSenders({ ...basics, ...core, publicUrl });
  const { siteKeys, assignmentService } = wireNamespaces({ ...basics, ...core, ...sockets, ...callWiring, ...chatWiring, dashboardOrigins });
  const { calls } = callWiring;
  const { chatStore } = chatWiring;

  const stopSlowReaders = watchSlowReaders([agentNsp, visitorNsp], { maxBytes: config.slowReaderMaxBytes, log });

  // One computation per change, fanned out to every dashboard watching the site.
  const flusher = startPresenceFlusher({ presence, cluster, agents: agentNsp, flushMs: config.flushMs, log });

  const metrics = createMetrics(
    {
      visitors: () => visitorNsp.sockets.size,
      dashboards: () => agentNsp.sockets.size,
      history: () => history.stats(),
      calls: () => calls.live().length,
      chats: () => chatStore.openCount(),
      rateLimited: rateLimitedCounts,
      abuseRefusals: abuse ? abuse.refusals : undefined,
    },
    { token: config.metricsToken, onError: (err) => log('metrics failed', err) },
  );
  later.metrics = metrics;

  const services: Services = {
    auth,
    db,
    sites: core.sites,
    presence,
    publicUrl,
    demo: o.demo ?? null,
    team: core.team,
    chat: chatWiring.chat,
    assignment: assignmentService,
    agentIdleAwayMs: config.agentIdleAwayMs,
    calls: { list: (f) => listCalls(db, f), agents: (siteIds) => listCallAgents(db, siteIds) },
  };
  setServices(services);

  routeHttp({
    listening,
    config,
    database,
    auth,
    metrics,
    cluster,
    snippetDir: o.snippetDir,
    nextHandler: o.nextHandler,
    nextUpgrade: o.nextUpgrade,
    log,
  });

  return {
    url: `http://localhost:${port}`,
    port,
    services,
    io,
    history,
    bus,
    close: () =>
      stopPorchlight({ ...core, ...sockets, ...callWiring, ...chatWiring, flusher, stopSlowReaders, siteKeys, mail, httpServer }),
  };
}
