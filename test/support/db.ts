// Real databases for integration tests: PGlite in memory always, and PostgreSQL as well when
// DATABASE_URL is set (each test file gets a fresh database there, dropped afterwards).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../drizzle/db';

export interface TestDbKind {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

export function testDatabases(): TestDbKind[] {
  const kinds: TestDbKind[] = [{ name: 'pglite', open: () => openDatabase({}) }];
  const admin = process.env.DATABASE_URL;
  if (admin) kinds.push({ name: 'postgres', open: () => openFreshPostgres(admin) });
  return kinds;
}

/** A new, empty PostgreSQL database next to the one DATABASE_URL names; `drop` removes it. */
export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `porchlight_test_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function openFreshPostgres(adminUrl: string): Promise<Database> {
  const fresh = await freshPostgres(adminUrl);
  const database = await openDatabase({ url: fresh.url });
  return {
    ...database,
    close: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}
