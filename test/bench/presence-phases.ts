// Presence benchmark, the pieces of one run: what the server and clients report, and the phases
// both servers go through (empty and idle CPU, settled memory, starting and connecting visitors).
import { addressesFor, Child, foreignCpuWindow, serverCpuWindow, settledMemory as settled, sliceSizes } from './bench-proc';
import { rssKb, sleep, wall, type LagStats, type Summary } from './bench-shared';
import type { Options } from './presence-options';

export const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

export interface ServerStats {
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
export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}
export interface ConnectResult {
  connected: number;
  retried: number;
  errors: Record<string, number>;
  startedAt: number;
  endedAt: number;
}
export interface DashboardMeasure {
  latency: Summary;
  perBoard: number[];
  diffsPerBoard: number;
  avgDiffBytes: number;
  avgUpsertsPerDiff: number;
  bytesPerUpsert: number;
  connected: number;
  lag: LagStats;
}
export interface VisitorStats {
  connected: number;
  disconnects: Record<string, number>;
  acksOk: number;
  ackErrors: Record<string, number>;
  lag: LagStats;
  memory: number;
}

export interface ConnectPhase {
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

export interface PorchlightResult extends ConnectPhase {
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

export interface BaselineResult extends ConnectPhase {
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
export async function measureEmpty(server: Child, o: { emptySeconds: number }) {
  const idle0 = await serverCpuWindow(server);
  await sleep(o.emptySeconds * 1000);
  const emptyCpuPct = await idle0();
  const { mem: mem0, rssKb: rssBeforeKb } = await memoryNow(server);
  return { emptyCpuPct, mem0, rssBeforeKb };
}

/** Heartbeat-only CPU over the idle window, then settled memory: the same for Porchlight and the baseline. */
export async function measureIdle(server: Child, o: { idleSeconds: number; afterRounds: number }) {
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

export const settledMemory = (server: Child, minRounds: number) => settled<Memory>(server, minRounds);

/** One more full GC and reading right before the visitors connect. */
export async function memoryNow(server: Child): Promise<{ rssKb: number; mem: Memory }> {
  const mem = await server.request<Memory>('gc');
  return { rssKb: rssKb(server.pid), mem };
}

export async function startVisitors(o: Options, n: number, url: string, key: string | null, label: string): Promise<Child[]> {
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

export async function connectAll(gens: Child[], n: number): Promise<ConnectPhase> {
  const startAt = wall() + 300;
  const results = await Promise.all(gens.map((g) => g.request<ConnectResult>('connect', { startAt }, 60_000 + n * 20)));
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const connectMs = Math.max(...results.map((r) => r.endedAt)) - startAt;
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return { connected, retried: results.reduce((a, r) => a + r.retried, 0), errors, connectMs, rate: connected / (connectMs / 1000) };
}
