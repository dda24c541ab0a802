// Test clusters made of real OS processes (test/support/cluster-node.ts each), so a test can
// kill -9 one of them, and a private redis-server of the test's own that it may stop and start
// (an outage) without touching the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { root } from './server';

export interface NodeProcess {
  url: string;
  pid: number;
  output(): string;
  /** SIGKILL: the process gets no chance to say goodbye (its Redis connections just close). */
  kill9(): Promise<void>;
  /**
   * SIGSTOP: the process is frozen (a long GC pause, an overloaded machine); its connections stay
   * open but it answers nothing, not even its heartbeat, until resume() (SIGCONT). stop() resumes
   * it before its SIGTERM, and SIGKILL (kill9(), the exit hook) ends it paused or not: a paused
   * node never outlives its test.
   */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();
// Whatever happens to the test run, no node of ours outlives it (each killed by its own pid).
process.on('exit', () => {
  for (const c of started) if (c.exitCode === null && c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
});

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startNode(env: Record<string, string>): Promise<NodeProcess> {
  // `node --import tsx` (not the tsx CLI, which runs the script in a child of its own): the pid we
  // kill is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/cluster-node.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster node did not start in 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /CLUSTER_NODE_READY (.*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve((JSON.parse(m[1]!) as { url: string }).url);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cluster node exited with ${code}:\n${out}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  let paused = false;
  const resume = () => {
    if (paused && alive()) child.kill('SIGCONT');
    paused = false;
  };
  return {
    url,
    pid: child.pid!,
    output: () => out,
    kill9: async () => {
      if (alive()) child.kill('SIGKILL');
      paused = false;
      await exited(child);
    },
    pause: () => {
      if (!alive()) throw new Error('cannot pause a node that has exited');
      child.kill('SIGSTOP');
      paused = true;
    },
    resume,
    stop: async () => {
      if (!alive()) return;
      resume(); // a stopped process would not handle SIGTERM
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(t);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL, as a crash would: clients see their connections drop. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** A redis-server of the test's own on a free port, without persistence (a restart is empty, like a crash). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    started.add(c);
    c.once('exit', () => started.delete(c));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      c.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGKILL');
    await exited(c);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
