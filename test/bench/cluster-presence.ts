// Presence in one cluster (or one process) at N visitors, measured the way presence-bench.ts does
// it: settled memory before and after per process (full GC + VmRSS, spaced a second apart), the
// connect rate, then page changes at a steady rate with latency from the change's stamp to each
// dashboard's receipt. Here every process has its own dashboard(s), so the latency is per process,
// and most changes a dashboard sees were made by visitors of other processes (through Redis).
import { cpuWindow, foreignCpuWindow, serverCpuWindow, settledMemory as settled, type Child, waitFor } from './bench-proc';
import { sleep, wall, type LagStats, type Summary } from './bench-shared';
import { connectVisitors, log, nginxPids, nginxTrouble, startCluster, type ClusterSpec, type ConnectPhase } from './cluster-run';

export interface LoadOptions {
  rate: number;
  settleRounds: number;
  afterRounds: number;
  warmupSeconds: number;
  loadSeconds: number;
}

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}
interface NodeStats {
  connected: number;
  agents: number;
  listed: number;
  historyQueue: number;
  lag: LagStats;
  serverLog: Record<string, number>;
}

export interface ProcessResult {
  label: string;
  visitors: number;
  rssPerVisitorKb: number;
  heapPerVisitorKb: number;
  externalPerVisitorKb: number;
  rssSettled: boolean;
  loadCpuPct: number;
  loadLag: LagStats;
  latency: Summary;
  serverLog: Record<string, number>;
}

export interface PresenceResult extends ConnectPhase {
  processes: number;
  n: number;
  nginx: string | null;
  addressesPerProcess: Record<string, number>;
  visibleMs: number;
  perProcess: ProcessResult[];
  latency: Summary;
  /** Changes by a visitor of the dashboard's own process, and by one of another process (through Redis). */
  sameProcess: Summary;
  otherProcess: Summary;
  nginxCpuPct: number | null;
  generatorsCpuPct: number;
  dashboardsCpuPct: number;
  foreignCpuPct: number;
  sentMeasured: number;
  achievedRate: number;
  deliveredPct: number;
  disconnects: Record<string, number>;
  ackErrors: Record<string, number>;
  /** nginx's error log lines while the visitors connected. */
  nginxConnectErrors: number;
}

const settledMemory = (server: Child, minRounds: number) => settled<Memory>(server, minRounds);

export async function measurePresence(spec: ClusterSpec, o: LoadOptions): Promise<PresenceResult> {
  const n = spec.visitors;
  const c = await startCluster(spec);
  try {
    const servers = c.nodes.map((x) => x.child);
    const tag = `${spec.label} N=${n}`;
    if (c.front) log(`${tag}: nginx ${c.front.notes}; ${c.addresses.length} source addresses (${Object.entries(c.addressesPerProcess).map(([k, v]) => `${v} to ${k}`).join(', ')})`);
    const before = await Promise.all(servers.map((s) => settledMemory(s, o.settleRounds)));

    log(`${tag}: connecting`);
    const connect = await connectVisitors(c);
    const visibleMs = await waitFor('every dashboard to list every visitor', 120_000, async () => {
      const totals = await c.dash.request<{ total: number }[]>('totals');
      return totals.every((t) => t.total === connect.connected);
    }, 50);
    const counts = await Promise.all(servers.map((s) => s.request<NodeStats>('stats')));
    const trouble = nginxTrouble(c);
    if (trouble.errors > 0) log(`${tag}: nginx logged ${trouble.errors} problem(s) while connecting (${trouble.disabled} process(es) taken out for 10 s); first: ${trouble.first}`);
    log(`${tag}: ${connect.connected} connected in ${(connect.connectMs / 1000).toFixed(1)} s (${connect.rate.toFixed(0)}/s), per process ${counts.map((s) => s.connected).join(' / ')}; on every dashboard ${visibleMs.toFixed(0)} ms after the last connect`);

    // The history writers have written the connect burst before the "after" memory reading.
    await waitFor('the history writers to catch up', 180_000, async () => (await Promise.all(servers.map((s) => s.request<NodeStats>('stats')))).every((s) => s.historyQueue === 0), 250);
    await sleep(2000);
    const after = await Promise.all(servers.map((s) => settledMemory(s, o.afterRounds)));

    const held = await Promise.all(servers.map((s) => s.request<string[]>('visitor-ids')));
    await c.dash.request('owners', { owners: Object.fromEntries(c.nodes.map((x, i) => [x.label, held[i]])) }, 60_000);

    // Page changes at a steady rate; the measured window follows a warm-up.
    await c.dash.request('measure-reset');
    const loadStart = wall() + 500;
    const measureFrom = loadStart + o.warmupSeconds * 1000;
    const endAt = measureFrom + o.loadSeconds * 1000;
    const loads = c.gens.map((g, i) =>
      g.request<{ sent: number; sentMeasured: number }>('load', { rate: (o.rate * (c.slices[i] as number)) / n, startAt: loadStart, measureFrom, endAt }, endAt - wall() + 60_000),
    );
    await sleep(Math.max(0, measureFrom - wall()));
    await Promise.all(servers.map((s) => s.request('lag-reset')));
    const serverCpu = await Promise.all(servers.map((s) => serverCpuWindow(s)));
    const frontPids = c.front ? nginxPids(c.front) : [];
    const clientCpu = cpuWindow([c.dash.pid, ...c.gens.map((g) => g.pid), ...frontPids]);
    const foreign = foreignCpuWindow();
    await sleep(Math.max(0, endAt - wall()));
    const foreignCpuPct = foreign();
    const loadCpu = await Promise.all(serverCpu.map((f) => f()));
    const [dashboardsCpuPct, ...rest] = clientCpu() as [number, ...number[]];
    const generatorsCpuPct = rest.slice(0, c.gens.length).reduce((a, b) => a + b, 0);
    const nginxCpuPct = c.front ? rest.slice(c.gens.length).reduce((a, b) => a + b, 0) : null;
    const loadStats = await Promise.all(servers.map((s) => s.request<NodeStats>('stats')));
    const sent = await Promise.all(loads);
    await sleep(1500); // diffs of the last page changes are in flight
    type Measure = { latency: Summary; local: Summary; remote: Summary; perProcess: { label: string; latency: Summary }[]; boards: number };
    const m = await c.dash.request<Measure>('measure', { from: measureFrom, to: endAt });
    type VStats = { disconnects: Record<string, number>; ackErrors: Record<string, number> };
    const vstats = await Promise.all(c.gens.map((g) => g.request<VStats>('stats')));
    const sum = (rs: Record<string, number>[]) => rs.reduce<Record<string, number>>((acc, r) => (Object.entries(r).forEach(([k, v]) => (acc[k] = (acc[k] ?? 0) + v)), acc), {});
    const sentMeasured = sent.reduce((a, s) => a + s.sentMeasured, 0);
    const boards = m.boards;

    const perProcess: ProcessResult[] = c.nodes.map((node, i) => {
      const b = before[i] as Awaited<ReturnType<typeof settledMemory>>;
      const a = after[i] as Awaited<ReturnType<typeof settledMemory>>;
      const visitors = (counts[i] as NodeStats).connected;
      return {
        label: node.label,
        visitors,
        rssPerVisitorKb: (a.rssKb - b.rssKb) / visitors,
        heapPerVisitorKb: (a.mem.heapUsed - b.mem.heapUsed) / 1024 / visitors,
        externalPerVisitorKb: (a.mem.external - b.mem.external) / 1024 / visitors,
        rssSettled: a.settled && b.settled,
        loadCpuPct: loadCpu[i] as number,
        loadLag: (loadStats[i] as NodeStats).lag,
        latency: m.perProcess.find((p) => p.label === node.label)?.latency ?? m.latency,
        serverLog: (loadStats[i] as NodeStats).serverLog,
      };
    });
    const r: PresenceResult = {
      processes: spec.processes,
      n,
      nginx: c.front?.notes ?? null,
      addressesPerProcess: c.addressesPerProcess,
      ...connect,
      visibleMs,
      perProcess,
      latency: m.latency,
      sameProcess: m.local,
      otherProcess: m.remote,
      nginxCpuPct,
      generatorsCpuPct,
      dashboardsCpuPct,
      foreignCpuPct,
      sentMeasured,
      achievedRate: sentMeasured / o.loadSeconds,
      deliveredPct: (100 * m.latency.count) / Math.max(1, sentMeasured * boards),
      disconnects: sum(vstats.map((v) => v.disconnects)),
      ackErrors: sum(vstats.map((v) => v.ackErrors)),
      nginxConnectErrors: trouble.errors,
    };
    // NaN (no samples) crosses IPC as null.
    const ms = (x: number | null) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(1) : 'n/a');
    log(`${tag}: p50 ${ms(m.latency.p50)} ms, p99 ${ms(m.latency.p99)} ms (same process ${ms(m.local.p50)} / ${ms(m.local.p99)}, another process ${ms(m.remote.p50)} / ${ms(m.remote.p99)}; per process p99 ${perProcess.map((p) => ms(p.latency.p99)).join(' / ')}); RSS KB/visitor ${perProcess.map((p) => ms(p.rssPerVisitorKb)).join(' / ')}`);
    return r;
  } finally {
    await c.stop();
  }
}
