// Server child of the presence benchmark, in one of two modes:
//   porchlight: the real Porchlight server (startPorchlight) on 127.0.0.1:0, in-memory PGlite (or a
//               fresh PostgreSQL database when DATABASE_URL is set), with one agent account and site.
//   baseline:   a bare socket.io server with the same engine settings whose /visitor namespace
//               accepts every connection and does nothing else.
//   relay:      the baseline plus a chat relay (chat benchmark): a visitor socket whose handshake
//               names a `relayRoom` joins that room, agent sockets join one room, and `chat:send`
//               is acknowledged and relayed with the same fan-out as Porchlight's chat (a visitor's
//               message to every agent, an agent's message to the visitor's room and every agent),
//               with nothing stored.
// It answers the orchestrator over IPC (gc, memory, event-loop lag, flush/history timings).
// Started by presence-bench.ts and chat-bench.ts; not meant to be run by hand. BENCH_CHAT=1 adds the
// chat benchmark's instrumentation (server time per chat:send) and its 'add-agents' request.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { exitWithParent, fullGc, gcMonitor, lagMonitor, notifyParent, processCpu, processMemory, serveParent, signUpAgent, stallMonitor, summarize } from './bench-shared';

exitWithParent();
const mode = process.argv[2];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lag = lagMonitor();

const gc = fullGc;
const cpu = processCpu;
const memory = processMemory;
async function startBaseline(relay = false): Promise<void> {
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  // The engine settings Porchlight uses (server/socket-server.ts), nothing else.
  const io = new SocketServer(httpServer, {
    cors: { origin: true, credentials: true },
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 64 * 1024,
  });
  let connected = 0;
  io.of('/visitor').on('connection', (socket) => {
    connected++;
    socket.on('disconnect', () => connected--);
  });
  let relayed = 0;
  let serverMs: { v2a: number[]; a2v: number[] } = { v2a: [], a2v: [] };
  const gcs = relay ? gcMonitor() : null;
  const stalls = relay ? stallMonitor() : null;
  if (relay) {
    // The same fan-out as Porchlight's chat (server/transport/chat-events.ts), nothing stored and
    // no access checks: what socket.io itself costs to carry the same messages.
    const agents = io.of('/agent');
    let seq = 0;
    const message = (room: string, p: { id?: unknown; text?: unknown }, from: 'visitor' | 'agent') => ({
      id: String(p?.id ?? ''),
      conversationId: room,
      seq: ++seq,
      from,
      agent: null,
      text: String(p?.text ?? ''),
      event: null,
      at: Date.now(),
    });
    io.of('/visitor').on('connection', (socket) => {
      const room = (socket.handshake.auth as { relayRoom?: unknown }).relayRoom;
      if (typeof room !== 'string') return; // an idle visitor: nothing more than the baseline
      void socket.join(room);
      socket.on('chat:send', (p: { id?: unknown; text?: unknown }, ack?: unknown) => {
        const t0 = performance.now();
        const m = message(room, p, 'visitor');
        agents.to('agents').emit('chat:message', { message: m });
        serverMs.v2a.push(performance.now() - t0);
        relayed++;
        if (typeof ack === 'function') ack({ ok: true, message: m });
      });
    });
    agents.on('connection', (socket) => {
      void socket.join('agents');
      socket.on('chat:send', (p: { conversationId?: unknown; id?: unknown; text?: unknown }, ack?: unknown) => {
        const t0 = performance.now();
        const room = String(p?.conversationId ?? '');
        const m = message(room, p, 'agent');
        io.of('/visitor').to(room).emit('chat:message', m);
        agents.to('agents').emit('chat:message', { message: m });
        serverMs.a2v.push(performance.now() - t0);
        relayed++;
        if (typeof ack === 'function') ack({ ok: true, message: m });
      });
    });
  }
  const port = (httpServer.address() as AddressInfo).port;
  serveParent({
    gc: () => (gc(), memory()),
    cpu,
    memory: () => memory(),
    'lag-reset': () => {
      lag.reset();
      gcs?.reset();
      stalls?.reset();
      serverMs = { v2a: [], a2v: [] };
    },
    stats: () => ({ lag: lag.stats(), connected, ...(relay ? { relayed, gc: gcs?.stats(), stalls: stalls?.stats(), chatServerMs: { v2a: summarize(serverMs.v2a), a2v: summarize(serverMs.a2v) } } : {}) }),
    shutdown: () => setImmediate(() => process.exit(0)),
  });
  notifyParent('ready', { url: `http://127.0.0.1:${port}`, port });
}

/** A fresh PostgreSQL database for this run (dropped at shutdown), as the integration tests do. */
async function freshPostgres(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const pg = (await import('pg')).default;
  const name = `porchlight_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function startPorchlightServer(): Promise<void> {
  const { openDatabase } = await import('../../drizzle/db');
  const { loadConfig } = await import('../../server/config');
  const { startPorchlight } = await import('../../server/main');

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-bench-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true })); // also when the orchestrator goes away
  const pgDb = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_PORT: 'off',
    DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    NODE_ENV: 'production',
    PORCHLIGHT_NO_RATE_LIMIT: '1', // the benchmarks sign up many agents from one address
    ...(process.env.PRESENCE_FLUSH_MS ? { PRESENCE_FLUSH_MS: process.env.PRESENCE_FLUSH_MS } : {}),
    ...(process.env.PRESENCE_GRACE_MS ? { PRESENCE_GRACE_MS: process.env.PRESENCE_GRACE_MS } : {}),
    // The chat benchmark raises the chat rate limits (it measures latency, not the limits).
    ...Object.fromEntries(
      ['CHAT_VISITOR_MESSAGES_PER_MINUTE', 'CHAT_VISITOR_TYPING_PER_MINUTE', 'CHAT_AGENT_EVENTS_PER_SECOND'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])),
    ),
  });
  // In memory by default; BENCH_PGLITE_DISK=1 keeps PGlite's files in the temporary folder, as `npm start` does in ./data.
  const onDisk = !pgDb && process.env.BENCH_PGLITE_DISK === '1';
  const database = await openDatabase({ url: pgDb?.url, dataDir: onDisk ? path.join(dataDir, 'pglite') : undefined });
  const logged = new Map<string, number>();
  const server = await startPorchlight({
    config,
    database,
    snippetDir: path.join(root, 'embed-snippet', 'dist'),
    log: (msg, err) => {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message.slice(0, 120)) : String(err ?? '');
      const key = `${msg}: ${cause}`;
      logged.set(key, (logged.get(key) ?? 0) + 1);
      // One line per kind of failure, counted in the stats: a flood would distort the timings.
      if (logged.get(key) === 1) console.error(`[bench server] ${key}`);
    },
  });
  const url = `http://127.0.0.1:${server.port}`;

  // Instrumentation from the outside (no change to server/): the flusher calls presence.tick(),
  // then drain(), emits, then latestSamples(); the history writer runs writeBatch() per interval.
  const presence = server.services.presence as unknown as {
    tick: () => void;
    drain: (windowMs?: number) => { upserts: unknown[]; removed: unknown[] }[];
    latestSamples: () => unknown[];
  };
  let flushStart = 0;
  let lastTick = 0;
  let flushMs: number[] = [];
  let tickGapMs: number[] = [];
  let drainedUpserts = 0;
  let flushesWithDiff = 0;
  const origTick = presence.tick.bind(presence);
  const origDrain = presence.drain.bind(presence);
  const origSamples = presence.latestSamples.bind(presence);
  presence.tick = () => {
    flushStart = performance.now();
    if (lastTick) tickGapMs.push(flushStart - lastTick);
    lastTick = flushStart;
    origTick();
  };
  // The window is passed through: without it every tick would flush, skipping the coalescing a
  // busy site gets in production (the figures were once 4x too good for that reason).
  presence.drain = (windowMs?: number) => {
    const diffs = origDrain(windowMs);
    for (const d of diffs) drainedUpserts += d.upserts.length + d.removed.length;
    if (diffs.length) flushesWithDiff++;
    return diffs;
  };
  presence.latestSamples = () => {
    const r = origSamples();
    flushMs.push(performance.now() - flushStart); // tick + drain + emit to every dashboard
    return r;
  };

  const history = server.history as unknown as { writeBatch: () => Promise<void>; queue: unknown[]; dropped: number };
  const origWrite = history.writeBatch.bind(history);
  let writing = false;
  let lastWriteEnd = performance.now();
  let writes: { ms: number; events: number }[] = [];
  history.writeBatch = async () => {
    const events = history.queue.length;
    if (events === 0) return origWrite();
    writing = true;
    const t0 = performance.now();
    try {
      await origWrite();
    } finally {
      writing = false;
      lastWriteEnd = performance.now();
      writes.push({ ms: lastWriteEnd - t0, events });
    }
  };

  // The agent: a real account through better-auth's HTTP endpoint, and one site it owns.
  const { userId: ownerId, cookie } = await signUpAgent(url, 'Bench Agent');
  const site = await server.services.sites.create(ownerId, { name: 'Bench site', allowedOrigins: ['http://bench.example'] });

  // Chat benchmark only (BENCH_CHAT=1): server time per chat:send, from the event reaching its
  // socket's handlers (onAny runs right before them) to the domain publishing the stored and
  // committed message (the transport's fan-out subscribed first, so it has been emitted by then).
  const chatBench = process.env.BENCH_CHAT === '1';
  const chatReceived = new Map<string, number>();
  let chatServerMs: { v2a: number[]; a2v: number[] } = { v2a: [], a2v: [] };
  const gcs = chatBench ? gcMonitor() : null;
  const stalls = chatBench ? stallMonitor() : null;
  if (chatBench) {
    const watch = (socket: { onAny(fn: (event: string, ...args: unknown[]) => void): void }) =>
      socket.onAny((event, p) => {
        const id = (p as { id?: unknown } | undefined)?.id;
        if (event === 'chat:send' && typeof id === 'string') chatReceived.set(id, performance.now());
      });
    server.io.of('/visitor').on('connection', watch);
    server.io.of('/agent').on('connection', watch);
    server.bus.subscribe('chat:message-sent', ({ message }) => {
      const t0 = chatReceived.get(message.id);
      if (t0 === undefined) return;
      chatReceived.delete(message.id);
      (message.from === 'visitor' ? chatServerMs.v2a : chatServerMs.a2v).push(performance.now() - t0);
    });
  }
  /** More agents in the site's workspace (real accounts through the same endpoint), with their session cookies. */
  const addAgents = async (count: number) => {
    const { workspaceMember } = await import('../../drizzle/schema');
    const ws = await server.services.sites.workspaceOf(ownerId);
    if (!ws) throw new Error('the bench account has no workspace');
    const agents: { userId: string; cookie: string; name: string }[] = [];
    for (let i = 0; i < count; i++) {
      const name = `Bench Agent ${i + 2}`;
      const u = await signUpAgent(url, name);
      await database.db.insert(workspaceMember).values({ workspaceId: ws.id, userId: u.userId, role: 'agent' });
      await server.services.team.switchTo(u.userId, ws.id);
      agents.push({ userId: u.userId, cookie: u.cookie, name });
    }
    return agents;
  };

  serveParent({
    gc: () => (gc(), memory()),
    cpu,
    memory: () => memory(),
    'lag-reset': () => {
      lag.reset();
      flushMs = [];
      tickGapMs = [];
      writes = [];
      drainedUpserts = 0;
      flushesWithDiff = 0;
      chatServerMs = { v2a: [], a2v: [] };
      gcs?.reset();
      stalls?.reset();
    },
    'add-agents': (m) => addAgents(m.count as number),
    stats: () => ({
      lag: lag.stats(),
      connected: server.io.of('/visitor').sockets.size,
      agents: server.io.of('/agent').sockets.size,
      listed: server.services.presence.count(site.id),
      flushMs: summarize(flushMs),
      tickGapMs: summarize(tickGapMs),
      flushesWithDiff,
      drainedUpserts,
      historyWrites: { count: writes.length, events: writes.reduce((a, w) => a + w.events, 0), ms: summarize(writes.map((w) => w.ms)) },
      historyQueue: history.queue.length,
      historyDropped: history.dropped,
      historyIdleMs: writing ? 0 : performance.now() - lastWriteEnd,
      serverErrors: Object.fromEntries(logged),
      ...(chatBench ? { gc: gcs?.stats(), stalls: stalls?.stats(), chatServerMs: { v2a: summarize(chatServerMs.v2a), a2v: summarize(chatServerMs.a2v) } } : {}),
    }),
    shutdown: async () => {
      // Exit promptly: thousands of sockets are about to drop, nothing here needs a graceful close.
      setTimeout(() => process.exit(0), 7000).unref();
      // A history batch may still be running: give the close 2 s, then drop (FORCE) regardless.
      if (pgDb || onDisk) await Promise.race([database.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
      rmSync(dataDir, { recursive: true, force: true });
      if (pgDb) await pgDb.drop().catch((err: unknown) => console.error('[bench server] could not drop the bench database', err));
      setImmediate(() => process.exit(0));
    },
  });
  notifyParent('ready', { url, port: server.port, cookie, siteId: site.id, siteKey: site.publicKey, db: onDisk ? 'pglite-disk' : database.kind });
}

(mode === 'baseline' ? startBaseline() : mode === 'relay' ? startBaseline(true) : mode === 'porchlight' ? startPorchlightServer() : Promise.reject(new Error(`unknown mode ${mode}`))).catch(
  (err: unknown) => {
    console.error('[bench server] failed to start', err);
    process.exit(1);
  },
);
