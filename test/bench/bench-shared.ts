import { randomBytes } from 'node:crypto';
// Shared pieces of the benchmarks (presence, chat): the clock, statistics, /proc readings and a small
// request/reply protocol over the Node IPC channel between the orchestrator and its children.
import { readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every benchmark process derives it
 * from the same system clock (CLOCK_REALTIME at process start + a monotonic offset), so a
 * timestamp taken in the visitor generator can be compared with one taken in the dashboard process.
 */
export const wall = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The benchmarks' command lines: calls `on(flag, value)` for each `--flag value` or `--flag=value`
 * argument; `value()` returns the inline value or takes the next argument.
 */
export function eachFlag(argv: readonly string[], on: (flag: string, value: () => string | undefined, arg: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    on(flag, () => inline ?? argv[++i], a);
  }
}

/** A numeric option within [min, max] (underscores allowed: 10_000), or a clear error naming it. */
export function numberFlag(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(String(v).replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${v}`);
  return n;
}

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile over an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    count: s.length,
    min: s.length ? (s[0] as number) : NaN,
    mean: s.length ? sum / s.length : NaN,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? (s[s.length - 1] as number) : NaN,
  };
}

/** Resident set size of a process in KiB, from /proc/<pid>/status. */
export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** utime + stime of a process, in clock ticks, from /proc/<pid>/stat. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: the fields we want follow the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime field 15.
  return Number(rest[11]) + Number(rest[12]);
}

/** The open-file limit of a process (this one by default), from /proc/<pid>/limits. */
export function openFileLimit(pid: number | 'self' = 'self'): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/** Event-loop delay of the current process (how late timers fire), resettable per phase. */
export function lagMonitor() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let elu = performance.eventLoopUtilization();
  return {
    reset() {
      h.reset();
      elu = performance.eventLoopUtilization();
    },
    /** Milliseconds (the histogram counts nanoseconds; the sampling resolution is subtracted). */
    stats() {
      const ms = (ns: number) => Math.max(0, ns / 1e6 - 10);
      const u = performance.eventLoopUtilization(elu);
      return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), utilization: u.utilization };
    },
  };
}
export type LagStats = ReturnType<ReturnType<typeof lagMonitor>['stats']>;

// ---- IPC: the orchestrator sends { id, type, ...payload }, the child answers { id, ok, result | error }.

export interface IpcRequest {
  id: number;
  type: string;
  [k: string]: unknown;
}
export interface IpcReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

type Handler = (msg: IpcRequest) => unknown;

/** A benchmark child never outlives the orchestrator: it exits when the IPC channel closes. */
export function exitWithParent(): void {
  if (!process.send) {
    console.error('this script is a benchmark child process: run `npm run bench`');
    process.exit(2);
  }
  if (!process.connected) process.exit(2);
  if (process.listenerCount('disconnect') === 0) process.once('disconnect', () => process.exit(2));
}

/** Serve requests from the parent. */
export function serveParent(handlers: Record<string, Handler>): void {
  exitWithParent();
  process.on('message', (raw) => {
    const msg = raw as IpcRequest;
    const handler = handlers[msg.type];
    const reply = (r: Omit<IpcReply, 'id'>) => {
      if (process.connected) process.send?.({ id: msg.id, ...r });
    };
    if (!handler) return reply({ ok: false, error: `unknown request ${msg.type}` });
    Promise.resolve()
      .then(() => handler(msg))
      .then(
        (result) => reply({ ok: true, result }),
        (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
      );
  });
}

/** Tells the parent something unprompted (readiness). */
export function notifyParent(type: string, payload: Record<string, unknown>): void {
  process.send?.({ id: 0, event: type, ...payload });
}

/** Loopback only: every address the benchmark touches must be in 127.0.0.0/8. */
export function assertLoopback(hostOrUrl: string): void {
  const host = /^[a-z]+:\/\//i.test(hostOrUrl) ? new URL(hostOrUrl).hostname : hostOrUrl;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`refusing non-loopback address ${host}`);
}

/** Garbage-collection pauses of the current process (perf_hooks 'gc' entries), resettable per phase. */
export function gcMonitor() {
  let all: number[] = [];
  let major: number[] = [];
  /** Pauses of 20 ms or more, with their wall-clock start, to line them up with slow samples. */
  let long: { at: number; ms: number; major: boolean }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      all.push(e.duration);
      const isMajor = (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      if (e.duration >= 20 && long.length < 200) long.push({ at: Math.round(performance.timeOrigin + e.startTime), ms: e.duration, major: isMajor });
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) major.push(e.duration);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    reset() {
      all = [];
      major = [];
      long = [];
    },
    /** Pauses in ms: all kinds, and the major (mark-compact) ones. */
    stats() {
      return { count: all.length, totalMs: sum(all), maxMs: all.length ? Math.max(...all) : 0, majorCount: major.length, majorTotalMs: sum(major), majorMaxMs: major.length ? Math.max(...major) : 0, long };
    },
  };
}
export type GcStats = ReturnType<ReturnType<typeof gcMonitor>['stats']>;

/** Event-loop stalls: a 10 ms timer that fired `threshold` ms or more late, with the wall-clock time it was due. */
export function stallMonitor(thresholdMs = 40) {
  let stalls: { at: number; ms: number }[] = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    if (late >= thresholdMs && stalls.length < 200) stalls.push({ at: Math.round(performance.timeOrigin + last + 10), ms: Math.round(late) });
    last = now;
  }, 10).unref();
  return {
    reset() {
      stalls = [];
    },
    stats: () => stalls,
  };
}

/** Two full GCs (the server children run with --expose-gc). */
export function fullGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('start with --expose-gc');
  g();
  g();
}

/** This process's memory, as the orchestrators read it. */
export interface ProcessMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export function processMemory(): ProcessMemory {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** CPU time of this process (all threads, like utime+stime in /proc/<pid>/stat) in microseconds, with the wall time it was read. */
export function processCpu(): { us: number; at: number } {
  const u = process.cpuUsage();
  return { us: u.user + u.system, at: wall() };
}

/** A real agent account through better-auth's HTTP endpoint, as a browser signs up: its id and session cookie. */
export async function signUpAgent(url: string, name: string, email = `bench-${randomBytes(4).toString('hex')}@example.com`, password = 'bench-password-123'): Promise<{ userId: string; cookie: string; email: string; password: string }> {
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password, name }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  return { userId: body.user.id, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), email, password };
}
