// Failover: a fresh cluster of three processes behind nginx with V visitors that reconnect as the
// snippet does (1 s doubling to 30 s, +-50 %), except every n-th one, whose tab closes with its
// process; a dashboard straight on each process. Then kill -9 of one process and, on every
// surviving dashboard:
//   (a) from the kill until the table is right: the killed process's closed tabs are gone and every
//       visitor of the surviving processes is still listed (the killed process's reconnecting
//       visitors may be listed or not meanwhile: they are coming back);
//   (b) from the kill until every reconnecting visitor of the killed process is connected again
//       (through nginx, on another process) and every surviving table lists exactly the truth.
// Both count from the kill to the moment the condition became true for the last time (it then
// held for `holdMs` at least).
import { sleep, summarize, wall } from './bench-shared';
import { connectVisitors, log, nginxTrouble, startCluster, type ClusterSpec } from './cluster-run';
import { waitFor } from './bench-proc';

export interface FailoverRun {
  repeat: number;
  killed: string;
  visitors: number;
  perProcess: Record<string, number>;
  killedVisitors: number;
  killedClosing: number;
  /** (a) per surviving dashboard, ms after the kill. */
  aMs: Record<string, number>;
  /** (b) per surviving dashboard, ms after the kill. */
  bMs: Record<string, number>;
  /** The last reconnecting visitor of the killed process connected again, ms after the kill. */
  lastReconnectMs: number;
  /** The first presence:resync a surviving dashboard got after the kill, ms after it. */
  firstResyncMs: number | null;
  /** nginx's error log lines while the visitors connected (before the kill). */
  nginxConnectErrors: number;
  /** Where the killed process's reconnecting visitors are now, by process. */
  movedTo: Record<string, number>;
  /** Their reconnection: ms after the kill (p50, max), how many attempts it took, the errors of failed attempts. */
  reconnect: { p50Ms: number; maxMs: number; disconnectNoticedP50Ms: number; attempts: Record<string, number>; errors: Record<string, number> };
  error?: string;
}

interface IdRow {
  id: string;
  reconnects: boolean;
  connected: boolean;
  connectedAt: number;
  disconnectedAt: number;
  attempts: number;
  lastError: string;
}
interface BoardStatus {
  label: string;
  connected: boolean;
  total: number;
  sinceA: number | null;
  sinceB: number | null;
  resyncs: number[];
}

export async function runFailover(spec: ClusterSpec, repeat: number, o: { holdMs: number; timeoutMs: number }): Promise<FailoverRun> {
  const c = await startCluster(spec);
  try {
    const tag = `failover #${repeat + 1}`;
    const connect = await connectVisitors(c);
    if (connect.connected !== spec.visitors) throw new Error(`only ${connect.connected} of ${spec.visitors} visitors connected: ${JSON.stringify(connect.errors)}`);
    await waitFor('every dashboard to list every visitor', 60_000, async () => (await c.dash.request<{ total: number }[]>('totals')).every((t) => t.total === connect.connected), 50);
    const trouble = nginxTrouble(c);
    if (trouble.errors > 0) log(`${tag}: nginx logged ${trouble.errors} problem(s) while connecting (${trouble.disabled} process(es) taken out for 10 s); first: ${trouble.first}`);
    // Every process has seen the others' heartbeats (1 s apart) before one dies.
    await sleep(2500);

    const victim = c.nodes[repeat % c.nodes.length]!;
    const survivors = c.nodes.filter((x) => x !== victim);
    const held = await Promise.all(c.nodes.map((x) => x.child.request<string[]>('visitor-ids')));
    const perProcess = Object.fromEntries(c.nodes.map((x, i) => [x.label, held[i]!.length]));
    const victimIds = new Set(held[victim.index]!);
    const ids = (await Promise.all(c.gens.map((g) => g.request<IdRow[]>('ids')))).flat();
    const closing = ids.filter((v) => victimIds.has(v.id) && !v.reconnects).map((v) => v.id);
    const returning = new Set(ids.filter((v) => victimIds.has(v.id) && v.reconnects).map((v) => v.id));
    const mustHave = ids.filter((v) => !victimIds.has(v.id)).map((v) => v.id);
    const closingSet = new Set(closing);
    const exact = ids.filter((v) => !closingSet.has(v.id)).map((v) => v.id);
    await c.dash.request('expect', { mustHave, mustNot: closing, exact });

    const killAt = wall();
    victim.child.kill();
    log(`${tag}: kill -9 ${victim.label} (pid ${victim.child.pid}) holding ${victimIds.size} visitors (${closing.length} of them close with it); per process ${Object.values(perProcess).join(' / ')}`);

    let lastReconnect = NaN;
    let rows: IdRow[] = [];
    let boards: BoardStatus[] = [];
    const deadline = killAt + o.timeoutMs;
    for (;;) {
      await sleep(100);
      boards = (await c.dash.request<BoardStatus[]>('status')).filter((b) => b.label !== victim.label);
      rows = (await Promise.all(c.gens.map((g) => g.request<IdRow[]>('ids')))).flat().filter((v) => returning.has(v.id));
      const back = rows.every((v) => v.connected && v.connectedAt > killAt);
      if (back) lastReconnect = Math.max(...rows.map((v) => v.connectedAt), killAt);
      const now = wall();
      const steady = (t: number | null) => t !== null && now - t >= o.holdMs;
      if (back && boards.every((b) => b.connected && steady(b.sinceA) && steady(b.sinceB))) break;
      if (now > deadline) {
        const why = boards.map((b) => `${b.label}: ${b.total} listed, a ${b.sinceA ? 'ok' : 'not yet'}, b ${b.sinceB ? 'ok' : 'not yet'}`).join('; ');
        throw new Error(`${tag}: not right ${o.timeoutMs} ms after the kill (${rows.filter((v) => v.connected && v.connectedAt > killAt).length}/${rows.length} reconnected; ${why})`);
      }
    }
    const after = (t: number | null) => Math.max(0, (t ?? NaN) - killAt);
    const aMs = Object.fromEntries(boards.map((b) => [b.label, after(b.sinceA)]));
    const bMs = Object.fromEntries(boards.map((b) => [b.label, Math.max(after(b.sinceB), lastReconnect - killAt)]));
    const resyncs = boards.flatMap((b) => b.resyncs.filter((t) => t > killAt));
    const nowHeld = await Promise.all(survivors.map((x) => x.child.request<string[]>('visitor-ids')));
    const movedTo = Object.fromEntries(survivors.map((x, i) => [x.label, nowHeld[i]!.filter((id) => returning.has(id)).length]));
    const r: FailoverRun = {
      repeat: repeat + 1,
      killed: victim.label,
      visitors: connect.connected,
      perProcess,
      killedVisitors: victimIds.size,
      killedClosing: closing.length,
      aMs,
      bMs,
      lastReconnectMs: lastReconnect - killAt,
      firstResyncMs: resyncs.length ? Math.min(...resyncs) - killAt : null,
      movedTo,
      nginxConnectErrors: trouble.errors,
      reconnect: {
        p50Ms: summarize(rows.map((v) => v.connectedAt - killAt)).p50,
        maxMs: lastReconnect - killAt,
        disconnectNoticedP50Ms: summarize(rows.map((v) => v.disconnectedAt - killAt)).p50,
        attempts: count(rows.map((v) => String(v.attempts))),
        errors: count(rows.filter((v) => v.lastError).map((v) => v.lastError)),
      },
    };
    if (process.env.BENCH_VERBOSE === '1') console.log(`--- nginx error log\n${c.front?.errorLog().slice(-4000)}`);
    log(`${tag}: (a) ${Object.values(aMs).map((x) => x.toFixed(0)).join(' / ')} ms, (b) ${Object.values(bMs).map((x) => x.toFixed(0)).join(' / ')} ms; disconnect noticed p50 ${r.reconnect.disconnectNoticedP50Ms.toFixed(0)} ms, reconnect p50 ${r.reconnect.p50Ms.toFixed(0)} / last ${r.lastReconnectMs.toFixed(0)} ms (attempts ${JSON.stringify(r.reconnect.attempts)}, errors ${JSON.stringify(r.reconnect.errors)}), first resync ${r.firstResyncMs?.toFixed(0) ?? 'none'} ms; moved to ${JSON.stringify(movedTo)}`);
    return r;
  } finally {
    await c.stop();
  }
}

function count(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
