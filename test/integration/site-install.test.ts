// What the owner sees of an install, against a real server and database: a visitor's connection
// marks the site as installed (where, when); origins refused for the key are recorded (counted,
// bounded, written in batches) and one click allows them; a rotated key keeps working for its
// grace period, then is refused and sockets still open on it close, on every process.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { loadConfig } from '../../server/config';
import { startPorchlight, type Porchlight } from '../../server/main';
import { freshPostgres, testDatabases } from '../support/db';
import { connected, root, signUp, sleep, visitorSocket, type VisitorSocket } from '../support/server';

const DAY = 24 * 3600_000;

/** A server whose clock the test moves (the rest of the test runs in real time). */
function clockedServer(database: Database, clock: { offset: number }, env: Record<string, string> = {}): Promise<Porchlight> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_PORT: 'off',
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    PRESENCE_GRACE_MS: '400',
    PRESENCE_FLUSH_MS: '50',
    NODE_ENV: 'test',
    PORCHLIGHT_NO_RATE_LIMIT: '1',
    ...env,
  });
  return startPorchlight({ config, database, snippetDir: path.join(root, 'embed-snippet', 'dist'), now: () => Date.now() + clock.offset, log: () => {} });
}

/** The engine.io handshake a browser on `origin` makes with the key: the gate's refusal message, or 'accepted'. */
async function refused(url: string, o: { key: string; origin?: string }): Promise<string> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&k=${encodeURIComponent(o.key)}`, { headers: { origin: o.origin ?? 'https://shop.example' } });
  const text = await res.text();
  if (res.ok) return 'accepted';
  return (JSON.parse(text) as { message: string }).message;
}

const closedByServer = (s: VisitorSocket, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
    s.once('disconnect', (reason) => {
      clearTimeout(t);
      resolve(reason);
    });
  });

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 6000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

describe.each(testDatabases())('site install on $name', (kind) => {
  let database: Database;
  let server: Porchlight;
  const clock = { offset: 0 };
  const sockets: VisitorSocket[] = [];
  const track = (s: VisitorSocket) => (sockets.push(s), s);

  beforeAll(async () => {
    database = await kind.open();
    server = await clockedServer(database, clock);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('a visitor marks the site as installed; refused origins are counted and one click allows them', async () => {
    const owner = await signUp(server.url, 'Owner');
    const sites = server.services.sites;
    const site = await sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    expect(await sites.lastSeen(site.id)).toBeNull();

    const before = Date.now();
    await connected(track(visitorSocket(server.url, { key: site.publicKey, origin: 'https://shop.example' })));
    const seen = await until(() => sites.lastSeen(site.id), (v) => v !== null);
    expect(seen?.origin).toBe('https://shop.example');
    expect(seen!.at).toBeGreaterThanOrEqual(before - 5);

    for (let i = 0; i < 3; i++) {
      expect(await refused(server.url, { key: site.publicKey, origin: 'https://www.shop.example' })).toMatch(/origin not allowed/);
    }
    // A foreign key, and origins that are not web origins, record nothing for this site.
    await refused(server.url, { key: 'pk_nobody', origin: 'https://www.shop.example' });
    await refused(server.url, { key: site.publicKey, origin: 'null' });
    const list = await until(() => sites.refusedOrigins(site.id), (l) => l.length > 0 && l[0]!.count >= 3);
    expect(list.map((r) => [r.origin, r.count])).toEqual([['https://www.shop.example', 3]]);

    // One more refusal adds to the same row (batched upsert, not a new one).
    await refused(server.url, { key: site.publicKey, origin: 'https://www.shop.example' });
    expect((await until(() => sites.refusedOrigins(site.id), (l) => l[0]?.count === 4))[0]?.count).toBe(4);

    // Allow it: it connects at once (the 30 s key cache is forgotten) and leaves the list.
    const allowed = await sites.allowOrigin(owner.userId, site.id, 'https://www.shop.example/');
    expect(allowed.ok && allowed.site.allowedOrigins).toEqual(['https://shop.example', 'https://www.shop.example']);
    await connected(track(visitorSocket(server.url, { key: site.publicKey, origin: 'https://www.shop.example' })));
    expect(await sites.refusedOrigins(site.id)).toEqual([]);

    // Someone else cannot allow origins on this site.
    const stranger = await signUp(server.url, 'Stranger');
    expect(await sites.allowOrigin(stranger.userId, site.id, 'https://evil.example')).toEqual({ ok: false, code: 'not_found' });
  });

  it('keeps only the latest refused origins of a site', async () => {
    const owner = await signUp(server.url, 'Owner');
    const sites = server.services.sites;
    const site = await sites.create(owner.userId, { name: 'Busy', allowedOrigins: ['https://busy.example'] });
    await Promise.all(Array.from({ length: 26 }, (_, i) => refused(server.url, { key: site.publicKey, origin: `https://o${i}.example` })));
    const rows = await until(() => sites.refusedOrigins(site.id), (l) => l.length >= 20);
    await sleep(2500); // the next flush would have written anything left
    expect((await sites.refusedOrigins(site.id)).length).toBeLessThanOrEqual(20);
    expect(rows.length).toBe(20);
  });

  it('a rotated key works during its grace period, then is refused and its open sockets close', async () => {
    const owner = await signUp(server.url, 'Owner');
    const sites = server.services.sites;
    const site = await sites.create(owner.userId, { name: 'Rotating', allowedOrigins: ['https://shop.example'] });
    const oldKey = site.publicKey;
    const onOld = track(visitorSocket(server.url, { key: oldKey }));
    await connected(onOld);

    const rotated = await sites.rotateKey(owner.userId, site.id, DAY);
    expect(rotated?.publicKey).not.toBe(oldKey);
    const newKey = rotated!.publicKey;
    expect(rotated!.previousKey).toBe(oldKey);

    // In the grace period: both keys connect, and the socket on the old one stays.
    const lateOnOld = track(visitorSocket(server.url, { key: oldKey }));
    await connected(lateOnOld);
    const onNew = track(visitorSocket(server.url, { key: newKey }));
    await connected(onNew);
    await sleep(1200);
    expect(onOld.connected && lateOnOld.connected).toBe(true);

    // Someone else cannot rotate it.
    const stranger = await signUp(server.url, 'Stranger');
    expect(await sites.rotateKey(stranger.userId, site.id, 0)).toBeNull();

    // A day later: the old key's sockets close (within the sweep), the old key is refused, the new one still works.
    const closedA = closedByServer(onOld, 4000);
    const closedB = closedByServer(lateOnOld, 4000);
    clock.offset += DAY + 1000;
    expect(await closedA).toBe('io server disconnect');
    expect(await closedB).toBe('io server disconnect');
    expect(await refused(server.url, { key: oldKey })).toMatch(/unknown site key/);
    expect(onNew.connected).toBe(true);
    await connected(track(visitorSocket(server.url, { key: newKey })));

    // Rotating with no grace refuses the old key at once and closes its sockets.
    // Listening before the rotation: the sweep may close the socket while the refusal is checked.
    const closedNew = closedByServer(onNew, 4000);
    const again = await sites.rotateKey(owner.userId, site.id, 0);
    expect(await refused(server.url, { key: newKey })).toMatch(/unknown site key/);
    expect(await closedNew).toBe('io server disconnect');
    await connected(track(visitorSocket(server.url, { key: again!.publicKey })));
  });
});

describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('site keys across two processes (Redis, PostgreSQL)', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  const dbs: Database[] = [];
  const servers: Porchlight[] = [];
  const sockets: VisitorSocket[] = [];
  const clock = { offset: 0 };

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    const env = { REDIS_URL: process.env.REDIS_URL!, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: fresh.url });
      dbs.push(db);
      servers.push(await clockedServer(db, clock, env));
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const s of servers) await s.close();
    for (const d of dbs) await d.close();
    await fresh?.drop();
  });

  it('an origin allowed on A is accepted by B at once; a key rotated on A closes its sockets on B after the grace', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });

    // B caches the key (and its origins) for 30 s: a refusal there first, then the change on A.
    await refused(b.url, { key: site.publicKey, origin: 'https://new.example' });
    const list = await (async () => {
      for (let i = 0; i < 60; i++) {
        const l = await a.services.sites.refusedOrigins(site.id);
        if (l.length) return l;
        await sleep(100);
      }
      return [];
    })();
    expect(list.map((r) => r.origin)).toEqual(['https://new.example']); // recorded by B, listed by A
    await a.services.sites.allowOrigin(owner.userId, site.id, 'https://new.example');
    // The change crosses Redis to B's key cache.
    await expect.poll(() => refused(b.url, { key: site.publicKey, origin: 'https://new.example' }), { timeout: 5000 }).toBe('accepted');
    const onB = visitorSocket(b.url, { key: site.publicKey, origin: 'https://new.example' });
    sockets.push(onB);
    await connected(onB);

    await a.services.sites.rotateKey(owner.userId, site.id, 3600_000);
    await sleep(1200);
    expect(onB.connected).toBe(true);
    const closed = closedByServer(onB, 5000);
    clock.offset += 3600_000 + 1000;
    expect(await closed).toBe('io server disconnect');
    expect(await refused(b.url, { key: site.publicKey, origin: 'https://new.example' })).toMatch(/unknown site key/);
  });
});
