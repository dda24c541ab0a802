// Composes the Porchlight server: one http.Server carrying the Next.js dashboard, better-auth,
// /embed.js, and socket.io (/visitor for snippets, /agent for dashboards).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from 'better-auth/node';
import type { Database } from '../drizzle/db';
import { createAuth } from './auth';
import { persistentSecret } from './auth-secret';
import type { Config } from './config';
import { ChatService } from './chat/chat-service';
import { ChatStore } from './chat/chat-store';
import { sendOfflineMail } from './chat/offline-mail';
import { sendInvitationMail } from './team/invitation-mail';
import { TeamService } from './team/team-service';
import { TeamStore } from './team/team-store';
import { visitorTokens } from './chat/visitor-token';
import { EventBus } from './events/bus';
import { HistoryWriter } from './history/writer';
import { createLogger, logFn } from './log';
import { createRouter, type RequestHandler } from './http/router';
import { sql } from 'drizzle-orm';
import { CallBook } from './calls/call-book';
import { systemClock } from './clock';
import { CallRecorder, listCallAgents, listCalls } from './calls/call-records';
import { PresenceEngine } from './presence/engine';
import { setServices, type Services } from './services';
import { SiteStore } from './sites/site-store';
import { InstallMonitor } from './sites/install-monitor';
import { attachSiteKeys } from './transport/site-keys';
import { attachAgentNamespace } from './transport/agent-namespace';
import { createCallTransport } from './transport/call-events';
import { createChatTransport, workspaceRoom } from './transport/chat-events';
import { createAssignmentTransport } from './transport/assignment-events';
import { AssignmentService } from './chat/assignment-service';
import { AssignmentStore } from './chat/assignment-store';
import { createAvailabilityTransport } from './transport/availability-events';
import { createMetrics, type Metrics } from './http/metrics';
import { rateLimitedCounts } from './transport/handler';
import { createAttentionTransport } from './transport/attention-events';
import { handshakeGate } from './transport/handshake-gate';
import { createIo, type PorchlightIo } from './transport/io';
import { bindSessionsToOrigin, type EngineSessions } from './transport/origin-bound';
import { watchSlowReaders } from './transport/slow-readers';
import { createSnippetServer } from './http/snippet-files';
import { createAvatarServer, memberAvatar } from './http/avatars';
import { attachVisitorNamespace, type VisitorEvents } from './transport/visitor-namespace';
import { EventRouter } from './transport/event-router';
import { openCountryLookup } from './visitors/geo';
import { connectRedisCluster } from './cluster/redis-cluster';
import { singleProcess } from './cluster/single';
import { startPresenceFlusher } from './cluster/presence-flusher';
import { createAbuseGate } from './transport/abuse-gate';

export type { RequestHandler };

export interface PorchlightOptions {
  config: Config;
  database: Database;
  /** The Next.js request handler, when the dashboard is served (absent in socket-level tests). */
  nextHandler?: RequestHandler;
  nextUpgrade?: (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void;
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

  const httpServer = http.createServer();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const dashboardOrigins = [...new Set([new URL(publicUrl).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];

  const sites = new SiteStore(db, now);
  const installMonitor = new InstallMonitor(db, { now, log });
  installMonitor.start();
  const presence = new PresenceEngine({ now, graceMs: config.graceMs, sampleEveryMs: 10_000, samplesKept: 180, confirmRemovals: !!config.redisUrl });
  let lastDropLog = 0;
  let metrics: Metrics | null = null;
  const history = new HistoryWriter(db, {
    intervalMs: 1000,
    maxQueue: 200_000,
    onVisitorsRecalled: (visitors) => {
      for (const v of visitors) presence.recall(v.siteId, v.visitorKey, v);
    },
    onFlushed: (ms) => metrics?.historyFlushed(ms),
    onError: (err, retryInMs) =>
      log(retryInMs === null ? 'history rows refused by the database (not retried)' : `history write failed, the database is away: retrying in ${retryInMs} ms`, err),
    // Said at most every 10 s: while it overflows, every new event drops one.
    onDrop: (dropped) => {
      if (now() - lastDropLog < 10_000) return;
      lastDropLog = now();
      log(`history queue full: ${dropped} events dropped so far`, new Error('history queue overflow'));
    },
  });
  history.start();
  const secret = config.authSecret ?? persistentSecret(config.dataDir);
  const bus = new EventBus((err, event) => log(`${event} subscriber failed`, err));
  const auth = createAuth({
    db,
    secret,
    baseURL: publicUrl,
    trustedOrigins: dashboardOrigins,
    rateLimit: config.authRateLimit,
    onUserCreated: async (u) => {
      await sites.createWorkspaceFor(u.id, `${u.name}'s workspace`);
    },
    onSessionEnded: (s) => bus.publish('access:changed', { userId: s.userId, sessionId: s.id, reason: 'signed-out' }),
  });
  // Who is online is known to the chat transport, built further down.
  let agentPresence: (workspaceId: string) => Promise<{ connected: string[]; online: string[] }> = async () => ({ connected: [], online: [] });
  const team = new TeamService(new TeamStore(db), bus, { now }, { publicUrl: () => publicUrl, presence: (ws) => agentPresence(ws) });
  const country = await openCountryLookup(log);

  const { io, visitors: visitorNsp, agents: agentNsp } = createIo(httpServer, {
    // Sockets are not protected by CORS: the real gate is allowRequest plus namespace middleware.
    cors: { origin: true, credentials: true },
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: undefined,
    allowRequest: handshakeGate({ sites, dashboardOrigins: () => dashboardOrigins, log, monitor: installMonitor }),
  });

  // engine.io documents `clients` (open sessions by id) as public; its typings mark it protected.
  bindSessionsToOrigin(io.engine as unknown as EngineSessions, () => dashboardOrigins);

  // What spans processes (server/cluster/): Redis when REDIS_URL is set, else this process alone.
  const cluster = config.redisUrl
    ? await connectRedisCluster({ url: config.redisUrl, prefix: config.redisPrefix, io, agents: agentNsp, presence, bus, now, log, sampleEveryMs: 10_000, samplesKept: 180 })
    : singleProcess(presence);
  const redis = cluster.shared ? cluster : null;
  const abuse = config.abuse ? await createAbuseGate({ limits: config.abuse, redisUrl: config.redisUrl, prefix: config.redisPrefix, log }) : null;

  const callRecords = new CallRecorder(db, log);
  if (!config.redisUrl) {
    const closed = await callRecords.closeInterrupted(now());
    if (closed) log(`closed ${closed} call record(s) left open by the previous run`);
  }
  const calls: CallBook = new CallBook({
    ringTimeoutMs: config.calls.ringTimeoutMs,
    connectTimeoutMs: config.calls.connectTimeoutMs,
    resumeGraceMs: config.calls.resumeGraceMs,
    clock: o.now ? { ...systemClock, now } : systemClock,
    newId: randomUUID,
    // The transport is built next (it needs the book too); events only flow once sockets connect.
    onEvent: (e) => {
      try {
        callTransport.onCallEvent(e);
      } catch (err) {
        log('call event failed', err);
      }
    },
  });
  // Every visitor socket's handlers, made once and shared (event-router.ts).
  const visitorEvents: VisitorEvents = new EventRouter();
  const callTransport = createCallTransport({
    book: calls,
    recorder: callRecords,
    presence,
    sites,
    ice: config.calls.ice,
    visitorNsp,
    visitorEvents,
    agentNsp,
    cluster: cluster.locks ? { locks: cluster.locks, processId: cluster.processId } : null,
    bus,
    goneGraceMs: config.calls.resumeGraceMs,
    now,
    log,
  });

  const chatStore = new ChatStore(db);
  const chat = new ChatService(chatStore, bus, now);
  const chatTransport = createChatTransport({
    chat,
    bus,
    sites,
    presence,
    visitorNsp,
    visitorEvents,
    agentNsp,
    cluster: !!redis,
    limits: config.chat,
    typingTtlMs: 6_000,
    log,
  });
  const mail = config.mail.smtpUrl ? sendOfflineMail({ db, bus, smtpUrl: config.mail.smtpUrl, from: config.mail.from, publicUrl, now, log }) : null;
  const inviteMail = config.mail.smtpUrl ? sendInvitationMail({ bus, smtpUrl: config.mail.smtpUrl, from: config.mail.from, log }) : null;

  attachVisitorNamespace(visitorNsp, {
    sites,
    presence,
    history,
    country,
    tokens: visitorTokens(secret),
    trustedProxies: config.trustedProxies,
    now,
    log,
    bus,
    onIdentify: chatTransport.onIdentify,
    abuse: abuse ?? undefined,
    events: visitorEvents,
    onConnection: (socket) => {
      callTransport.onVisitorConnection(socket);
      chatTransport.onVisitorConnection(socket);
    },
  });
  const siteKeys = attachSiteKeys(visitorNsp, { sites, cluster: !!redis, now, log });
  agentPresence = chatTransport.agentPresence;
  const availability = createAvailabilityTransport({ agentNsp, team, onChange: chatTransport.onAvailabilityChange, log, cluster: !!redis });
  const assignmentService = new AssignmentService(new AssignmentStore(db), chatStore, chat, bus, now);
  const assignment = createAssignmentTransport({
    assignment: assignmentService,
    bus,
    agentNsp,
    agentsOnline: chatTransport.agentsOnline,
    onAssigned: chatTransport.setLive,
    workspaceRoom,
    log,
  });
  const attention = createAttentionTransport({ agentNsp, sites, workspaceRoom, log });
  attachAgentNamespace(agentNsp, {
    onConnection: (socket) => {
      callTransport.onAgentConnection(socket);
      attention.onAgentConnection(socket);
      assignment.onAgentConnection(socket, chatTransport.onAgentConnection(socket));
      availability.onAgentConnection(socket);
    },
    callRecords,
    auth,
    db,
    sites,
    team,
    bus,
    presence,
    history,
    dashboardOrigins: () => dashboardOrigins,
    attention: attention.snapshot,
    cluster,
    log,
  });

  const stopSlowReaders = watchSlowReaders([agentNsp, visitorNsp], { maxBytes: config.slowReaderMaxBytes, log });

  // One computation per change, fanned out to every dashboard watching the site.
  const flusher = startPresenceFlusher({ presence, cluster, agents: agentNsp, flushMs: config.flushMs, log });

  metrics = createMetrics(
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

  const services: Services = {
    auth,
    db,
    sites,
    presence,
    publicUrl,
    demo: o.demo ?? null,
    team,
    chat,
    assignment: assignmentService,
    agentIdleAwayMs: config.agentIdleAwayMs,
    calls: { list: (f) => listCalls(db, f), agents: (siteIds) => listCallAgents(db, siteIds) },
  };
  setServices(services);

  httpServer.on(
    'request',
    createRouter({
      snippet: createSnippetServer(o.snippetDir),
      avatars: createAvatarServer((userId) => memberAvatar(db, userId), log),
      auth: toNodeHandler(auth),
      metrics,
      next: o.nextHandler,
      trustedProxies: config.trustedProxies,
      dashboardOrigins,
      health: () => ({ db: database.kind, redis: !!redis }),
      ready: { db: () => database.db.execute(sql`select 1`), redis: cluster.ping },
      dev: process.env.__NEXT_DEV_SERVER === '1' || process.env.NODE_ENV === 'development',
      log,
    }),
  );
  if (o.nextUpgrade) {
    const upgrade = o.nextUpgrade;
    httpServer.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/_next/')) upgrade(req, socket, head);
    });
  }

  return {
    url: `http://localhost:${port}`,
    port,
    services,
    io,
    history,
    bus,
    close: async () => {
      flusher.stop();
      stopSlowReaders();
      siteKeys.close();
      callTransport.close();
      chatTransport.close();
      mail?.close();
      inviteMail?.close();
      calls.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await callRecords.flush();
      await installMonitor.stop();
      await history.stop();
      await cluster.close();
      await abuse?.close();
      httpServer.closeAllConnections();
      setServices(undefined);
    },
  };
}
