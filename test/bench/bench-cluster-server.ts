// Server child of the cluster benchmark (cluster-bench.ts): one real Porchlight process
// (startPorchlight, no Next dashboard) on 127.0.0.1:0 over the PostgreSQL database the
// orchestrator created (BENCH_DATABASE_URL) and, when BENCH_REDIS_URL is set, the shared Redis with
// the run's prefix (BENCH_REDIS_PREFIX; own names, so a REDIS_URL in the shell never leaks in). It answers the orchestrator over IPC (gc, cpu, stats, which visitors it
// holds); the first process of a cluster is also asked to create the agent account and the site.
// Not meant to be run by hand. The orchestrator may SIGKILL it (failover).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitWithParent, fullGc, lagMonitor, notifyParent, processCpu, processMemory, serveParent, signUpAgent } from './bench-shared';

exitWithParent();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lag = lagMonitor();

const gc = fullGc;
const memory = processMemory;
const cpu = processCpu;
async function main(): Promise<void> {
  const dbUrl = process.env.BENCH_DATABASE_URL;
  if (!dbUrl) throw new Error('BENCH_DATABASE_URL is unset');
  const { openDatabase } = await import('../../drizzle/db');
  const { loadConfig } = await import('../../server/config');
  const { startPorchlight } = await import('../../server/main');

  // Inside the orchestrator's run folder, which it removes even when this process was SIGKILLed.
  const dataDir = mkdtempSync(path.join(process.env.BENCH_RUN_DIR ?? os.tmpdir(), 'porchlight-cluster-bench-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const redis = process.env.BENCH_REDIS_URL;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_PORT: 'off',
    DATA_DIR: dataDir,
    // The same secret on every process of the cluster: a session cookie from one works on all.
    BETTER_AUTH_SECRET: process.env.BENCH_AUTH_SECRET ?? randomBytes(32).toString('hex'),
    NODE_ENV: 'production',
    PORCHLIGHT_NO_RATE_LIMIT: '1', // many visitors from few addresses
    TRUSTED_PROXIES: '127.0.0.1', // nginx, as the README says to run it
    ...(redis ? { REDIS_URL: redis, REDIS_PREFIX: process.env.BENCH_REDIS_PREFIX ?? 'porchlight' } : {}),
    ...(process.env.PRESENCE_FLUSH_MS ? { PRESENCE_FLUSH_MS: process.env.PRESENCE_FLUSH_MS } : {}),
    ...(process.env.PRESENCE_GRACE_MS ? { PRESENCE_GRACE_MS: process.env.PRESENCE_GRACE_MS } : {}),
  });
  const database = await openDatabase({ url: dbUrl });
  const logged = new Map<string, number>();
  const server = await startPorchlight({
    config,
    database,
    snippetDir: path.join(root, 'embed-snippet', 'dist'),
    log: (msg, err) => {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message.slice(0, 120)) : String(err ?? '');
      const key = cause ? `${msg}: ${cause}` : msg;
      logged.set(key, (logged.get(key) ?? 0) + 1);
      // One line per kind of message, counted in the stats: a flood would distort the timings.
      if (logged.get(key) === 1 && process.env.BENCH_VERBOSE === '1') console.error(`[bench cluster server ${process.pid}] ${key}`);
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  let siteId: string | null = null;

  /** The agent: a real account through better-auth's HTTP endpoint, and one site it owns. */
  const setup = async () => {
    const { userId, cookie } = await signUpAgent(url, 'Bench Agent');
    const site = await server.services.sites.create(userId, { name: 'Bench site', allowedOrigins: ['http://bench.example'] });
    siteId = site.id;
    return { cookie, siteId: site.id, siteKey: site.publicKey };
  };

  const visitorNsp = server.io.of('/visitor');
  const history = server.history as unknown as { queue: unknown[] };
  serveParent({
    gc: () => (gc(), memory()),
    cpu,
    memory: () => memory(),
    setup,
    'set-site': (m) => void (siteId = m.siteId as string),
    'lag-reset': () => lag.reset(),
    stats: () => ({
      lag: lag.stats(),
      connected: visitorNsp.sockets.size,
      agents: server.io.of('/agent').sockets.size,
      // This process's own visitors of the site (the engine holds only its own sockets' visitors).
      listed: siteId ? server.services.presence.count(siteId) : 0,
      historyQueue: history.queue.length,
      serverLog: Object.fromEntries(logged),
    }),
    /** The visitor ids whose sockets this process holds (to know whose visitors a kill takes away). */
    'visitor-ids': () => [...new Set([...visitorNsp.sockets.values()].map((s) => (s.data as { visitorId?: string }).visitorId ?? ''))].filter(Boolean),
    shutdown: async () => {
      // Exit promptly: thousands of sockets are about to drop, nothing needs a graceful close.
      setTimeout(() => process.exit(0), 5000).unref();
      await Promise.race([server.close().catch(() => {}), new Promise((r) => setTimeout(r, 2500))]);
      await Promise.race([database.close().catch(() => {}), new Promise((r) => setTimeout(r, 1500))]);
      setImmediate(() => process.exit(0));
    },
  });
  notifyParent('ready', { url, port: server.port });
}

main().catch((err: unknown) => {
  console.error('[bench cluster server] failed to start', err);
  process.exit(1);
});
