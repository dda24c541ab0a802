// nginx for the cluster benchmark: the repository's server/deploy/nginx.conf rewritten only for
// its upstream ports, `listen` and the access log path (test/support/nginx.ts renderSite, as the
// integration test runs it), under a main config of the benchmark's own sized for tens of
// thousands of WebSockets. Its own prefix, pid and logs in a temporary folder; never the system
// service. Every proxied WebSocket holds two descriptors in one worker (client + upstream).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findNginx, NGINX_SITE, renderSite } from '../support/nginx';
import { sleep } from './bench-shared';

export interface BenchNginx {
  url: string;
  pid: number;
  workers: number;
  workerConnections: number;
  /** What we changed beyond the ports and log path, for the report. */
  notes: string;
  accessLog(): string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** The hard open-file limit of this process: nginx (as root) can raise its workers' soft limit up to it. */
export function hardFileLimit(): number {
  const m = /^Max open files\s+\S+\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? 1_048_576 : Number(m[1]);
}

/**
 * Workers and worker_connections for `visitors` proxied sockets: as many workers as the
 * per-process descriptor limit requires (25 % headroom: `reuseport` spreads connections over the
 * workers by hash, not exactly evenly), at least `minWorkers`.
 */
export function sizeNginx(visitors: number, minWorkers: number) {
  const perWorkerMax = hardFileLimit() - 256;
  const need = Math.ceil((2 * visitors + 512) * 1.25);
  const workers = Math.max(minWorkers, Math.ceil(need / perWorkerMax));
  const workerConnections = Math.min(perWorkerMax, Math.max(1024, Math.ceil(need / workers) + 1024));
  return { workers, workerConnections, rlimit: workerConnections + 256 };
}

export async function startBenchNginx(o: { port: number; upstreams: number[]; visitors: number; minWorkers: number }): Promise<BenchNginx> {
  const bin = findNginx();
  if (!bin) throw new Error('nginx is not installed (apt-get install -y nginx, or set NGINX_PATH)');
  const { workers, workerConnections, rlimit } = sizeNginx(o.visitors, o.minWorkers);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-bench-nginx-'));
  chmodSync(dir, 0o755); // workers run as nobody when we are root
  const accessLog = path.join(dir, 'access.log');
  const errorLog = path.join(dir, 'error.log');
  let site = renderSite(readFileSync(NGINX_SITE, 'utf8'), { listenPort: o.port, upstreams: o.upstreams, accessLog });
  // The listen line only: each worker its own accept queue (reuseport), so one worker does not take
  // every connection of a burst and run out of descriptors while the others idle; a longer backlog
  // for the connect burst.
  site = site.replace(`listen 127.0.0.1:${o.port};`, `listen 127.0.0.1:${o.port} reuseport backlog=4096;`);
  writeFileSync(path.join(dir, 'porchlight.conf'), site);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      `worker_processes ${workers};`,
      `worker_rlimit_nofile ${rlimit};`,
      `error_log ${errorLog} warn;`,
      `pid ${path.join(dir, 'nginx.pid')};`,
      `events { worker_connections ${workerConnections}; }`,
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, t)};`),
      `  include ${path.join(dir, 'porchlight.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // Master and workers are one process group (detached): signal the group, by our child's pid only.
  const signal = (s: NodeJS.Signals) => {
    if (gone() || !child.pid) return;
    try {
      process.kill(-child.pid, s);
    } catch {
      // gone
    }
  };
  const onExit = () => {
    signal('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.prependListener('exit', onExit); // first: one syscall, before the slower cleanups
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    signal('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    signal('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(o.port))) {
    if (gone() || Date.now() > deadline) {
      const why = `nginx did not start on 127.0.0.1:${o.port}:\n${out}\n${read(errorLog)}`;
      await stop();
      throw new Error(why);
    }
    await sleep(100);
  }
  const notes = `worker_processes ${workers}, worker_connections ${workerConnections}, worker_rlimit_nofile ${rlimit} (hard open-file limit here ${hardFileLimit()}); listen with reuseport backlog=4096`;
  return { url: `http://127.0.0.1:${o.port}`, pid: child.pid as number, workers, workerConnections, notes, accessLog: () => read(accessLog), errorLog: () => read(errorLog) + out, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * Which upstream nginx's `hash $remote_addr consistent` sends each source address to: one plain
 * request per address, then its line in the access log (`upstream=127.0.0.1:<port>`).
 */
export async function probeUpstreams(front: BenchNginx, addresses: string[]): Promise<Map<string, number>> {
  const get = (address: string) =>
    new Promise<void>((resolve, reject) => {
      http.get(`${front.url}/healthz`, { localAddress: address, agent: false }, (res) => (res.resume(), res.on('end', () => resolve()))).on('error', reject);
    });
  for (let i = 0; i < addresses.length; i += 25) await Promise.all(addresses.slice(i, i + 25).map(get));
  const out = new Map<string, number>();
  for (let attempt = 0; attempt < 50 && out.size < addresses.length; attempt++) {
    for (const line of front.accessLog().split('\n')) {
      const m = /^(\S+) .*"GET \/healthz [^"]*" 200 .*upstream=(?:\S+, )*127\.0\.0\.1:(\d+)/.exec(line);
      if (m && addresses.includes(m[1] as string)) out.set(m[1] as string, Number(m[2]));
    }
    if (out.size < addresses.length) await sleep(100);
  }
  if (out.size < addresses.length) throw new Error(`nginx logged only ${out.size} of ${addresses.length} probe requests`);
  return out;
}
