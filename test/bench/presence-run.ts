// Presence benchmark, one N: Porchlight (connect, memory, idle CPU, page changes -> dashboards)
// and the bare socket.io baseline holding as many connections.
import { Child, cpuWindow, foreignCpuWindow, serverCpuWindow, sliceSizes, waitFor } from './bench-proc';
import { openFileLimit, sleep, wall, type LagStats } from './bench-shared';
import type { Options } from './presence-options';
import { connectAll, log, measureEmpty, measureIdle, settledMemory, startVisitors, type BaselineResult, type DashboardMeasure, type PorchlightResult, type ServerStats, type VisitorStats } from './presence-phases';

export async function runPorchlight(o: Options, n: number): Promise<PorchlightResult> {
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

export async function runBaseline(o: Options, n: number): Promise<BaselineResult> {
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
