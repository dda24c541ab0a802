// /readyz says whether the dependencies really answer, so a load balancer stops sending visitors
// to a process that cannot serve them: PostgreSQL made unreachable, and a private Redis killed
// and started again. /healthz stays ok throughout (the process is alive).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
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

const redisServer = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;

describe.skipIf(!redisServer)('readiness when Redis goes away', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-redis-'));
  const pidfile = path.join(dir, 'redis.pid');
  let port = 0;
  const startRedis = () =>
    execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidfile, '--dir', dir]);
  const stopRedis = () => {
    try {
      process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
    } catch {
      /* not running */
    }
    rmSync(pidfile, { force: true });
  };
  afterAll(() => {
    stopRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while Redis is down and 200 once it is back; the database stays ok', async () => {
    port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    startRedis();
    await sleep(300);
    const database = await openDatabase({});
    let server: Porchlight | null = null;
    try {
      server = await startTestServer(database, { REDIS_URL: `redis://127.0.0.1:${port}` });
      const url = server.url;
      expect(await readyz(url)).toEqual({ status: 200, body: { ok: true, db: 'ok', redis: 'ok' } });
      stopRedis();
      expect(await until(() => readyz(url), (r) => r.status === 503)).toEqual({ status: 503, body: { ok: false, db: 'ok', redis: 'down' } });
      expect(await healthz(url)).toBe(200);
      startRedis();
      expect(await until(() => readyz(url), (r) => r.status === 200, 20_000)).toEqual({ status: 200, body: { ok: true, db: 'ok', redis: 'ok' } });
    } finally {
      await server?.close();
      await database.close();
    }
  });
});
