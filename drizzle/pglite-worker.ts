// PGlite on its own thread, speaking the PostgreSQL wire protocol on a private Unix socket.
// Why: PGlite runs queries and encodes results on the thread that calls it; in the server's main
// thread that work sat between socket.io events and stretched chat latency. Here the main thread
// talks to it exactly as to PostgreSQL (node-postgres), so both databases share one code path.
import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

export interface PgliteWorkerData {
  /** PGlite data folder; absent means in memory. */
  dataDir?: string;
  socketPath: string;
}

export type PgliteWorkerMessage = { type: 'ready' } | { type: 'closed' } | { type: 'failed'; message: string } | { type: 'warn'; message: string };

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const TERMINATE = 0x58; // 'X'

const { dataDir, socketPath } = workerData as PgliteWorkerData;
const post = (m: PgliteWorkerMessage) => parentPort?.postMessage(m);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Opens the database. A new data folder is initialised (initdb) first, in a WebAssembly memory of
 * its own that PGlite keeps for as long as the instance lives: about 360 MB more RSS, for good.
 * Closing once the folder is written and opening it again (about 0.2 s, on the first start only)
 * leaves that behind.
 */
async function openPglite(dir: string | undefined): Promise<PGlite> {
  if (!dir) return PGlite.create();
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await (await PGlite.create(dir)).close();
  return PGlite.create(dir);
}

async function main(): Promise<void> {
  const db = await openPglite(dataDir);
  // Every protocol message goes through one queue: PGlite is a single backend.
  let queue: Promise<void> = Promise.resolve();
  // Once the database is closed nothing may touch it (its WebAssembly memory is gone): the
  // connections' own goodbyes (a ROLLBACK on close) queued behind the close are skipped.
  let closed = false;
  const sockets = new Set<Socket>();
  const run = (fn: () => Promise<void>) => {
    queue = queue.then(() => (closed ? undefined : fn())).catch((err: unknown) => post({ type: 'warn', message: `PGlite: ${messageOf(err)}` }));
  };
  // The connection whose statements ran last. node-postgres' pool in db.ts holds one connection,
  // so another connection only appears when the pool replaces this one; a transaction the old
  // one left open must not swallow the new one's statements.
  let owner: Socket | null = null;

  function serve(socket: Socket): void {
    socket.setNoDelay(true);
    sockets.add(socket);
    let buffered: Buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        // The startup packet has no type byte; every later message has one.
        const head = started ? 1 : 0;
        if (buffered.length < head + 4) break;
        const size = head + buffered.readInt32BE(head);
        if (buffered.length < size) break;
        const message = buffered.subarray(0, size);
        buffered = buffered.subarray(size);
        if (!started) {
          const code = message.readInt32BE(4);
          // No TLS on a private socket: answer "N" and wait for the real startup packet.
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            socket.write('N');
            continue;
          }
          started = true;
        }
        // Terminate ends this connection, not the database: PGlite would exit the thread on it.
        // (node-postgres' pool ends a connection after any failed query.)
        if (message[0] === TERMINATE) {
          socket.end();
          return;
        }
        const bytes = new Uint8Array(message);
        run(async () => {
          if (socket.destroyed) return;
          if (owner !== socket && db.isInTransaction()) await db.exec('ROLLBACK');
          owner = socket;
          try {
            // A copy: the chunk is a view of PGlite's memory, reused before a busy socket sends it.
            await db.execProtocolRawStream(bytes, { onRawData: (data) => socket.write(Buffer.from(data)) });
          } catch (err) {
            // The client would wait for an answer forever: end the connection so its pool
            // opens a new one, and say why.
            socket.destroy();
            throw err;
          }
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      run(async () => {
        if (owner === socket && db.isInTransaction()) await db.exec('ROLLBACK');
      });
    });
  }

  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  post({ type: 'ready' });

  parentPort?.on('message', (m: { type: 'close' }) => {
    if (m.type !== 'close') return;
    server.close();
    run(async () => {
      closed = true;
      // A statement that arrives from here on would get no answer: its client learns at once.
      for (const socket of sockets) socket.destroy();
      await db.close();
      post({ type: 'closed' });
    });
  });
}

main().catch((err: unknown) => post({ type: 'failed', message: messageOf(err) }));
