// Runs the product the way `npm start` does (server/start.ts) in a child process on free ports,
// with its own PGlite folder, and tells where it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './server';

export interface AppProcess {
  url: string;
  demoUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DEMO_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SKIP_BUILD: '1', NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: '', REDIS_URL: '', PORCHLIGHT_NO_RATE_LIMIT: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<{ url: string; demoUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 90 s:\n${out}`)), 90_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /PORCHLIGHT_READY (.*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!) as { url: string; demoUrl: string });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${out}`));
    });
  });
  const { url, demoUrl } = await ready;
  return {
    url,
    demoUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
