// Presence benchmark report: the Markdown table with the machine and the method, and the JSON beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine } from './bench-proc';
import { DEFAULT_PRESENCE_FLUSH_MS } from '../../server/config';
import type { Options } from './presence-options';
import type { BaselineResult, PorchlightResult } from './presence-phases';

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const int = (x: number) => Math.round(x).toLocaleString('en-US');

export interface Row {
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

export function save(o: Options, rows: Row[], startedAt: Date, finished: boolean): string {
  const md = render(o, rows, startedAt, finished);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  writeFileSync(o.out.replace(/\.md$/, '') + '.json', JSON.stringify({ startedAt, finished, options: o, machine: machine(), rows }, null, 2));
  return md;
}
