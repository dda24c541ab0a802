// Orchestrator side of the benchmarks (presence-bench.ts, chat-bench.ts): child processes with a
// request/reply IPC channel, which never outlive the orchestrator, and CPU readings from /proc.
// Children import bench-shared.ts instead; only an orchestrator imports this file (it installs
// exit and signal handlers that stop every child it started).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuTicks, openFileLimit, rssKb, sleep, wall, type IpcReply } from './bench-shared';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export const children = new Set<Child>();

export class Child {
  readonly proc: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly events = new Map<string, (payload: Record<string, unknown>) => void>();
  private exited = false;

  constructor(readonly name: string, script: string, args: string[], env: Record<string, string> = {}) {
    // BENCH_CPU_PROF_DIR=/some/dir: every child writes a V8 CPU profile there when it exits (for
    // finding what a stall was; NODE_OPTIONS may not carry --cpu-prof).
    const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-interval', '500', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : [];
    const node = [process.execPath, ...prof, '--import', 'tsx', '--expose-gc', '--max-old-space-size=6144', path.join(here, script), ...args];
    // Through sh so the open-file soft limit can be raised to the hard limit; `exec` keeps the pid,
    // so proc.pid is the Node process whose /proc entries we read.
    this.proc = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...node], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this);
    this.proc.on('message', (raw) => {
      const m = raw as IpcReply & { event?: string };
      if (m.event) return this.events.get(m.event)?.(m as unknown as Record<string, unknown>);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${this.name}: ${m.error}`));
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = true;
      children.delete(this);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${this.name} exited (${code ?? signal}) before answering`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid as number;
  }

  /** Resolves with the payload of the child's first `event` message. */
  once(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.proc.once('exit', (code) => reject(new Error(`${this.name} exited (${code}) before ${event}`)));
      this.events.set(event, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
    });
  }

  request<T = unknown>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${type} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ id, type, ...payload });
    });
  }

  /** Ask it to exit, then make sure it did (by its pid only). */
  async stop(graceMs = 8000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.request('shutdown', {}, graceMs).catch(() => {});
    const t = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(t);
  }

  kill(): void {
    if (!this.exited) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

export function killAll(): void {
  for (const c of children) c.kill();
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    console.error(`\n[bench] ${sig}: stopping children`);
    killAll();
    process.exit(130);
  });
}

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 100): Promise<number> {
  const t0 = wall();
  while (wall() - t0 < timeoutMs) {
    if (await check()) return wall() - t0;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}


export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Busy CPU of the whole machine (all cores, /proc/stat), in clock ticks. */
export function machineBusyTicks(): number {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
}

/**
 * CPU used by processes that are not part of this benchmark over a window (% of one core): the
 * machine is shared, and 2 cores leave no room for a build or test run next to the benchmark.
 */
export function foreignCpuWindow() {
  const pids = [process.pid, ...[...children].map((c) => c.pid)];
  const t0 = wall();
  const m0 = machineBusyTicks();
  const c0 = pids.map((p) => {
    try {
      return cpuTicks(p);
    } catch {
      return 0;
    }
  });
  return () => {
    const secs = (wall() - t0) / 1000;
    const oursNow = pids.reduce((a, p, i) => {
      try {
        return a + cpuTicks(p) - (c0[i] as number);
      } catch {
        return a;
      }
    }, 0);
    return Math.max(0, ((machineBusyTicks() - m0 - oursNow) / CLK_TCK / secs) * 100);
  };
}

/** CPU of a process over a window, as a percentage of one core. */
export function cpuWindow(pids: number[]) {
  const t0 = wall();
  const c0 = pids.map(cpuTicks);
  return () => {
    const secs = (wall() - t0) / 1000;
    return pids.map((pid, i) => ((cpuTicks(pid) - (c0[i] as number)) / CLK_TCK / secs) * 100);
  };
}

/** The server's own CPU time (process.cpuUsage, all threads) over a window, as % of one core. */
export async function serverCpuWindow(server: Child): Promise<() => Promise<number>> {
  const a = await server.request<{ us: number; at: number }>('cpu');
  return async () => {
    const b = await server.request<{ us: number; at: number }>('cpu');
    return ((b.us - a.us) / ((b.at - a.at) * 1000)) * 100;
  };
}

export function sliceSizes(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0)).filter((x) => x > 0);
}

export const addressesFor = (count: number) => Array.from({ length: count }, (_, i) => `127.0.0.${i + 1}`);

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return {
    nproc: os.availableParallelism(),
    cpu,
    node: process.version,
    memGiB: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()}`,
    openFiles: openFileLimit(process.pid),
  };
}

/** Full GC then VmRSS once a second until `minRounds` ran and the last four readings agree within 1 MB (or 45 s more passed). */
export async function settledMemory<M>(server: Child, minRounds: number): Promise<{ rssKb: number; mem: M; settled: boolean }> {
  const readings: number[] = [];
  const giveUpAt = wall() + minRounds * 1000 + 45_000;
  for (;;) {
    const mem = await server.request<M>('gc');
    const rss = rssKb(server.pid);
    readings.push(rss);
    const last = readings.slice(-4);
    if (readings.length >= minRounds && last.length === 4 && Math.max(...last) - Math.min(...last) < 1024) return { rssKb: rss, mem, settled: true };
    if (wall() > giveUpAt) return { rssKb: rss, mem, settled: false };
    await sleep(1000);
  }
}
