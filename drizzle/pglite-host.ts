// Starts drizzle/pglite-worker.ts on a worker thread and waits until its socket accepts
// connections. The socket lives in a fresh 0700 folder, so only this user can reach it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PgliteWorkerData, PgliteWorkerMessage } from './pglite-worker';

/** node-postgres finds a Unix socket as `<host>/.s.PGSQL.<port>`. */
export const PGLITE_PORT = 5432;

export interface PgliteWorker {
  socketDir: string;
  /** Flushes and closes PGlite, then ends the thread. */
  close(): Promise<void>;
}

export async function startPgliteWorker(dataDir: string | undefined, log: (msg: string) => void): Promise<PgliteWorker> {
  const socketDir = mkdtempSync(path.join(tmpdir(), 'porchlight-pglite-'));
  const data: PgliteWorkerData = { dataDir, socketPath: path.join(socketDir, `.s.PGSQL.${PGLITE_PORT}`) };
  // The worker is TypeScript: register tsx (which the server already runs on) in the new
  // thread, then load it. Node 20 does not carry the parent's loader into a worker.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  const removeDir = () => rmSync(socketDir, { recursive: true, force: true });

  // The next answer to a start or a close (warnings are logged on their own).
  const next = () =>
    new Promise<PgliteWorkerMessage>((resolve, reject) => {
      const onMessage = (m: PgliteWorkerMessage) => m.type !== 'warn' && done(() => resolve(m));
      const onError = (err: Error) => done(() => reject(err));
      const onExit = (code: number) => done(() => reject(new Error(`PGlite thread exited with code ${code}`)));
      const done = (settle: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        settle();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });

  const first = await next().catch((err: unknown) => {
    removeDir();
    throw err;
  });
  if (first.type !== 'ready') {
    await worker.terminate();
    removeDir();
    throw new Error(`PGlite did not start: ${first.type === 'failed' ? first.message : first.type}`);
  }
  worker.on('message', (m: PgliteWorkerMessage) => {
    if (m.type === 'warn') log(m.message);
  });
  let closed = false;
  // A thread that dies on its own (out of memory, a crash in PGlite) leaves every query failing.
  worker.on('error', (err) => log(`PGlite thread failed: ${err.message}`));
  worker.on('exit', (code) => closed || log(`PGlite thread exited with code ${code}`));
  let closing: Promise<void> | undefined;
  return {
    socketDir,
    close: () =>
      (closing ??= (async () => {
        const done = next().catch(() => undefined);
        worker.postMessage({ type: 'close' });
        await done;
        closed = true;
        await worker.terminate();
        removeDir();
      })()),
  };
}
