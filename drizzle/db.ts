// Opens the database: PostgreSQL through `pg` when a URL is given, otherwise PGlite in a
// local folder (or in memory). Both run the same schema and migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PoolConfig } from 'pg';
import { lockDataDir } from './data-dir-lock';
import { PGLITE_PORT, startPgliteWorker } from './pglite-host';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://... ; when absent PGlite is used. */
  url?: string;
  /** PGlite data folder; absent means in memory (tests). */
  dataDir?: string;
  /** Where connection trouble is reported (the server's logger). */
  log?: (msg: string) => void;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return opts.url ? openPostgres(opts.url, log) : openPglite(opts.dataDir, log);
}

async function connectPostgres(config: PoolConfig, log: (msg: string) => void) {
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool(config);
  // An idle client's connection can drop (PostgreSQL restarts, admin terminates it). Without a
  // listener that 'error' would crash the process; the pool replaces the client on next use.
  pool.on('error', (err) => log(`PostgreSQL connection lost: ${err.message}`));
  const db = drizzle({ client: pool, schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, pool };
}

async function openPostgres(url: string, log: (msg: string) => void): Promise<Database> {
  const { db, pool } = await connectPostgres({ connectionString: url, max: 10 }, log);
  return { db, kind: 'postgres', close: () => pool.end() };
}

async function openPglite(dataDir: string | undefined, log: (msg: string) => void): Promise<Database> {
  let release: (() => Promise<void>) | undefined;
  if (dataDir) {
    dataDir = path.resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
    // Two processes on one PGlite folder both "work" and silently lose writes: allow exactly one.
    release = await lockDataDir(dataDir, log);
  }
  try {
    const worker = await startPgliteWorker(dataDir, log);
    try {
      // One connection: PGlite is a single backend, and the worker serves one at a time.
      const { db, pool } = await connectPostgres({ host: worker.socketDir, port: PGLITE_PORT, user: 'postgres', database: 'postgres', max: 1 }, log);
      return {
        db,
        kind: 'pglite',
        close: async () => {
          await pool.end();
          await worker.close();
          await release?.();
        },
      };
    } catch (err) {
      await worker.close();
      throw err;
    }
  } catch (err) {
    await release?.();
    throw err;
  }
}
