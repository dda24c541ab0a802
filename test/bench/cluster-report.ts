// The cluster benchmark's Markdown report (machine, tables, method) and its JSON twin.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine } from './bench-proc';
import type { FailoverRun } from './cluster-failover';
import type { PresenceResult } from './cluster-presence';
import { DEFAULT_PRESENCE_FLUSH_MS } from '../../server/config';

export interface ReportOptions {
  processes: number;
  rate: number;
  loadSeconds: number;
  warmupSeconds: number;
  settleRounds: number;
  afterRounds: number;
  dashboardsPerProcess: number;
  failoverVisitors: number;
  failoverClosingEvery: number;
  holdMs: number;
  out: string;
}

export interface PresenceRow {
  setup: 'cluster' | 'single';
  n: number;
  r?: PresenceResult;
  error?: string;
}

export interface Results {
  startedAt: Date;
  finished: boolean;
  presence: PresenceRow[];
  failover: FailoverRun[];
}

const f = (x: number | null | undefined, d = 1) => (x === undefined || x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const slash = (xs: (number | null | undefined)[], d = 1) => xs.map((x) => f(x, d)).join(' / ');
export const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function portRange(): string {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '-');
  } catch {
    return 'unknown';
  }
}

export function render(o: ReportOptions, res: Results): string {
  const m = machine();
  const L: string[] = [];
  L.push('# Cluster benchmark');
  L.push('');
  L.push(`Run ${res.startedAt.toISOString()}${res.finished ? '' : ' (incomplete: stopped early)'} on ${m.nproc} cores (${m.cpu}), ${m.memGiB.toFixed(0)} GiB, ${m.kernel}, Node ${m.node}; open-file limit ${m.openFiles}; ephemeral ports ${portRange()}.`);
  const nginxNotes = [...new Set(res.presence.flatMap((r) => (r.r?.nginx ? [`N=${int(r.n)}: ${r.r.nginx}`] : [])))];
  L.push(`PostgreSQL (a fresh database per cluster), Redis (a random REDIS_PREFIX per cluster); PRESENCE_FLUSH_MS ${process.env.PRESENCE_FLUSH_MS ?? `${DEFAULT_PRESENCE_FLUSH_MS} (default)`}; page changes at ${o.rate}/s in total; ${o.dashboardsPerProcess} dashboard(s) straight on each process.`);
  if (nginxNotes.length) L.push(`nginx main config (the site file is server/deploy/nginx.conf): ${nginxNotes.join('; ')}.`);
  L.push('');
  L.push('## Presence');
  L.push('');
  L.push('Per-process figures are listed P1 / P2 / P3. Latency: page change → dashboard on that process (most changes come from visitors of the other processes, through Redis).');
  L.push('');
  L.push('| setup | N visitors | visitors per process | connect/s | listed everywhere after ms | p50 / p99 ms (all dashboards) | p50 / p99 ms, visitor on the dashboard’s own process | p50 / p99 ms, visitor on another process (Redis) | p50 per process ms | p99 per process ms | RSS KB/visitor per process | heap KB/visitor per process | server CPU % under load per process | nginx CPU % | delivered % |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of res.presence) {
    const setup = row.setup === 'cluster' ? `${o.processes} processes + nginx` : '1 process, no nginx';
    const r = row.r;
    if (!r) {
      L.push(`| ${setup} | ${int(row.n)} | failed: ${(row.error ?? '').split('\n')[0]?.replace(/\|/g, '/')} | | | | | | | | | | | | |`);
      continue;
    }
    const p = r.perProcess;
    const n = r.connected === r.n ? int(r.n) : `${int(r.n)} (${int(r.connected)} connected)`;
    L.push(
      `| ${setup} | ${n} | ${p.map((x) => int(x.visitors)).join(' / ')} | ${int(r.rate)} | ${int(r.visibleMs)} | ${f(r.latency.p50)} / ${f(r.latency.p99)} | ${f(r.sameProcess.p50)} / ${f(r.sameProcess.p99)} | ${r.processes > 1 ? `${f(r.otherProcess.p50)} / ${f(r.otherProcess.p99)}` : 'n/a'} | ${slash(p.map((x) => x.latency.p50))} | ${slash(p.map((x) => x.latency.p99))} | ${slash(p.map((x) => x.rssPerVisitorKb), 2)} | ${slash(p.map((x) => x.heapPerVisitorKb), 2)} | ${slash(p.map((x) => x.loadCpuPct))} | ${f(r.nginxCpuPct)} | ${f(r.deliveredPct, 2)} |`,
    );
  }
  L.push('');
  L.push('Details (per process P1, P2, P3 where there are several; "others" is CPU used by processes outside the benchmark, the machine being shared):');
  L.push('');
  L.push('| setup | N | latency max ms | loop lag p99 / max ms | external KB/visitor | generators / dashboards CPU % | others CPU % | addresses | issues |');
  L.push('| --- | ---: | ---: | --- | --- | ---: | ---: | --- | --- |');
  for (const row of res.presence) {
    const r = row.r;
    if (!r) continue;
    const p = r.perProcess;
    const issues = [
      ...Object.entries(r.errors).map(([k, c]) => `${c} connect ${k}`),
      ...(r.nginxConnectErrors ? [`nginx error log: ${r.nginxConnectErrors} line(s) while connecting`] : []),
      ...Object.entries(r.disconnects).map(([k, c]) => `${c} ${k}`),
      ...Object.entries(r.ackErrors).map(([k, c]) => `${c} ack ${k}`),
      ...p.flatMap((x) => Object.entries(x.serverLog).filter(([k]) => !/joining the cluster|joined/.test(k)).map(([k, c]) => `${x.label}: ${c}× "${k.replace(/\|/g, '/').slice(0, 80)}"`)),
      ...p.filter((x) => !x.rssSettled).map((x) => `${x.label} RSS did not settle`),
    ];
    L.push(
      `| ${row.setup} | ${int(r.n)} | ${f(r.latency.max)} | ${p.map((x) => `${f(x.loadLag.p99)} / ${f(x.loadLag.max)}`).join(', ')} | ${slash(p.map((x) => x.externalPerVisitorKb), 2)} | ${f(r.generatorsCpuPct)} / ${f(r.dashboardsCpuPct)} | ${f(r.foreignCpuPct)} | ${Object.entries(r.addressesPerProcess).map(([k, v]) => `${k} ${v}`).join(', ')} | ${issues.join('; ') || 'none'} |`,
    );
  }
  L.push('');
  if (res.failover.length) {
    L.push('## Failover (kill -9 of one of three processes)');
    L.push('');
    L.push(`${int(o.failoverVisitors)} visitors through nginx, reconnecting as the snippet does (1 s doubling to 30 s, ±50 %) except every ${o.failoverClosingEvery}th, whose tab closes with its process. (a) = kill → the surviving dashboard lists none of the killed process's closed tabs and every visitor of the surviving processes; (b) = kill → every reconnecting visitor of the killed process is connected again through nginx and the surviving dashboard lists exactly the visitors still there. Per surviving dashboard (process label), ms.`);
    L.push('');
    L.push('| # | killed | visitors per process | killed held (tabs closing) | (a) ms | (b) ms | reconnected p50 / last ms | first resync ms | reconnected onto |');
    L.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const x of res.failover) {
      if (x.error) {
        L.push(`| ${x.repeat} | ${x.killed} | failed: ${x.error.split('\n')[0]?.replace(/\|/g, '/')} | | | | | | |`);
        continue;
      }
      const kv = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${f(v, 0)}`).join(', ');
      L.push(`| ${x.repeat} | ${x.killed} | ${Object.values(x.perProcess).map(int).join(' / ')} | ${int(x.killedVisitors)} (${int(x.killedClosing)}) | ${kv(x.aMs)} | ${kv(x.bMs)} | ${f(x.reconnect.p50Ms, 0)} / ${f(x.lastReconnectMs, 0)} | ${f(x.firstResyncMs, 0)} | ${Object.entries(x.movedTo).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
    }
    const ok = res.failover.filter((x) => !x.error);
    const worst = (r: Record<string, number>) => Math.max(...Object.values(r));
    if (ok.length) {
      L.push(`| **median** | | | | ${f(median(ok.map((x) => worst(x.aMs))), 0)} (slowest dashboard) | ${f(median(ok.map((x) => worst(x.bMs))), 0)} (slowest dashboard) | ${f(median(ok.map((x) => x.reconnect.p50Ms)), 0)} / ${f(median(ok.map((x) => x.lastReconnectMs)), 0)} | ${f(median(ok.map((x) => x.firstResyncMs ?? NaN)), 0)} | |`);
    }
    L.push('');
  }
  L.push('## Method');
  L.push('');
  L.push(
    [
      '`npm run bench:cluster` (test/bench/cluster-bench.ts) runs every process on this machine, on loopback. For each N a fresh cluster: a new PostgreSQL database next to',
      `DATABASE_URL, a random REDIS_PREFIX on REDIS_URL, ${o.processes} Porchlight processes (startPorchlight, \`HOST=127.0.0.1\`, \`NODE_ENV=production\`, PORCHLIGHT_NO_RATE_LIMIT=1,`,
      'TRUSTED_PROXIES=127.0.0.1, one BETTER_AUTH_SECRET; the first runs the migrations before the others start) and nginx running the repository\'s server/deploy/nginx.conf',
      'with only its upstream ports, `listen` (127.0.0.1:port, plus `reuseport backlog=4096`) and access-log path rewritten, under a main config of the benchmark\'s own sized for the',
      'run (each proxied WebSocket holds two descriptors in one nginx worker; worker_processes is raised until worker_connections fits under the open-file limit). One account',
      '(signed up over HTTP) owns one site. nginx hashes `$remote_addr` (consistent): the benchmark sends one request from each of 127.0.0.1-127.0.0.250 and reads from the access',
      'log which process each address lands on, then uses the same number of addresses for every process, so the visitors spread evenly (with a few hundred addresses the',
      'raw hash gives uneven shares); the visitors per process are read from each process afterwards. A dashboards process connects agent socket(s) straight to each process',
      '(its own address, not through nginx) and keeps the live table as the dashboard does: `site:watch` snapshot, `presence:diff`, and on `presence:resync` a fresh snapshot with',
      'the diffs received meanwhile replayed when newer. Visitor generators (bench-client.ts, the snippet\'s handshake over socket.io-client, websocket transport) connect',
      'N visitors through nginx. Memory per visitor per process is presence-bench\'s: full GC + VmRSS once a second until at least',
      `${o.settleRounds} rounds ran and four readings agree within 1 MB before the visitors connect (dashboards connected), again (at least ${o.afterRounds} rounds) once they are`,
      'connected, listed on every dashboard and written to the history; RSS and V8 heapUsed differences over the visitors that process holds. Load: page changes at',
      `${o.rate}/s in total, every visitor in a shuffled round robin, ${o.warmupSeconds} s warm-up then ${o.loadSeconds} s measured; each URL carries the wall-clock time of the change,`,
      'and latency is the dashboard\'s receive time minus that stamp, one sample per change per dashboard. The single-process row is the same code with one process, no',
      'nginx and no Redis, visitors connecting straight to it. Failover: a fresh cluster per repeat (the killed process rotates), its visitors connected, 2.5 s for',
      `the heartbeats, then SIGKILL; the tables are checked after every change they apply, and (a)/(b) are the last moment each condition became true (it then held for ${o.holdMs} ms).`,
    ].join('\n'),
  );
  L.push('');
  return L.join('\n');
}

export function save(o: ReportOptions, res: Results, options: unknown): string {
  const md = render(o, res);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  writeFileSync(o.out.replace(/\.md$/, '') + '.json', JSON.stringify({ ...res, options, machine: machine() }, null, 2));
  return md;
}
