// nginx for the cluster benchmark: the test's nginx (test/support/nginx.ts startNginx: the
// repository's server/deploy/nginx.conf rewritten only for its upstream ports, `listen` and the
// access log path, as the integration test runs it), with a main config sized for tens of
// thousands of WebSockets. Its own prefix, pid and logs in a temporary folder; never the system
// service. Every proxied WebSocket holds two descriptors in one worker (client + upstream).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { startNginx, type Nginx } from '../support/nginx';
import { sleep } from './bench-shared';

export interface BenchNginx extends Nginx {
  workers: number;
  workerConnections: number;
  /** What we changed beyond the ports and log path, for the report. */
  notes: string;
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
  const { workers, workerConnections, rlimit } = sizeNginx(o.visitors, o.minWorkers);
  // The listen line only: each worker its own accept queue (reuseport), so one worker does not take
  // every connection of a burst and run out of descriptors while the others idle; a longer backlog
  // for the connect burst.
  const listenParams = 'reuseport backlog=4096';
  const nginx = await startNginx({ port: o.port, upstreams: o.upstreams, workers, workerConnections, workerRlimitNofile: rlimit, listenParams, tempPrefix: 'porchlight-bench-nginx-' });
  const notes = `worker_processes ${workers}, worker_connections ${workerConnections}, worker_rlimit_nofile ${rlimit} (hard open-file limit here ${hardFileLimit()}); listen with ${listenParams}`;
  return { ...nginx, workers, workerConnections, notes };
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
