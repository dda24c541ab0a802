// /readyz says whether the dependencies really answer, so a load balancer stops sending visitors
// to a process that cannot serve them: PostgreSQL made unreachable and back. /healthz stays ok
// throughout (the process is alive). (Redis going away is part of the cluster-faults work: with
// the Redis client reconnecting, closing the server hung in a first try of that test.)
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../drizzle/db';
import { freshPostgres } from '../support/db';
import { sleep, startTestServer } from '../support/server';

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; db: string; redis: string } };
};
const healthz = async (url: string) => (await fetch(`${url}/healthz`)).status;

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(200);
  }
}

describe('readiness (PGlite, no Redis)', () => {
  it('is ready when the embedded database answers; Redis is off, not down', async () => {
    const database = await openDatabase({});
    const server = await startTestServer(database);
    try {
      expect(await readyz(server.url)).toEqual({ status: 200, body: { ok: true, db: 'ok', redis: 'off' } });
    } finally {
      await server.close();
      await database.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('readiness when PostgreSQL goes away', () => {
  it('answers 503 while the database refuses connections, and 200 again once it is back', async () => {
    const fresh = await freshPostgres(process.env.DATABASE_URL!);
    const name = new URL(fresh.url).pathname.slice(1);
    const database = await openDatabase({ url: fresh.url, log: () => {} });
    const server = await startTestServer(database);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      expect((await readyz(server.url)).body).toMatchObject({ ok: true, db: 'ok' });
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      const down = await until(() => readyz(server.url), (r) => r.status === 503);
      expect(down).toEqual({ status: 503, body: { ok: false, db: 'down', redis: 'off' } });
      expect(await healthz(server.url)).toBe(200);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      expect(await until(() => readyz(server.url), (r) => r.status === 200)).toEqual({ status: 200, body: { ok: true, db: 'ok', redis: 'off' } });
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`).catch(() => {});
      await admin.end();
      await server.close();
      await database.close();
      await fresh.drop();
    }
  });
});
