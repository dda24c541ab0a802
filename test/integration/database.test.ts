// The embedded database: data survives a restart, migrations apply by themselves, and only
// one process may own a PGlite folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../drizzle/db';
import pg from 'pg';
import { workspace } from '../../drizzle/schema';
import { freshPostgres } from '../support/db';
import { root } from '../support/server';

describe('PGlite data folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts and refuses a second owner with a clear message', async () => {
    const first = await openDatabase({ dataDir: dir });
    await first.db.insert(workspace).values({ id: 'ws-1', name: 'Kept' });
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by another Porchlight process/);
    await first.close();

    const again = await openDatabase({ dataDir: dir }); // migrations run again: must be a no-op
    expect(await again.db.select().from(workspace)).toEqual([expect.objectContaining({ id: 'ws-1', name: 'Kept' })]);
    await again.close();
  });
});

describe('PGlite folder held by another process', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-lock-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a process that opens the folder and writes a row; resolves once it has. */
  const holder = (id: string) =>
    new Promise<ChildProcess>((resolve, reject) => {
      // One process (node --import tsx), so the pid that holds the folder is the one killed.
      const p = spawn(process.execPath, ['--import', 'tsx', 'test/support/pglite-holder.ts', dir, id], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('READY')) resolve(p);
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', onData);
      p.once('exit', (code) => reject(new Error(`holder exited with ${code}: ${out}`)));
    });

  it('a live owner refuses a second process; after kill -9 its lock is taken over at once and what it wrote is there', async () => {
    child = await holder('ws-held');
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(new RegExp(`in use by another Porchlight process \\(pid ${child.pid}\\)`));

    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const started = Date.now();
    const after = await openDatabase({ dataDir: dir }); // no 15 s wait for the stale lock
    const tookMs = Date.now() - started;
    try {
      expect(await after.db.select().from(workspace)).toEqual([expect.objectContaining({ id: 'ws-held' })]);
      console.log(`[database] reopened after kill -9 in ${tookMs} ms`);
    } finally {
      await after.close();
    }
    // Two PGlite start-ups (a child process and this one) and migrations: slow on a busy machine.
  }, 120_000);
});

describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL connections dropping', () => {
  it('the process survives its idle connections being terminated and keeps using the database', async () => {
    const fresh = await freshPostgres(process.env.DATABASE_URL!);
    const database = await openDatabase({ url: fresh.url });
    try {
      await database.db.insert(workspace).values({ id: 'ws-a', name: 'Before' });
      const name = new URL(fresh.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200)); // let the 'error' events arrive: they must not crash us
      await database.db.insert(workspace).values({ id: 'ws-b', name: 'After' });
      expect((await database.db.select().from(workspace)).map((w) => w.name).sort()).toEqual(['After', 'Before']);
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});
