// Server child of the presence benchmark, in one of two modes:
//   porchlight: the real Porchlight server (startPorchlight) on 127.0.0.1:0, in-memory PGlite (or a
//               fresh PostgreSQL database when DATABASE_URL is set), with one agent account and site.
//   baseline:   a bare socket.io server with the same engine settings whose /visitor namespace
//               accepts every connection and does nothing else.
// It answers the orchestrator over IPC (gc, memory, event-loop lag, flush/history timings).
// Started by presence-bench.ts; not meant to be run by hand.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { exitWithParent, lagMonitor, notifyParent, serveParent, summarize, wall } from './bench-shared';

exitWithParent();
const mode = process.argv[2];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lag = lagMonitor();

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('start with --expose-gc');
  g();
  g();
};

/** CPU time of this process (all threads, like utime+stime in /proc/<pid>/stat) in microseconds. */
const cpu = () => {
  const u = process.cpuUsage();
  return { us: u.user + u.system, at: wall() };
};

const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
};

async function startBaseline(): Promise<void> {
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  // The engine settings Porchlight uses (server/main.ts), nothing else.
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
  const port = (httpServer.address() as AddressInfo).port;
  serveParent({
    gc: () => (gc(), memory()),
    cpu,
    memory: () => memory(),
    'lag-reset': () => lag.reset(),
    stats: () => ({ lag: lag.stats(), connected }),
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
    ...(process.env.PRESENCE_FLUSH_MS ? { PRESENCE_FLUSH_MS: process.env.PRESENCE_FLUSH_MS } : {}),
    ...(process.env.PRESENCE_GRACE_MS ? { PRESENCE_GRACE_MS: process.env.PRESENCE_GRACE_MS } : {}),
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
    drain: () => { upserts: unknown[]; removed: unknown[] }[];
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
  presence.drain = () => {
    const diffs = origDrain();
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
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password: 'bench-password-123', name: 'Bench Agent' }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const site = await server.services.sites.create(body.user.id, { name: 'Bench site', allowedOrigins: ['http://bench.example'] });

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
    },
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

(mode === 'baseline' ? startBaseline() : mode === 'porchlight' ? startPorchlightServer() : Promise.reject(new Error(`unknown mode ${mode}`))).catch(
  (err: unknown) => {
    console.error('[bench server] failed to start', err);
    process.exit(1);
  },
);
