// Presence benchmark: `npm run bench` (options: `npm run bench -- --help`).
//
// For each N (default 1,000 / 5,000 / 10,000 / 15,000 visitors) it starts, as separate processes
// on loopback only:
//   - the Porchlight server (bench-server.ts porchlight: startPorchlight, in-memory PGlite or a
//     fresh PostgreSQL database when DATABASE_URL is set, default PRESENCE_FLUSH_MS),
//   - a dashboards process (bench-client.ts dashboards: a few agents watching the site),
//   - visitor generators (bench-client.ts visitors: real socket.io-client sockets, websocket
//     transport, source addresses spread over 127.0.0.1..127.0.0.x),
// connects N visitors, measures memory and idle CPU, then drives page changes at a steady rate and
// measures page-change -> dashboard latency. Then it holds N connections on a bare socket.io
// server (bench-server.ts baseline) as the baseline. Prints a Markdown table and writes it, with
// the machine and the method, to test/bench/results/presence-latest.md (and .json).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressesFor, Child, cpuWindow, foreignCpuWindow, killAll, machine, serverCpuWindow, settledMemory as settled, sliceSizes, waitFor } from './bench-proc';
import { openFileLimit, rssKb, sleep, wall, type LagStats, type Summary } from './bench-shared';
import { DEFAULT_PRESENCE_FLUSH_MS } from '../../server/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// ---------------------------------------------------------------------------------------------
// options

interface Options {
  sizes: number[];
  rate: number;
  dashboards: number;
  generators: number;
  concurrency: number;
  addresses: number;
  idleSeconds: number;
  emptySeconds: number;
  settleRounds: number;
  afterRounds: number;
  warmupSeconds: number;
  loadSeconds: number;
  baseline: boolean;
  pgliteDisk: boolean;
  maxMinutes: number;
  out: string;
}

const HELP = `Usage: npm run bench -- [options]
  --sizes 1000,5000,10000,15000   visitor counts to run (each N gets a fresh server)
  --rate 200                      total page changes per second during the load phase
  --dashboards 3                  agent dashboards watching the site
  --generators 2                  visitor generator processes
  --concurrency 100               handshakes in flight per generator while connecting
  --addresses 16                  source addresses 127.0.0.1..127.0.0.<n> for visitor sockets
  --idle-seconds 25               idle (heartbeat only) CPU window; 25 s = one pingInterval
  --empty-seconds 4               idle CPU window before any visitor connects
  --settle-rounds 20              GC + RSS rounds (1 s apart) before the 'before' memory reading
  --after-rounds 6                the same after the visitors connected and the idle window
  --warmup-seconds 3              page changes before the measured window
  --load-seconds 15               measured page-change window
  --no-baseline                   skip the bare socket.io baseline
  --pglite-disk                   PGlite with its files in a temporary folder (as npm start) instead of in memory
  --max-minutes 20                hard stop for the whole run
  --out test/bench/results/presence-latest.md
Environment: DATABASE_URL (PostgreSQL instead of in-memory PGlite), PRESENCE_FLUSH_MS.`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: [1000, 5000, 10000, 15000],
    rate: 200,
    dashboards: 3,
    generators: 2,
    concurrency: 100,
    addresses: 16,
    idleSeconds: 25,
    emptySeconds: 4,
    settleRounds: 20,
    afterRounds: 6,
    warmupSeconds: 3,
    loadSeconds: 15,
    baseline: true,
    pgliteDisk: false,
    maxMinutes: 20,
    out: path.join(here, 'results', 'presence-latest.md'),
  };
  const num = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        console.log(HELP);
        process.exit(0);
        break;
      case '--sizes':
        o.sizes = String(val())
          .split(',')
          .map((s) => num('sizes', s.trim().replace(/_/g, ''), 1, 19_000));
        break;
      case '--rate':
        o.rate = num('rate', val(), 1, 5000);
        break;
      case '--dashboards':
        o.dashboards = num('dashboards', val(), 1, 50);
        break;
      case '--generators':
        o.generators = num('generators', val(), 1, 4);
        break;
      case '--concurrency':
        o.concurrency = num('concurrency', val(), 1, 2000);
        break;
      case '--addresses':
        o.addresses = num('addresses', val(), 1, 250);
        break;
      case '--idle-seconds':
        o.idleSeconds = num('idle-seconds', val(), 1, 120);
        break;
      case '--empty-seconds':
        o.emptySeconds = num('empty-seconds', val(), 1, 120);
        break;
      case '--settle-rounds':
        o.settleRounds = num('settle-rounds', val(), 4, 120);
        break;
      case '--after-rounds':
        o.afterRounds = num('after-rounds', val(), 4, 120);
        break;
      case '--warmup-seconds':
        o.warmupSeconds = num('warmup-seconds', val(), 0, 60);
        break;
      case '--load-seconds':
        o.loadSeconds = num('load-seconds', val(), 1, 300);
        break;
      case '--no-baseline':
        o.baseline = false;
        break;
      case '--pglite-disk':
        o.pgliteDisk = true;
        break;
      case '--max-minutes':
        o.maxMinutes = num('max-minutes', val(), 1, 120);
        break;
      case '--out':
        o.out = path.resolve(String(val()));
        break;
      default:
        throw new Error(`unknown option ${a}\n${HELP}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// measurement

interface ServerStats {
  lag: LagStats;
  connected: number;
  agents?: number;
  listed?: number;
  flushMs?: Summary;
  tickGapMs?: Summary;
  flushesWithDiff?: number;
  drainedUpserts?: number;
  historyWrites?: { count: number; events: number; ms: Summary };
  historyQueue?: number;
  historyDropped?: number;
  historyIdleMs?: number;
  /** Messages the server logged (failures), with counts, since it started. */
  serverErrors?: Record<string, number>;
}
interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}
interface ConnectResult {
  connected: number;
  retried: number;
  errors: Record<string, number>;
  startedAt: number;
  endedAt: number;
}
interface DashboardMeasure {
  latency: Summary;
  perBoard: number[];
  diffsPerBoard: number;
  avgDiffBytes: number;
  avgUpsertsPerDiff: number;
  bytesPerUpsert: number;
  connected: number;
  lag: LagStats;
}
interface VisitorStats {
  connected: number;
  disconnects: Record<string, number>;
  acksOk: number;
  ackErrors: Record<string, number>;
  lag: LagStats;
  memory: number;
}

interface ConnectPhase {
  /** Server CPU (% of one core) while the visitors connect. */
  connectCpuPct?: number;
  /** The visitor generators' CPU (sum, % of one core) meanwhile. */
  connectClientsCpuPct?: number;
  connected: number;
  retried: number;
  errors: Record<string, number>;
  connectMs: number;
  rate: number;
}

interface PorchlightResult extends ConnectPhase {
  n: number;
  db: string;
  visibleMs: number;
  settleMs: number;
  connectServer: ServerStats;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssSettled: boolean;
  rssPerVisitorKb: number;
  heapPerVisitorKb: number;
  externalPerVisitorKb: number;
  emptyCpuPct: number;
  idleCpuPct: number;
  idleForeignCpuPct: number;
  idleServer: ServerStats;
  loadCpuPct: number;
  loadForeignCpuPct: number;
  generatorsCpuPct: number;
  dashboardsCpuPct: number;
  loadServer: ServerStats;
  dashboards: DashboardMeasure;
  sentMeasured: number;
  sentTotal: number;
  achievedRate: number;
  deliveredPct: number;
  visitors: VisitorStats[];
}

interface BaselineResult extends ConnectPhase {
  n: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssSettled: boolean;
  rssPerConnKb: number;
  heapPerConnKb: number;
  externalPerConnKb: number;
  idleForeignCpuPct: number;
  emptyCpuPct: number;
  idleCpuPct: number;
  idleServer: ServerStats;
}


/**
 * Full GC in the server, then VmRSS, once a second, until at least `minRounds` rounds have run and
 * the last four readings agree within 1 MB. V8 gives pooled heap pages back to the system only
 * after a number of full GCs spaced over time (a fresh server sheds 30-40 MB that way about 12 s
 * into such a loop, none of it with back-to-back GCs), so a reading taken earlier would bias the
 * per-visitor figure by more than the figure itself at small N.
 */
/** CPU with no visitors yet, then the "before" memory reading: the same for Porchlight and the baseline. */
async function measureEmpty(server: Child, o: { emptySeconds: number }) {
  const idle0 = await serverCpuWindow(server);
  await sleep(o.emptySeconds * 1000);
  const emptyCpuPct = await idle0();
  const { mem: mem0, rssKb: rssBeforeKb } = await memoryNow(server);
  return { emptyCpuPct, mem0, rssBeforeKb };
}

/** Heartbeat-only CPU over the idle window, then settled memory: the same for Porchlight and the baseline. */
async function measureIdle(server: Child, o: { idleSeconds: number; afterRounds: number }) {
  await server.request('lag-reset');
  const idleCpu = await serverCpuWindow(server);
  const idleForeign = foreignCpuWindow();
  await sleep(o.idleSeconds * 1000);
  const idleCpuPct = await idleCpu();
  const idleForeignCpuPct = idleForeign();
  const idleServer = await server.request<ServerStats>('stats');
  const after = await settledMemory(server, o.afterRounds);
  return { idleCpuPct, idleForeignCpuPct, idleServer, mem1: after.mem, rssAfterKb: after.rssKb, settled: after.settled };
}

const settledMemory = (server: Child, minRounds: number) => settled<Memory>(server, minRounds);

/** One more full GC and reading right before the visitors connect. */
async function memoryNow(server: Child): Promise<{ rssKb: number; mem: Memory }> {
  const mem = await server.request<Memory>('gc');
  return { rssKb: rssKb(server.pid), mem };
}

async function startVisitors(o: Options, n: number, url: string, key: string | null, label: string): Promise<Child[]> {
  const slices = sliceSizes(n, o.generators);
  const gens = slices.map((_, g) => new Child(`${label}-visitors-${g}`, 'bench-client.ts', ['visitors']));
  await Promise.all(
    gens.map(async (g, i) => {
      const count = slices[i] as number;
      const { openFiles } = await g.request<{ openFiles: number }>('init', {
        init: { url, key, origin: 'http://bench.example', count, generator: i, localAddresses: addressesFor(o.addresses), concurrency: o.concurrency, connectTimeoutMs: 20_000 },
      }, 60_000);
      if (count + 200 > openFiles) throw new Error(`${g.name} would hold ${count} sockets but may open only ${openFiles} files: use more --generators`);
    }),
  );
  return gens;
}

async function connectAll(gens: Child[], n: number): Promise<ConnectPhase> {
  const startAt = wall() + 300;
  const results = await Promise.all(gens.map((g) => g.request<ConnectResult>('connect', { startAt }, 60_000 + n * 20)));
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const connectMs = Math.max(...results.map((r) => r.endedAt)) - startAt;
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return { connected, retried: results.reduce((a, r) => a + r.retried, 0), errors, connectMs, rate: connected / (connectMs / 1000) };
}

async function runPorchlight(o: Options, n: number): Promise<PorchlightResult> {
  const all: Child[] = [];
  try {
    const server = new Child(`porchlight-server-${n}`, 'bench-server.ts', ['porchlight'], o.pgliteDisk ? { BENCH_PGLITE_DISK: '1' } : {});
    all.push(server);
    const ready = (await server.once('ready', 120_000)) as { url: string; cookie: string; siteId: string; siteKey: string; db: string };
    // Settle the server's memory while the client processes start (GCs spaced a second apart).
    const settling = settledMemory(server, o.settleRounds);
    const serverLimit = openFileLimit(server.pid);
    if (n + 500 > serverLimit) throw new Error(`the server may open only ${serverLimit} files; N=${n} does not fit`);

    const dash = new Child(`dashboards-${n}`, 'bench-client.ts', ['dashboards']);
    all.push(dash);
    await dash.request('init', { init: { url: ready.url, cookie: ready.cookie, siteId: ready.siteId, count: o.dashboards } });
    await dash.request('connect', {}, 30_000);

    const gens = await startVisitors(o, n, ready.url, ready.siteKey, `porchlight-${n}`);
    all.push(...gens);

    const before = await settling;
    const { emptyCpuPct, mem0, rssBeforeKb } = await measureEmpty(server, o);
    await server.request('lag-reset');

    // 1. connect N visitors; they must all become visible on every dashboard.
    log(`porchlight N=${n}: connecting`);
    const connectCpu = await serverCpuWindow(server);
    const clientsCpu = cpuWindow(gens.map((g) => g.pid));
    const connect = await connectAll(gens, n);
    const connectCpuPct = await connectCpu();
    const connectClientsCpuPct = clientsCpu().reduce((a, b) => a + b, 0);
    const visibleMs = await waitFor('every dashboard to list every visitor', 60_000, async () => {
      const totals = await dash.request<{ total: number }[]>('totals');
      return totals.every((t) => t.total === connect.connected);
    }, 20);
    const connectServer = await server.request<ServerStats>('stats');
    log(`porchlight N=${n}: ${connect.connected} connected in ${(connect.connectMs / 1000).toFixed(1)} s (${connect.rate.toFixed(0)}/s); all listed on dashboards ${visibleMs.toFixed(0)} ms after the last connect`);

    // 2. settle: the history writer has written the connect burst, nothing is queued.
    const settleMs = await waitFor('the history writer to catch up', 180_000, async () => {
      const s = await server.request<ServerStats>('stats');
      return s.historyQueue === 0 && (s.historyIdleMs ?? 0) > 1500;
    }, 250);

    // 3. idle heartbeat: only engine.io pings (and the presence flusher's empty ticks).
    const { idleCpuPct, idleForeignCpuPct, idleServer, mem1, rssAfterKb, settled: afterSettled } = await measureIdle(server, o);
    log(`porchlight N=${n}: idle CPU ${idleCpuPct.toFixed(2)} %, RSS ${((rssAfterKb - rssBeforeKb) / n).toFixed(2)} KB/visitor`);

    // 4. page changes at a steady rate; the measured window follows a warm-up.
    await dash.request('measure-reset');
    const loadStart = wall() + 500;
    const measureFrom = loadStart + o.warmupSeconds * 1000;
    const endAt = measureFrom + o.loadSeconds * 1000;
    const slices = sliceSizes(n, o.generators);
    const loads = gens.map((g, i) =>
      g.request<{ sent: number; sentMeasured: number; lag: LagStats }>('load', { rate: (o.rate * (slices[i] as number)) / n, startAt: loadStart, measureFrom, endAt }, endAt - wall() + 60_000),
    );
    await sleep(Math.max(0, measureFrom - wall()));
    await server.request('lag-reset');
    const serverLoadCpu = await serverCpuWindow(server);
    const loadCpu = cpuWindow([dash.pid, ...gens.map((g) => g.pid)]);
    const loadForeign = foreignCpuWindow();
    await sleep(Math.max(0, endAt - wall()));
    const loadForeignCpuPct = loadForeign();
    const loadCpuPct = await serverLoadCpu();
    const [dashboardsCpuPct, ...genCpu] = loadCpu() as [number, ...number[]];
    const loadServer = await server.request<ServerStats>('stats');
    const sent = await Promise.all(loads);
    await sleep(1500); // diffs of the last page changes are in flight
    const dashboards = await dash.request<DashboardMeasure>('measure', { from: measureFrom, to: endAt });
    const visitors = await Promise.all(gens.map((g) => g.request<VisitorStats>('stats')));
    const sentMeasured = sent.reduce((a, s) => a + s.sentMeasured, 0);
    const deliveredPct = (100 * dashboards.latency.count) / Math.max(1, sentMeasured * o.dashboards);
    log(`porchlight N=${n}: p50 ${dashboards.latency.p50.toFixed(1)} ms, p99 ${dashboards.latency.p99.toFixed(1)} ms, ${(sentMeasured / o.loadSeconds).toFixed(0)} changes/s, server CPU ${loadCpuPct.toFixed(1)} %`);

    return {
      n,
      db: ready.db,
      ...connect,
      visibleMs,
      connectCpuPct,
      connectClientsCpuPct,
      settleMs,
      connectServer,
      rssBeforeKb,
      rssAfterKb,
      rssSettled: before.settled && afterSettled,
      rssPerVisitorKb: (rssAfterKb - rssBeforeKb) / connect.connected,
      heapPerVisitorKb: (mem1.heapUsed - mem0.heapUsed) / 1024 / connect.connected,
      externalPerVisitorKb: (mem1.external - mem0.external) / 1024 / connect.connected, // external includes arrayBuffers
      emptyCpuPct,
      idleCpuPct,
      idleForeignCpuPct,
      idleServer,
      loadCpuPct,
      loadForeignCpuPct,
      generatorsCpuPct: genCpu.reduce((a, b) => a + b, 0),
      dashboardsCpuPct,
      loadServer,
      dashboards,
      sentMeasured,
      sentTotal: sent.reduce((a, s) => a + s.sent, 0),
      achievedRate: sentMeasured / o.loadSeconds,
      deliveredPct,
      visitors,
    };
  } finally {
    // The server first: its side closes the sockets, the generators then exit without a storm of closes.
    for (const c of all) await c.stop();
  }
}

async function runBaseline(o: Options, n: number): Promise<BaselineResult> {
  const all: Child[] = [];
  try {
    const server = new Child(`baseline-server-${n}`, 'bench-server.ts', ['baseline']);
    all.push(server);
    const ready = (await server.once('ready', 60_000)) as { url: string };
    const settling = settledMemory(server, o.settleRounds);
    const gens = await startVisitors(o, n, ready.url, null, `baseline-${n}`);
    all.push(...gens);
    const before = await settling;
    const { emptyCpuPct, mem0, rssBeforeKb } = await measureEmpty(server, o);
    log(`baseline N=${n}: connecting`);
    const connectCpu = await serverCpuWindow(server);
    const clientsCpu = cpuWindow(gens.map((g) => g.pid));
    const connect = await connectAll(gens, n);
    const connectCpuPct = await connectCpu();
    const connectClientsCpuPct = clientsCpu().reduce((a, b) => a + b, 0);
    await waitFor('the baseline to hold every connection', 30_000, async () => (await server.request<ServerStats>('stats')).connected === connect.connected);
    await sleep(2000);
    const { idleCpuPct, idleForeignCpuPct, idleServer, mem1, rssAfterKb, settled: afterSettled } = await measureIdle(server, o);
    const r: BaselineResult = {
      idleForeignCpuPct,
      emptyCpuPct,
      connectCpuPct,
      connectClientsCpuPct,
      n,
      ...connect,
      rssBeforeKb,
      rssAfterKb,
      rssSettled: before.settled && afterSettled,
      rssPerConnKb: (rssAfterKb - rssBeforeKb) / connect.connected,
      heapPerConnKb: (mem1.heapUsed - mem0.heapUsed) / 1024 / connect.connected,
      externalPerConnKb: (mem1.external - mem0.external) / 1024 / connect.connected,
      idleCpuPct,
      idleServer,
    };
    log(`baseline N=${n}: ${connect.rate.toFixed(0)} connects/s, RSS ${r.rssPerConnKb.toFixed(2)} KB/conn, idle CPU ${idleCpuPct.toFixed(2)} %`);
    return r;
  } finally {
    for (const c of all) await c.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// report

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Row {
  n: number;
  p?: PorchlightResult;
  b?: BaselineResult;
  error?: string;
}

function render(o: Options, rows: Row[], startedAt: Date, finished: boolean): string {
  const m = machine();
  const flush = process.env.PRESENCE_FLUSH_MS ?? `${DEFAULT_PRESENCE_FLUSH_MS} (default)`;
  const db = rows.find((r) => r.p)?.p?.db ?? (process.env.DATABASE_URL ? 'postgres' : o.pgliteDisk ? 'pglite-disk' : 'pglite');
  const dbLabel = db === 'postgres' ? 'PostgreSQL (DATABASE_URL, fresh database)' : db === 'pglite-disk' ? 'PGlite with its files in a temporary folder (as `npm start` keeps them in ./data), on its own thread in the server process' : 'PGlite in memory, on its own thread in the server process';
  const lines: string[] = [];
  lines.push('# Presence benchmark');
  lines.push('');
  lines.push(`Run ${startedAt.toISOString()}${finished ? '' : ' (incomplete: stopped early)'} on ${m.nproc} cores (${m.cpu}), ${m.memGiB.toFixed(0)} GiB, ${m.kernel}, Node ${m.node}; open-file limit ${m.openFiles}.`);
  lines.push(`Database: ${dbLabel}; PRESENCE_FLUSH_MS ${flush}; ${o.dashboards} dashboards; page changes at ${o.rate}/s in total; ${o.generators} visitor generator processes.`);
  lines.push('');
  lines.push('| N visitors | connect/s | RSS/visitor KB | baseline RSS KB/conn | RSS ratio | live KB/visitor | baseline live KB/conn | live ratio | idle CPU % | baseline idle CPU % | idle CPU ratio | CPU % under load | p50 ms | p99 ms | page changes/s |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const p = r.p;
    const b = r.b;
    if (!p && !b) {
      lines.push(`| ${int(r.n)} | failed: ${(r.error ?? '').split('\n')[0]} | | | | | | | | | | | | | |`);
      continue;
    }
    const memRatio = p && b ? p.rssPerVisitorKb / b.rssPerConnKb : NaN;
    const liveP = p ? p.heapPerVisitorKb + p.externalPerVisitorKb : NaN;
    const liveB = b ? b.heapPerConnKb + b.externalPerConnKb : NaN;
    const cpuRatio = p && b ? p.idleCpuPct / b.idleCpuPct : NaN;
    const nLabel = p && p.connected !== r.n ? `${int(r.n)} (${int(p.connected)} connected)` : int(r.n);
    lines.push(
      `| ${nLabel} | ${p ? int(p.rate) : 'n/a'} | ${f(p?.rssPerVisitorKb, 2)} | ${f(b?.rssPerConnKb, 2)} | ${f(memRatio, 2)} | ${f(liveP, 2)} | ${f(liveB, 2)} | ${f(liveP / liveB, 2)} | ${f(p?.idleCpuPct, 2)} | ${f(b?.idleCpuPct, 2)} | ${f(cpuRatio, 2)} | ${f(p?.loadCpuPct)} | ${f(p?.dashboards.latency.p50)} | ${f(p?.dashboards.latency.p99)} | ${f(p?.achievedRate, 0)} |`,
    );
  }
  lines.push('');
  const big = rows.filter((r) => r.p).at(-1);
  if (big?.p) {
    const p = big.p;
    const memRatio = big.b ? p.rssPerVisitorKb / big.b.rssPerConnKb : NaN;
    const liveRatio = big.b ? (p.heapPerVisitorKb + p.externalPerVisitorKb) / (big.b.heapPerConnKb + big.b.externalPerConnKb) : NaN;
    const verdict = (x: number) => (x <= 1.3 ? 'met' : 'NOT met');
    const latency = `p99 page change -> dashboard ${f(p.dashboards.latency.p99)} ms (target < 150 ms: ${p.dashboards.latency.p99 < 150 ? 'met' : 'NOT met'})`;
    const memory = big.b
      ? `memory per visitor ${f(memRatio, 2)}x bare socket.io by RSS, ${f(liveRatio, 2)}x by live heap+external (target <= 1.3x: ${verdict(memRatio)} by RSS, ${verdict(liveRatio)} by live memory)`
      : 'memory ratio: no baseline run';
    lines.push(`Targets at ${int(big.n)} visitors: ${latency}; ${memory}.`);
    if (big.b) {
      lines.push('');
      lines.push(
        `Where the memory goes at ${int(big.n)}: V8 heap ${f(p.heapPerVisitorKb, 2)} KB per visitor (baseline ${f(big.b.heapPerConnKb, 2)} KB, ${f(p.heapPerVisitorKb / big.b.heapPerConnKb, 2)}x) ` +
          `and external memory ${f(p.externalPerVisitorKb, 2)} KB (baseline ${f(big.b.externalPerConnKb, 2)} KB)` +
          (p.db.startsWith('pglite') ? "; with PGlite the external part is mostly the in-process database's WebAssembly memory holding the visit history written for these visitors (it is near zero with DATABASE_URL)." : '.'),
      );
    }
    lines.push('');
  }
  lines.push('Details (Porchlight server unless noted; baseline in parentheses):');
  lines.push('');
  lines.push('| N | connect/s | server / generators CPU % while connecting | idle CPU % with 0 visitors | heap / external KB per visitor | delivered % | latency max ms | server loop lag p99 / max ms (load) | flush p99 ms | flush interval p99 ms | diff bytes (upserts/diff) | connect: listed everywhere after ms / loop lag max ms | history backlog written after s | dashboards loop lag p99 ms | generators CPU % (load) | CPU % of other processes (idle / load) | errors, disconnects, ack errors |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const p = r.p;
    if (!p) continue;
    const b = r.b;
    const disc: Record<string, number> = {};
    const ackErr: Record<string, number> = {};
    for (const v of p.visitors) {
      for (const [k, c] of Object.entries(v.disconnects)) disc[k] = (disc[k] ?? 0) + c;
      for (const [k, c] of Object.entries(v.ackErrors)) ackErr[k] = (ackErr[k] ?? 0) + c;
    }
    const issues = [...Object.entries(p.loadServer.serverErrors ?? {}).map(([k, c]) => `${c} server log "${k.replace(/\|/g, '/')}"`), ...Object.entries(disc).map(([k, c]) => `${c} ${k}`), ...Object.entries(ackErr).map(([k, c]) => `${c} ack ${k}`), ...Object.entries(p.errors).map(([k, c]) => `${c} connect ${k}`)];
    const L = p.loadServer;
    lines.push(
      `| ${int(r.n)} | ${int(p.rate)} (${b ? int(b.rate) : 'n/a'}) | ${f(p.connectCpuPct)} / ${f(p.connectClientsCpuPct)} (${f(b?.connectCpuPct)} / ${f(b?.connectClientsCpuPct)}) | ${f(p.emptyCpuPct, 2)} (${f(b?.emptyCpuPct, 2)}) | ${f(p.heapPerVisitorKb, 2)} / ${f(p.externalPerVisitorKb, 2)} (${f(b?.heapPerConnKb, 2)} / ${f(b?.externalPerConnKb, 2)}) | ${f(p.deliveredPct, 2)} | ${f(p.dashboards.latency.max)} | ${f(L.lag.p99)} / ${f(L.lag.max)} | ${f(L.flushMs?.p99, 2)} | ${f(L.tickGapMs?.p99)} | ${int(p.dashboards.avgDiffBytes)} (${f(p.dashboards.avgUpsertsPerDiff)}) | ${int(p.visibleMs)} / ${int(p.connectServer.lag.max)} | ${f(p.settleMs / 1000)} | ${f(p.dashboards.lag.p99)} | ${f(p.generatorsCpuPct)} | ${f(p.idleForeignCpuPct)} / ${f(p.loadForeignCpuPct)} (${f(b?.idleForeignCpuPct)}) | ${issues.join(', ') || 'none'} |`,
    );
  }
  for (const r of rows) {
    if (r.p && !r.p.rssSettled) lines.push(`\nN=${int(r.n)}: Porchlight's RSS did not settle within 45 s; its RSS figure is less reliable.`);
    if (r.b && !r.b.rssSettled) lines.push(`\nN=${int(r.n)}: the baseline's RSS did not settle within 45 s; its RSS figure is less reliable.`);
  }
  for (const r of rows) if (r.error) lines.push(`\nN=${int(r.n)} error: ${r.error.split('\n')[0]}`);
  lines.push('');
  lines.push('## Method');
  lines.push('');
  lines.push(
    [
      `\`npm run bench\` (test/bench/presence-bench.ts) runs every process on loopback. For each N a fresh Porchlight server (startPorchlight with`,
      `\`HOST=127.0.0.1\`, ${db === 'postgres' ? 'a fresh PostgreSQL database' : db === 'pglite-disk' ? 'PGlite on disk in a temporary folder' : 'in-memory PGlite'}, \`NODE_ENV=production\`, default flush window unless PRESENCE_FLUSH_MS is set) runs in its own process;`,
      `one account is signed up through better-auth's HTTP endpoint and owns one site. A dashboards process connects ${o.dashboards} agent sockets with the session cookie and`,
      `\`site:watch\`es the site. ${o.generators} generator processes open the N visitor sockets with socket.io-client (websocket transport, the handshake the snippet sends,`,
      `a Chrome user agent, Origin http://bench.example), ${o.concurrency} handshakes in flight per generator, source addresses spread over 127.0.0.1-127.0.0.${o.addresses}.`,
      `Connect rate is N over the time from the first handshake to the last connect. Memory: the server is asked to run a full GC, and VmRSS is read from`,
      `/proc/<pid>/status. Before the visitors connect (dashboards connected) the GC + reading repeats once a second for at least ${o.settleRounds} rounds and until four`,
      `readings agree within 1 MB (V8 returns pooled pages, 30-40 MB on a fresh server, only after about a dozen such spaced GCs), then the ${o.emptySeconds} s empty-CPU window`,
      `runs and one more GC + reading is the "before" figure. "After" is taken once the visitors are connected, the history writer has written the connect backlog and`,
      `the idle window has passed, with at least ${o.afterRounds} rounds and the same stability rule;`,
      `RSS per visitor is the difference over N (it includes the visitor's share of the in-process database). Server CPU is the process's own CPU time`,
      `(process.cpuUsage: user+system, all threads, as utime+stime in /proc/<pid>/stat but in microseconds) as a percentage of one core: idle = ${o.idleSeconds} s with N`,
      `connected and only heartbeats (pingInterval 25 s, so every socket is pinged once in the window), and the idle CPU ratio is Porchlight's over the baseline's at the`,
      `same N (equal to the ratio per visitor); the same is measured for ${o.emptySeconds} s before any visitor connects (details table). CPU used meanwhile by processes outside`,
      `the benchmark (/proc/stat busy time minus the benchmark's processes) is reported, as the machine is shared. Load: every visitor in a shuffled round robin sends \`visitor:page\``,
      `(with an ack, as a real page change does) at ${o.rate}/s in total; after ${o.warmupSeconds} s of warm-up, ${o.loadSeconds} s are measured. Each new URL carries the wall-clock time of`,
      `the change (performance.timeOrigin + performance.now(), shared by all processes on this machine); latency is the dashboard's receive time minus that stamp, one`,
      `sample per page change per dashboard (p50/p99 over all of them), so it includes the coalescing window, the server's work, the fan-out and both clients' event loops.`,
      `"Delivered" counts samples against changes sent times dashboards. The baseline is a bare socket.io server (same engine settings: pingInterval 25 s,`,
      `pingTimeout 20 s, maxHttpBufferSize 64 KB, no per-message deflate) whose /visitor namespace accepts every connection and does nothing; the same generators hold the`,
      `same N connections with the same handshake, and it is measured the same way. RSS ratio = Porchlight RSS per visitor / baseline RSS per connection. RSS deltas`,
      `depend on how much free heap and allocator slack a process already had (Porchlight starts at about half a GB with PGlite, the baseline at under 100 MB), so the`,
      `live-memory columns give a second view: V8 heapUsed + external (process.memoryUsage after the same full GC) per visitor, and their ratio. Server-side diagnostics come from the server process itself: event-loop delay (monitorEventLoopDelay), the duration of each`,
      `presence flush (tick + drain + emit, timed by wrapping the engine's methods from the bench entry, no server code changed), the interval between flushes, and the`,
      `history writer's batches. 2 cores are shared by the server and the client processes, so client CPU during the load phase is reported too.`,
    ].join('\n'),
  );
  lines.push('');
  return lines.join('\n');
}

function save(o: Options, rows: Row[], startedAt: Date, finished: boolean): string {
  const md = render(o, rows, startedAt, finished);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  writeFileSync(o.out.replace(/\.md$/, '') + '.json', JSON.stringify({ startedAt, finished, options: o, machine: machine(), rows }, null, 2));
  return md;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const rows: Row[] = [];
  const deadline = setTimeout(() => {
    console.error(`[bench] hard stop after ${o.maxMinutes} minutes`);
    save(o, rows, startedAt, false);
    killAll();
    process.exit(1);
  }, o.maxMinutes * 60_000);
  deadline.unref();

  log(`sizes ${o.sizes.join(', ')}; rate ${o.rate}/s; ${o.dashboards} dashboards; ${o.generators} generators; results -> ${path.relative(root, o.out)}`);
  for (const n of o.sizes) {
    const row: Row = { n };
    rows.push(row);
    try {
      row.p = await runPorchlight(o, n);
      if (o.baseline) row.b = await runBaseline(o, n);
    } catch (err) {
      row.error = err instanceof Error ? err.message : String(err);
      log(`N=${n} failed: ${row.error}`);
      killAll();
      await sleep(1000);
    }
    save(o, rows, startedAt, false);
  }
  const md = save(o, rows, startedAt, true);
  console.log('\n' + md);
  clearTimeout(deadline);
  process.exit(rows.some((r) => r.error) ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error('[bench] failed', err);
  killAll();
  process.exit(1);
});
