// Cluster benchmark: `npm run bench:cluster` (options: `npm run bench:cluster -- --help`).
//
// Presence across three Porchlight processes behind nginx (server/deploy/nginx.conf), sharing a
// fresh PostgreSQL database and Redis, at each N (default 15,000 / 30,000 / 45,000 visitors): the
// visitors each process got, connect rate, page change -> dashboard latency on a dashboard
// straight on each process, and memory per visitor per process; beside it one process without
// nginx at the single-process size. Then failover: kill -9 of one process under a few thousand
// visitors, and how long until the surviving dashboards are right. The pieces: cluster-run.ts
// (starting and stopping a cluster), cluster-presence.ts, cluster-failover.ts, cluster-report.ts.
// Writes test/bench/results/cluster-latest.md (and .json) after every step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './bench-proc';
import { eachFlag, numberFlag, sleep } from './bench-shared';
import { runFailover, type FailoverRun } from './cluster-failover';
import { measurePresence } from './cluster-presence';
import { save, type ReportOptions, type Results } from './cluster-report';
import { log, type ClusterSpec } from './cluster-run';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Options extends ReportOptions {
  sizes: number[];
  single: number; // 0: none
  generators: number;
  concurrency: number;
  addresses: number;
  nginxWorkers: number;
  failoverRepeats: number;
  failoverTimeoutSeconds: number;
  only: 'all' | 'presence' | 'failover';
  maxMinutes: number;
}

const HELP = `Usage: DATABASE_URL=postgres://... npm run bench:cluster -- [options]
  --sizes 15000,30000,45000      visitors over the cluster (each N gets a fresh cluster)
  --processes 3                  Porchlight processes behind nginx
  --single 15000                 visitors for the one-process row (no nginx, no Redis); 0 skips it
  --rate 200                     total page changes per second during the load phase
  --dashboards-per-process 1     dashboards straight on each process
  --generators 0                 visitor generator processes (0: as the open-file limit needs, at least 2)
  --concurrency 100              handshakes in flight per generator while connecting
  --addresses 250                source addresses 127.0.0.1..127.0.0.<n> probed against nginx's hash
  --nginx-workers 1              at least this many nginx workers (more when the open-file limit needs them)
  --settle-rounds 20             GC + RSS rounds before the 'before' memory reading
  --after-rounds 6               the same once the visitors are connected
  --warmup-seconds 3             page changes before the measured window
  --load-seconds 15              measured page-change window
  --failover-visitors 3000       visitors in the failover runs
  --failover-repeats 3           kill -9 runs (a fresh cluster each; the killed process rotates)
  --failover-closing-every 10    every n-th visitor's tab closes with its process (no reconnection)
  --failover-hold-ms 2000        how long the tables must stay right to count
  --failover-timeout-seconds 60  give up on a failover run after this long
  --only all|presence|failover   run only one part
  --max-minutes 60               hard stop for the whole run (children, nginx and databases cleaned up)
  --out test/bench/results/cluster-latest.md
Environment: DATABASE_URL (required: PostgreSQL admin URL, a fresh database is made next to it),
REDIS_URL (default redis://127.0.0.1:6379), PRESENCE_FLUSH_MS, NGINX_PATH.`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: [15_000, 30_000, 45_000],
    processes: 3,
    single: 15_000,
    rate: 200,
    dashboardsPerProcess: 1,
    generators: 0,
    concurrency: 100,
    addresses: 250,
    nginxWorkers: 1,
    settleRounds: 20,
    afterRounds: 6,
    warmupSeconds: 3,
    loadSeconds: 15,
    failoverVisitors: 3000,
    failoverRepeats: 3,
    failoverClosingEvery: 10,
    holdMs: 2000,
    failoverTimeoutSeconds: 60,
    only: 'all',
    maxMinutes: 60,
    out: path.join(here, 'results', 'cluster-latest.md'),
  };
  const num = numberFlag;
  const ints: Record<string, [keyof Options, number, number]> = {
    '--processes': ['processes', 2, 8],
    '--single': ['single', 0, 60_000],
    '--rate': ['rate', 1, 5000],
    '--dashboards-per-process': ['dashboardsPerProcess', 1, 10],
    '--generators': ['generators', 0, 16],
    '--concurrency': ['concurrency', 1, 2000],
    '--addresses': ['addresses', 3, 250],
    '--nginx-workers': ['nginxWorkers', 1, 64],
    '--settle-rounds': ['settleRounds', 4, 120],
    '--after-rounds': ['afterRounds', 4, 120],
    '--warmup-seconds': ['warmupSeconds', 0, 60],
    '--load-seconds': ['loadSeconds', 1, 300],
    '--failover-visitors': ['failoverVisitors', 3, 60_000],
    '--failover-repeats': ['failoverRepeats', 1, 20],
    '--failover-closing-every': ['failoverClosingEvery', 2, 1000],
    '--failover-hold-ms': ['holdMs', 0, 30_000],
    '--failover-timeout-seconds': ['failoverTimeoutSeconds', 10, 600],
    '--max-minutes': ['maxMinutes', 1, 600],
  };
  eachFlag(argv, (flag, val, a) => {
    const spec = ints[flag];
    if (spec) {
      (o as unknown as Record<string, number>)[spec[0]] = num(flag.slice(2), val(), spec[1], spec[2]);
      return;
    }
    if (flag === '--help' || flag === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (flag === '--sizes') o.sizes = String(val()).split(',').map((s) => num('sizes', s.trim(), 3, 200_000));
    else if (flag === '--only') {
      const v = String(val());
      if (v !== 'all' && v !== 'presence' && v !== 'failover') throw new Error(`--only must be all, presence or failover, got ${v}`);
      o.only = v;
    } else if (flag === '--out') o.out = path.resolve(String(val()));
    else throw new Error(`unknown option ${a}\n${HELP}`);
  });
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const adminDbUrl = process.env.DATABASE_URL;
  if (!adminDbUrl) throw new Error('set DATABASE_URL to a PostgreSQL admin URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): the cluster needs PostgreSQL');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const res: Results = { startedAt: new Date(), finished: false, presence: [], failover: [] };
  const deadline = setTimeout(() => {
    console.error(`[cluster-bench] hard stop after ${o.maxMinutes} minutes`);
    save(o, res, o);
    killAll();
    process.exit(1); // the exit handlers stop nginx and drop the databases
  }, o.maxMinutes * 60_000);
  deadline.unref();

  const base = { generators: o.generators, concurrency: o.concurrency, addresses: o.addresses, minNginxWorkers: o.nginxWorkers, dashboardsPerProcess: o.dashboardsPerProcess, redisUrl, adminDbUrl };
  const load = { rate: o.rate, settleRounds: o.settleRounds, afterRounds: o.afterRounds, warmupSeconds: o.warmupSeconds, loadSeconds: o.loadSeconds };
  const steps: { setup: 'cluster' | 'single'; spec: ClusterSpec }[] = [];
  if (o.only !== 'failover') {
    for (const n of o.sizes) steps.push({ setup: 'cluster', spec: { ...base, processes: o.processes, nginx: true, visitors: n, label: `cluster-${n}` } });
    if (o.single > 0) steps.push({ setup: 'single', spec: { ...base, processes: 1, nginx: false, visitors: o.single, label: `single-${o.single}` } });
  }
  log(`presence: ${steps.map((s) => `${s.setup} ${s.spec.visitors}`).join(', ') || 'skipped'}; failover: ${o.only === 'presence' ? 'skipped' : `${o.failoverRepeats} x ${o.failoverVisitors} visitors`}; results -> ${path.relative(process.cwd(), o.out)}`);
  for (const step of steps) {
    const row: Results['presence'][number] = { setup: step.setup, n: step.spec.visitors };
    res.presence.push(row);
    try {
      row.r = await measurePresence(step.spec, load);
    } catch (err) {
      row.error = err instanceof Error ? err.message : String(err);
      log(`${step.spec.label} failed: ${row.error}`);
      killAll();
      await sleep(1000);
    }
    save(o, res, o);
  }
  if (o.only !== 'presence') {
    const spec: ClusterSpec = {
      ...base,
      processes: o.processes,
      nginx: true,
      visitors: o.failoverVisitors,
      reconnect: { delayMs: 1000, delayMaxMs: 30_000, closingEvery: o.failoverClosingEvery }, // the snippet's backoff
      label: 'failover',
    };
    for (let i = 0; i < o.failoverRepeats; i++) {
      try {
        res.failover.push(await runFailover(spec, i, { holdMs: o.holdMs, timeoutMs: o.failoverTimeoutSeconds * 1000 }));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        log(`failover #${i + 1} failed: ${error}`);
        res.failover.push({ repeat: i + 1, killed: `P${(i % o.processes) + 1}`, visitors: 0, perProcess: {}, killedVisitors: 0, killedClosing: 0, aMs: {}, bMs: {}, lastReconnectMs: NaN, firstResyncMs: null, movedTo: {}, nginxConnectErrors: 0, reconnect: { p50Ms: NaN, maxMs: NaN, disconnectNoticedP50Ms: NaN, attempts: {}, errors: {} }, error } satisfies FailoverRun);
        killAll();
        await sleep(1000);
      }
      save(o, res, o);
    }
  }
  res.finished = true;
  const md = save(o, res, o);
  console.log('\n' + md);
  clearTimeout(deadline);
  const failed = res.presence.some((r) => r.error) || res.failover.some((r) => r.error);
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error('[cluster-bench] failed', err);
  killAll();
  process.exit(1);
});
