// `npm start`: builds what is missing, opens the database, starts Porchlight and the demo
// customer website, and prints where to go. Settings: see server/config.ts and the README.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../drizzle/db';
import { newestMtime } from './build-freshness';
import { loadConfig } from './config';
import { createLogger, logFn } from './log';
import { startDemoSite } from './demo/demo-site';
import { seedDemo, DEMO_ACCOUNT } from './demo/seed';
import { startPorchlight } from './main';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');

/** One line of progress per step (the raw build log only when a step fails). */
const step = (text: string) => console.log(`[porchlight] ${text}`);

/** Runs one npm script quietly; on failure, prints the end of its output and stops. */
function runQuietly(script: string, what: string): void {
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd().split('\n');
    console.error(out.slice(-60).join('\n'));
    throw new Error(`${what} failed (npm run ${script}); its output is above`);
  }
  step(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Build the dashboard and the snippet when they are missing or older than their sources. */
function buildIfNeeded(): void {
  const nextStamp = path.join(root, '.next', 'BUILD_ID');
  const snippet = path.join(root, 'embed-snippet', 'dist', 'embed.js');
  const sources = Math.max(...['app', 'server', 'drizzle', 'embed-snippet'].map((d) => newestMtime(path.join(root, d))));
  const stale = (f: string) => !existsSync(f) || statSync(f).mtimeMs < sources;
  if (stale(snippet)) {
    step('building the snippet…');
    runQuietly('build:snippet', 'the snippet');
  }
  if (!dev && stale(nextStamp)) {
    step(existsSync(nextStamp) ? 'rebuilding the dashboard (sources changed, about a minute)…' : 'building the dashboard (first start only, about a minute)…');
    runQuietly('build:next', 'the dashboard');
  }
}

const logger = createLogger();

async function main(): Promise<void> {
  const config = loadConfig();
  const log = logFn(logger);
  if (!process.env.SKIP_BUILD) buildIfNeeded();
  step(config.databaseUrl ? 'opening PostgreSQL (DATABASE_URL)…' : `opening the database in ${path.join(config.dataDir, 'pglite')}…`);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'), log: (m) => logger.warn(m) });

  step('starting the dashboard and the realtime server…');
  const { default: next } = await import('next');
  const app = next({ dev, dir: root, hostname: 'localhost', port: config.port });
  await app.prepare();

  const server = await startPorchlight({
    config,
    database,
    nextHandler: app.getRequestHandler(),
    nextUpgrade: dev ? app.getUpgradeHandler() : undefined,
    snippetDir: path.join(root, 'embed-snippet', 'dist'),
    log,
  });

  let demo: Awaited<ReturnType<typeof startDemoSite>> | null = null;
  if (config.demoPort !== null) {
    demo = await startDemoSite({ port: config.demoPort, porchlightUrl: server.services.publicUrl });
    const site = await seedDemo(server.services, [demo.url, demo.url.replace('localhost', '127.0.0.1')]);
    demo.setSiteKey(site.publicKey);
    server.services.demo = { url: demo.url, ...DEMO_ACCOUNT };
  }

  const dbLabel = database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.join(config.dataDir, 'pglite')}`;
  console.log(
    [
      '',
      `  Porchlight dashboard   ${server.services.publicUrl}`,
      demo ? `  Demo customer website  ${demo.url}` : '',
      demo ? `  Demo login             ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}` : '',
      `  Database               ${dbLabel}`,
      `  Realtime               ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in memory (one process)'}`,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
  // Machine-readable line for tests and scripts that start the server on port 0.
  console.log(`PORCHLIGHT_READY ${JSON.stringify({ url: server.services.publicUrl, demoUrl: demo?.url ?? null })}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await demo?.close();
    await server.close();
    await app.close?.();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  logger.fatal({ err }, `failed to start: ${err instanceof Error ? err.message : String(err)}`);
  // pino writes asynchronously: give it a moment before exiting.
  setTimeout(() => process.exit(1), 100);
});
