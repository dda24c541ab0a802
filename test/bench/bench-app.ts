// The full Porchlight app for the dashboard benchmark: server/start.ts (Next.js dashboard, realtime
// server and /embed.js on one port) in a child process on 127.0.0.1:0 with its own PGlite folder,
// the prebuilt dashboard (SKIP_BUILD=1) and PORCHLIGHT_NO_RATE_LIMIT=1, as test/support/app-process.ts
// starts it for the e2e tests, but run with `node --import tsx` directly (no tsx CLI wrapper), so
// the pid we hold is the server itself: its CPU is read from /proc and it is killed by that pid.
// Also: one agent account (better-auth's HTTP endpoint) and one site it owns (POST /api/sites).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLK_TCK, machineBusyTicks } from './bench-proc';
import { cpuTicks, signUpAgent, wall } from './bench-shared';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchApp {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const c of running) {
    try {
      if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
};
process.on('exit', killRunning);

export async function startBenchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-dash-bench-'));
  const node = [process.execPath, '--import', 'tsx', path.join(root, 'server', 'start.ts')];
  // Through sh so the open-file soft limit can be raised to the hard limit; `exec` keeps the pid.
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...node], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DEMO_PORT: 'off',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SKIP_BUILD: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      DATABASE_URL: '',
      REDIS_URL: '',
      PORCHLIGHT_NO_RATE_LIMIT: '1',
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in 120 s:\n${out.slice(-4000)}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = /PORCHLIGHT_READY (.*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve((JSON.parse(m[1] as string) as { url: string }).url);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${out.slice(-4000)}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      running.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchAccount {
  email: string;
  password: string;
  cookie: string;
  siteId: string;
  siteKey: string;
}

/** Signs an agent up and creates one site whose allowed origin is the visitors' (http://bench.example). */
export async function createAccountAndSite(url: string, origin: string): Promise<BenchAccount> {
  const { email, password, cookie } = await signUpAgent(url, 'Bench Agent', `dash-bench-${randomBytes(4).toString('hex')}@example.com`);
  const site = await fetch(`${url}/api/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, cookie },
    body: JSON.stringify({ name: 'Bench site', allowedOrigins: [origin] }),
  });
  if (!site.ok) throw new Error(`site creation failed: ${site.status} ${await site.text()}`);
  const body = (await site.json()) as { site: { id: string; publicKey: string } };
  return { email, password, cookie, siteId: body.site.id, siteKey: body.site.publicKey };
}

// ---- CPU of the benchmark's process tree (the machine is shared) -----------------------------

interface Proc {
  pid: number;
  ticks: number;
  cmd: string;
}

/** This process and all its descendants (app, generators, Chromium and its helpers), from /proc. */
function tree(rootPid = process.pid): Proc[] {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: Proc[] = [];
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop() as number;
    try {
      out.push({ pid, ticks: cpuTicks(pid), cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      continue;
    }
    todo.push(...(kids.get(pid) ?? []));
  }
  return out;
}

export interface TreeCpu {
  /** % of one core over the window. */
  benchPct: number;
  chromiumPct: number;
  rendererPct: number;
  /** Busy CPU of the machine not used by the benchmark's processes. */
  otherPct: number;
}

/** CPU of the benchmark's processes, of Chromium (all its processes, and its renderers), and of everything else. */
export function treeCpuWindow(): () => TreeCpu {
  const t0 = wall();
  const m0 = machineBusyTicks();
  const before = new Map(tree().map((p) => [p.pid, p.ticks] as const));
  return () => {
    const secs = (wall() - t0) / 1000;
    const pct = (ticks: number) => (ticks / CLK_TCK / secs) * 100;
    let bench = 0;
    let chromium = 0;
    let renderer = 0;
    for (const p of tree()) {
      const d = p.ticks - (before.get(p.pid) ?? 0);
      bench += d;
      if (/chrom/i.test(p.cmd)) chromium += d;
      if (p.cmd.includes('--type=renderer')) renderer += d;
    }
    return { benchPct: pct(bench), chromiumPct: pct(chromium), rendererPct: pct(renderer), otherPct: Math.max(0, pct(machineBusyTicks() - m0 - bench)) };
  };
}
