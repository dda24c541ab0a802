// One cluster of the cluster benchmark, started and stopped as a unit: a fresh PostgreSQL database,
// P Porchlight processes (bench-cluster-server.ts; with Redis and a random prefix when P > 1),
// nginx in front of them (bench-nginx.ts) or none, a dashboards child with boards straight on each
// process (bench-cluster-dash.ts), and visitor generators (bench-client.ts visitors) that connect
// through nginx from source addresses chosen so that nginx's hash spreads them evenly.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addressesFor, Child, sliceSizes } from './bench-proc';
import { hardFileLimit, probeUpstreams, startBenchNginx, type BenchNginx } from './bench-nginx';
import { wall } from './bench-shared';

export interface ClusterSpec {
  processes: number;
  /** Through nginx (and Redis): the cluster; without: one process as `npm start` runs it. */
  nginx: boolean;
  visitors: number;
  generators: number; // 0: as many as the open-file limit needs (at least 2)
  concurrency: number;
  /** Source addresses probed (127.0.0.1..n); with nginx, an equal number per process is used. */
  addresses: number;
  minNginxWorkers: number;
  dashboardsPerProcess: number;
  redisUrl: string;
  adminDbUrl: string;
  /** Failover: visitors reconnect as the snippet does, but every n-th one's tab closes with its process. */
  reconnect?: { delayMs: number; delayMaxMs: number; closingEvery: number };
  label: string;
}

export interface ClusterNode {
  index: number;
  label: string; // P1, P2, ...
  child: Child;
  url: string;
  port: number;
}

export interface RunningCluster {
  spec: ClusterSpec;
  nodes: ClusterNode[];
  front: BenchNginx | null;
  dash: Child;
  gens: Child[];
  slices: number[];
  site: { cookie: string; siteId: string; siteKey: string };
  /** Addresses the visitors use, and for each the process nginx sends it to (label). */
  addresses: string[];
  addressesPerProcess: Record<string, number>;
  redisPrefix: string | null;
  stop(): Promise<void>;
}

export const log = (msg: string) => console.log(`[cluster-bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function admin(url: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** The processes' data folders live here; removed at exit whatever happened to them. */
const runDir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-cluster-bench-run-'));
process.on('exit', () => rmSync(runDir, { recursive: true, force: true }));

/** Databases created and not dropped yet, with their admin URL. */
const liveDatabases = new Map<string, string>();
// Ctrl-C, the hard stop or a crash exit at once: drop what is left synchronously (a short-lived
// node child doing it), so no run leaves a database behind.
process.on('exit', () => {
  if (liveDatabases.size === 0) return;
  const script = `const pg=require('pg');(async()=>{for(const [n,u] of JSON.parse(process.argv[1])){const c=new pg.Client({connectionString:u});await c.connect();await c.query('DROP DATABASE IF EXISTS '+n+' WITH (FORCE)');await c.end();}})().catch(e=>{console.error(String(e));process.exit(1)})`;
  try {
    execFileSync(process.execPath, ['-e', script, JSON.stringify([...liveDatabases])], { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), stdio: 'inherit', timeout: 15_000 });
  } catch {
    console.error(`[cluster-bench] could not drop ${[...liveDatabases.keys()].join(', ')}`);
  }
});

/** A new, empty database next to the one `adminUrl` names (as presence-bench does with DATABASE_URL). */
async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `porchlight_cluster_bench_${randomBytes(5).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  liveDatabases.set(name, adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      liveDatabases.delete(name);
    },
  };
}

export function generatorCount(spec: Pick<ClusterSpec, 'generators' | 'visitors'>): number {
  if (spec.generators > 0) return spec.generators;
  // Each generator holds its slice of sockets under the open-file limit it gets (Child raises its
  // soft limit to the hard one).
  return Math.max(2, Math.ceil(spec.visitors / (hardFileLimit() - 1000)));
}

export async function startCluster(spec: ClusterSpec): Promise<RunningCluster> {
  const owned: Child[] = [];
  let front: BenchNginx | null = null;
  let db: { url: string; drop(): Promise<void> } | null = null;
  const stop = async () => {
    // The processes first: their side closes the sockets, the generators then exit without a storm of closes.
    for (const c of owned) await c.stop(6000);
    await front?.stop();
    await db?.drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
    db = null;
  };
  // Each process holds its share of the sockets (plus its database and Redis connections).
  const share = Math.ceil(spec.visitors / spec.processes);
  if (share + 1000 > hardFileLimit()) throw new Error(`each process would hold ${share} sockets but the open-file limit is ${hardFileLimit()}: raise it (ulimit -Hn) or use more processes`);
  try {
    db = await freshDatabase(spec.adminDbUrl);
    const redisPrefix = spec.processes > 1 ? `bench-${randomBytes(6).toString('hex')}` : null;
    const env: Record<string, string> = {
      BENCH_DATABASE_URL: db.url,
      BENCH_AUTH_SECRET: randomBytes(32).toString('hex'),
      BENCH_RUN_DIR: runDir,
      ...(redisPrefix ? { BENCH_REDIS_URL: spec.redisUrl, BENCH_REDIS_PREFIX: redisPrefix } : {}),
    };
    const start = async (i: number): Promise<ClusterNode> => {
      const child = new Child(`${spec.label}-P${i + 1}`, 'bench-cluster-server.ts', [], env);
      owned.push(child);
      const ready = (await child.once('ready', 120_000)) as { url: string; port: number };
      return { index: i, label: `P${i + 1}`, child, url: ready.url, port: ready.port };
    };
    // The first one alone: it runs the migrations on the fresh database.
    const first = await start(0);
    const nodes = [first, ...(await Promise.all(Array.from({ length: spec.processes - 1 }, (_, i) => start(i + 1))))];
    const site = await first.child.request<{ cookie: string; siteId: string; siteKey: string }>('setup', {}, 60_000);
    await Promise.all(nodes.slice(1).map((n) => n.child.request('set-site', { siteId: site.siteId })));

    let entry = first.url;
    let addresses = addressesFor(spec.addresses);
    const addressesPerProcess: Record<string, number> = {};
    if (spec.nginx) {
      front = await startBenchNginx({ port: await freePort(), upstreams: nodes.map((n) => n.port), visitors: spec.visitors, minWorkers: spec.minNginxWorkers });
      entry = front.url;
      // nginx hashes $remote_addr: with a few hundred addresses the shares come out uneven (one
      // process might exceed its open-file limit), so take the same number of addresses per process.
      const upstreamOf = await probeUpstreams(front, addresses);
      const byNode = nodes.map((n) => addresses.filter((a) => upstreamOf.get(a) === n.port));
      const k = Math.min(...byNode.map((a) => a.length));
      if (k === 0) throw new Error('nginx sent none of the probe addresses to one process');
      addresses = Array.from({ length: k }, (_, i) => byNode.map((a) => a[i] as string)).flat();
      for (const n of nodes) addressesPerProcess[n.label] = k;
    } else addressesPerProcess[first.label] = addresses.length;

    const dash = new Child(`${spec.label}-dashboards`, 'bench-cluster-dash.ts', []);
    owned.push(dash);
    const boards = nodes.flatMap((n) => Array.from({ length: spec.dashboardsPerProcess }, () => ({ label: n.label, url: n.url })));
    await dash.request('init', { init: { boards, cookie: site.cookie, siteId: site.siteId } });
    await dash.request('connect', {}, 60_000);

    const slices = sliceSizes(spec.visitors, generatorCount(spec));
    const gens = slices.map((_, g) => new Child(`${spec.label}-visitors-${g}`, 'bench-client.ts', ['visitors']));
    owned.push(...gens);
    await Promise.all(
      gens.map(async (g, i) => {
        const count = slices[i] as number;
        const init = { url: entry, key: site.siteKey, origin: 'http://bench.example', count, generator: i, localAddresses: addresses, concurrency: spec.concurrency, connectTimeoutMs: 20_000, reconnect: spec.reconnect };
        const { openFiles } = await g.request<{ openFiles: number }>('init', { init }, 60_000);
        if (count + 200 > openFiles) throw new Error(`${g.name} would hold ${count} sockets but may open only ${openFiles} files: use more --generators`);
      }),
    );
    return { spec, nodes, front, dash, gens, slices, site, addresses, addressesPerProcess, redisPrefix, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ConnectPhase {
  connected: number;
  retried: number;
  errors: Record<string, number>;
  connectMs: number;
  rate: number;
}

/** Every generator connects its slice from the same start time; the rate is N over first handshake to last connect. */
export async function connectVisitors(c: RunningCluster): Promise<ConnectPhase> {
  const startAt = wall() + 300;
  type R = { connected: number; retried: number; errors: Record<string, number>; endedAt: number };
  const results = await Promise.all(c.gens.map((g) => g.request<R>('connect', { startAt }, 60_000 + c.spec.visitors * 20)));
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const connectMs = Math.max(...results.map((r) => r.endedAt)) - startAt;
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return { connected, retried: results.reduce((a, r) => a + r.retried, 0), errors, connectMs, rate: connected / (connectMs / 1000) };
}

/**
 * What nginx logged about the processes while the visitors connected: a failed attempt
 * (max_fails=1) takes a process out for 10 s and its addresses' visitors land on the others.
 */
export function nginxTrouble(c: RunningCluster): { disabled: number; errors: number; first: string | null } {
  const lines = (c.front?.errorLog() ?? '').split('\n').filter((l) => /\[(error|warn|crit|alert)\]/.test(l));
  return { disabled: lines.filter((l) => l.includes('temporarily disabled')).length, errors: lines.length, first: lines[0]?.slice(0, 400) ?? null };
}

/** The pids of nginx's master and workers (its process group), for CPU readings. */
export function nginxPids(front: BenchNginx): number[] {
  const out: number[] = [];
  for (const d of readdirSafe('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === front.pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
