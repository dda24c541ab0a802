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

async function openFreshPostgres(adminUrl: string): Promise<Database> {
  const name = `porchlight_test_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
