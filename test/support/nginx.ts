// A real nginx (Debian's package) of the test's own, running the repository's configuration
// (server/deploy/nginx.conf) with the test's ports: its own prefix, main config, pid and logs in
// a temporary folder, never the system service. NGINX_PATH overrides where the binary is. The
// cluster benchmark (test/bench/bench-nginx.ts) starts the same nginx, sized for its load.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { root } from './server';

export const NGINX_SITE = path.join(root, 'server', 'deploy', 'nginx.conf');

export interface Nginx {
  url: string;
  port: number;
  /** The master's pid: it and its workers are one process group of that id. */
  pid: number;
  /** The access log so far (the repository's `porchlight` format: address, request, status, upstream). */
  accessLog(): string;
  /** What nginx wrote to its error log. */
  errorLog(): string;
  stop(): Promise<void>;
}

/** What a caller may size beyond the test's defaults (one worker, 1024 connections); the site file itself stays as shipped. */
export interface NginxOptions {
  port: number;
  upstreams: number[];
  /** worker_processes (default 1). */
  workers?: number;
  /** events { worker_connections } (default 1024). */
  workerConnections?: number;
  /** worker_rlimit_nofile (default: none, the workers keep nginx's limit). */
  workerRlimitNofile?: number;
  /** More parameters of the rewritten `listen` line, e.g. `reuseport backlog=4096`. */
  listenParams?: string;
  /** The temporary folder's name prefix (default `porchlight-nginx-`). */
  tempPrefix?: string;
}

/** The nginx binary, or undefined when it is not installed. */
export function findNginx(): string | undefined {
  const candidates = process.env.NGINX_PATH
    ? [process.env.NGINX_PATH]
    : ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'nginx'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * The repository's site file with the test's addresses: only the upstream `server` lines, the
 * `listen` lines and the access log path change, so everything else is tested as shipped.
 */
export function renderSite(site: string, o: { listenPort: number; upstreams: number[]; accessLog: string }): string {
  const servers = [...site.matchAll(/^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;$/gm)];
  if (servers.length !== o.upstreams.length) throw new Error(`${NGINX_SITE}: expected ${o.upstreams.length} upstream servers, found ${servers.length}`);
  let i = 0;
  let out = site.replace(/^(\s*)server 127\.0\.0\.1:\d+((?: [^;]*)?);$/gm, (_m, indent: string, params: string) => `${indent}server 127.0.0.1:${o.upstreams[i++]}${params};`);
  // Only 127.0.0.1 (the test's clients bind other loopback addresses, which still reach it).
  out = out.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${o.listenPort};`).replace(/^\s*listen \[::\]:80;\n/m, '');
  out = out.replace(/access_log \S+ porchlight;/, `access_log ${o.accessLog} porchlight;`);
  if (!out.includes(`listen 127.0.0.1:${o.listenPort};`) || !out.includes(o.accessLog)) throw new Error(`${NGINX_SITE}: listen or access_log line not found`);
  return out;
}

export async function startNginx(o: NginxOptions): Promise<Nginx> {
  const bin = findNginx();
  if (!bin) throw new Error('nginx is not installed (apt-get install -y nginx, or set NGINX_PATH)');
  const dir = mkdtempSync(path.join(os.tmpdir(), o.tempPrefix ?? 'porchlight-nginx-'));
  // Workers run as nobody when the test runs as root: they must reach the temp folders inside.
  chmodSync(dir, 0o755);
  const accessLog = path.join(dir, 'access.log');
  const errorLog = path.join(dir, 'error.log');
  let site = renderSite(readFileSync(NGINX_SITE, 'utf8'), { listenPort: o.port, upstreams: o.upstreams, accessLog });
  if (o.listenParams) site = site.replace(`listen 127.0.0.1:${o.port};`, `listen 127.0.0.1:${o.port} ${o.listenParams};`);
  writeFileSync(path.join(dir, 'porchlight.conf'), site);
  // A main config of its own: Debian's /etc/nginx/nginx.conf would also load the system's sites.
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      `worker_processes ${o.workers ?? 1};`,
      ...(o.workerRlimitNofile === undefined ? [] : [`worker_rlimit_nofile ${o.workerRlimitNofile};`]),
      `error_log ${errorLog} warn;`,
      `pid ${path.join(dir, 'nginx.pid')};`,
      `events { worker_connections ${o.workerConnections ?? 1024}; }`,
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, t)};`),
      `  include ${path.join(dir, 'porchlight.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // The master and its workers are one process group: signal the group (by our child's pid only).
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
  process.prependListener('exit', onExit); // first: one syscall, before slower cleanups
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    signal('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    signal('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (!(await accepts(o.port))) {
    if (gone() || Date.now() > deadline) {
      const why = `nginx did not start on 127.0.0.1:${o.port}:\n${out}\n${read(errorLog)}`;
      await stop();
      throw new Error(why);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${o.port}`,
    port: o.port,
    pid: child.pid!,
    accessLog: () => read(accessLog),
    errorLog: () => read(errorLog) + out,
    stop,
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
