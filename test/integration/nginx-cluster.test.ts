// The cluster recipe as an operator runs it (issue 10): nginx (Debian's package) with the
// repository's own server/deploy/nginx.conf in front of three Porchlight processes (real OS
// processes over a fresh PostgreSQL database and a private redis-server), reached only through
// nginx except for the per-process /metrics the test reads to see where sockets landed.
//
// How the test varies the client address: the shipped config hashes on $remote_addr, and the
// whole 127.0.0.0/8 is loopback on Linux, so each test client binds a source address of its own
// (127.0.0.N, through an http.Agent's localAddress). nginx then spreads them over the processes
// exactly as it spreads real visitors, with the config untouched (no test-only hash key).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { SiteStore } from '../../server/sites/site-store';
import { freshPostgres } from '../support/db';
import { freePort, startNode, startPrivateRedis, type NodeProcess, type PrivateRedis } from '../support/cluster-process';
import { until, watchTable, type LiveTable } from '../support/live-table';
import { findNginx, NGINX_SITE, startNginx, type Nginx } from '../support/nginx';
import { CHROME_UA, connected, handshake, signUp, sleep, type Account, type AgentSocket, type VisitorSocket } from '../support/server';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// CI installs nginx and sets CI_REQUIRE_NGINX: there a missing nginx fails the test, never skips it.
const missing = [!findNginx() && !process.env.CI_REQUIRE_NGINX && 'nginx is not installed', !process.env.DATABASE_URL && 'DATABASE_URL is unset', !hasRedisServer && 'redis-server is not installed'].filter(Boolean);
if (missing.length) console.warn(`[nginx-cluster] skipped: ${missing.join(', ')}`);

const SHOP = 'https://shop.example';

describe.skipIf(missing.length > 0)('three processes behind nginx with server/deploy/nginx.conf', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Database;
  let redis: PrivateRedis;
  let front: Nginx;
  let owner: Account;
  let site: { id: string; publicKey: string };
  const nodes: NodeProcess[] = [];
  const sockets: { disconnect(): void }[] = [];
  const tables: LiveTable[] = [];
  const track = <T extends { disconnect(): void }>(s: T): T => (sockets.push(s), s);

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    db = await openDatabase({ url: fresh.url }); // migrates once, before any node starts
    redis = await startPrivateRedis();
    const nginxPort = await freePort();
    const publicUrl = `http://127.0.0.1:${nginxPort}`;
    const env = {
      DATABASE_URL: fresh.url,
      REDIS_URL: redis.url,
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      CLUSTER_NODE_CONFIG: JSON.stringify({
        // As the README says to run them: the public address is nginx's, and nginx is trusted.
        PUBLIC_URL: publicUrl,
        TRUSTED_PROXIES: '127.0.0.1',
        // The abuse limits on (the test helper turns them off), with a small per-address cap, so
        // the forwarded address is seen to be what counts.
        PORCHLIGHT_NO_RATE_LIMIT: '',
        VISITOR_CONNECTIONS_PER_ADDRESS: '6',
      }),
    };
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startNode(env)))));
    front = await startNginx({ port: nginxPort, upstreams: nodes.map((n) => Number(new URL(n.url).port)) });
    owner = await signUp(front.url, 'Proxied Owner');
    site = await new SiteStore(db.db).create(owner.userId, { name: 'Proxied Shop', allowedOrigins: [SHOP] });
  });
  afterEach(() => {
    if (process.env.CLUSTER_DEBUG) console.log(`--- nginx access log\n${front?.accessLog().slice(-6000)}\n--- nginx errors\n${front?.errorLog().slice(-3000)}`);
  });
  afterAll(async () => {
    for (const t of tables.splice(0)) t.close();
    for (const s of sockets.splice(0)) s.disconnect();
    await front?.stop();
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await redis?.destroy();
    await db?.close();
    await fresh?.drop();
  });

  // engine.io-client hands `agent` to http.request (long-polling) and ws in Node, though its
  // types say string | boolean: the agent is what binds the client's source address.
  const from = (address: string) => ({ agent: new http.Agent({ localAddress: address }) as unknown as string });

  interface VisitorOpts {
    transport: 'websocket' | 'polling';
    /** Reconnect by itself, as the snippet does (a closed tab does not). */
    reconnect?: boolean;
    origin?: string;
    auth?: ReturnType<typeof handshake>;
  }
  const visitorVia = (address: string, o: VisitorOpts): VisitorSocket =>
    track(
      io(`${front.url}/visitor`, {
        query: { k: site.publicKey },
        auth: o.auth ?? handshake(),
        transports: [o.transport],
        extraHeaders: { origin: o.origin ?? SHOP, 'user-agent': CHROME_UA },
        reconnection: o.reconnect ?? false,
        reconnectionDelay: 300,
        reconnectionDelayMax: 1000,
        forceNew: true,
        ...from(address),
      }),
    );
  const dashboardVia = async (address: string): Promise<{ socket: AgentSocket; table: LiveTable }> => {
    const socket: AgentSocket = track(
      io(`${front.url}/agent`, { transports: ['websocket'], extraHeaders: { cookie: owner.cookie, origin: front.url }, reconnection: false, forceNew: true, ...from(address) }),
    );
    await connected(socket);
    const table = await watchTable(socket, site.id);
    tables.push(table);
    return { socket, table };
  };
  const get = (path: string, address = '127.0.0.1', headers: Record<string, string> = {}) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${front.url}${path}`, { localAddress: address, headers }, (res) => (res.resume(), res.on('end', () => resolve(res)))).on('error', reject);
    });
  /** nginx's log lines for one client address (the repository's `porchlight` format). */
  const logOf = (address: string) =>
    front
      .accessLog()
      .split('\n')
      .filter((l) => l.startsWith(`${address} `))
      .map((l) => ({ line: l, status: Number(/" (\d{3}) /.exec(l)?.[1]), upstream: /upstream=(\S+)/.exec(l)?.[1]?.split(', ').at(-1) ?? '' }));
  /** The process nginx sends this address to: a plain request, then its log line. */
  const upstreamOf = async (address: string): Promise<string> => {
    const before = logOf(address).length;
    await get('/healthz', address);
    await until(`nginx logs the request from ${address}`, 2000, () => logOf(address).length > before, 10);
    return logOf(address).at(-1)!.upstream;
  };
  const visitorSocketsOn = async (n: NodeProcess): Promise<number> => {
    const text = await (await fetch(`${n.url}/metrics`)).text(); // loopback: answered without a token
    return Number(/^porchlight_visitor_sockets (\d+)$/m.exec(text)?.[1]);
  };
  const hostOf = (n: NodeProcess) => `127.0.0.1:${new URL(n.url).port}`; // as nginx names its upstreams
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  const refusal = (s: VisitorSocket) => new Promise<string>((resolve) => s.once('connect_error', (e) => resolve(e.message)));

  it('accepts visitors over WebSocket and long-polling, still checks their Origin, keeps /metrics in and sets the forwarded headers', async () => {
    expect((await get('/readyz')).statusCode).toBe(200);
    // nginx never cuts a live socket: its timeouts outlast socket.io's heartbeat (server/socket-server.ts:
    // a ping every 25 s, 20 s for the answer). Read from the file (a real wait would take a minute).
    const shipped = readFileSync(NGINX_SITE, 'utf8');
    for (const d of ['proxy_read_timeout', 'proxy_send_timeout']) expect(Number(new RegExp(`^\\s*${d} (\\d+)s;$`, 'm').exec(shipped)?.[1]), d).toBeGreaterThan(25 + 20);
    // Without METRICS_TOKEN a process answers /metrics to loopback peers, and nginx is one.
    expect((await get('/metrics')).statusCode).toBe(404);
    expect((await fetch(`${nodes[0]!.url}/metrics`)).status).toBe(200);
    // X-Forwarded-Proto is nginx's ($scheme, http here), not the client's claim...
    expect((await get('/healthz', '127.0.0.1', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBeUndefined();
    // ...which a trusted peer's would be believed (so the check above means something).
    expect((await fetch(`${nodes[0]!.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBe('max-age=31536000');

    for (const transport of ['websocket', 'polling'] as const) {
      const ok = visitorVia('127.0.0.1', { transport });
      await connected(ok);
      expect(ok.io.engine.transport.name).toBe(transport);
      ok.disconnect();
      // The Origin check works through the proxy (nginx passes the browser's Origin as is).
      await expect(connected(visitorVia('127.0.0.1', { transport, origin: 'https://evil.example' }))).rejects.toThrow();
    }

    // X-Forwarded-For reaches the processes and is believed from nginx: the per-address cap (6 per
    // window here) counts 127.0.0.200's sockets, not everyone's (all arrive from nginx's 127.0.0.1).
    const six = Array.from({ length: 6 }, () => visitorVia('127.0.0.200', { transport: 'websocket' }));
    await Promise.all(six.map(connected));
    expect(await refusal(visitorVia('127.0.0.200', { transport: 'websocket' }))).toBe('rate_limited');
    await connected(visitorVia('127.0.0.201', { transport: 'websocket' }));
    for (const s of sockets.splice(0)) s.disconnect();
  }, 60_000);

  it('long-polling sessions stay on one process, a dashboard sees every process; after kill -9 of one, dashboards are right within 10 s and its visitors reconnect through nginx', async () => {
    // Which process each source address is sent to (the shipped hash), until every process has
    // five addresses: two visitors each, two tabs that close with the killed one, a dashboard.
    const byHost = new Map<string, string[]>(nodes.map((n) => [hostOf(n), []]));
    for (let i = 10; i < 250 && [...byHost.values()].some((a) => a.length < 5); i++) {
      const address = `127.0.0.${i}`;
      byHost.get(await upstreamOf(address))?.push(address);
    }
    for (const [host, addresses] of byHost) expect(addresses.length, `addresses nginx sends to ${host}`).toBeGreaterThanOrEqual(5);
    // Sticky by address: asking again always gives the same process.
    for (const [host, addresses] of byHost) for (const a of addresses.slice(0, 2)) expect(await upstreamOf(a)).toBe(host);

    const killed = nodes[0]!;
    const survivor = nodes[1]!;
    const addr = (n: NodeProcess, i: number) => byHost.get(hostOf(n))![i]!;

    // On every process: a WebSocket visitor and a long-polling-only one, both reconnecting by
    // themselves; on the one to be killed, two more whose tabs close with it.
    interface Visitor { id: string; socket: VisitorSocket; address: string; transport: 'websocket' | 'polling'; on: NodeProcess; drops: number }
    const open = (on: NodeProcess, i: number, transport: 'websocket' | 'polling', reconnect: boolean): Visitor => {
      const auth = handshake();
      const v: Visitor = { id: auth.visitorId, socket: visitorVia(addr(on, i), { transport, reconnect, auth }), address: addr(on, i), transport, on, drops: 0 };
      v.socket.on('disconnect', () => v.drops++);
      return v;
    };
    const staying = nodes.flatMap((n) => [open(n, 0, 'websocket', true), open(n, 1, 'polling', true)]);
    const closing = [open(killed, 2, 'websocket', false), open(killed, 3, 'websocket', false)];
    await Promise.all([...staying, ...closing].map((v) => connected(v.socket)));
    // They landed where the hash says, on all three processes.
    expect(await Promise.all(nodes.map(visitorSocketsOn))).toEqual([4, 2, 2]);

    const d1 = await dashboardVia(addr(survivor, 4)); // on a process that lives
    const d2 = await dashboardVia(addr(killed, 4)); // on the one that dies
    const everyone = [...staying, ...closing].map((v) => v.id);
    await until('both dashboards (through nginx) list the visitors of all three processes', 5000, () => same(d1.table.ids(), everyone) && same(d2.table.ids(), everyone));

    // Long-polling through nginx: each page change is a POST and its ack comes back on a GET, each
    // a request of its own. Every one must reach the process holding the session.
    const polling = staying.filter((v) => v.transport === 'polling');
    const sids = polling.map((v) => v.socket.id);
    const started = Date.now();
    await Promise.all(
      polling.map(async (v) => {
        for (let i = 1; i <= 12; i++) {
          const ack = await v.socket.timeout(5000).emitWithAck('visitor:page', { url: `${SHOP}/p${i}`, title: `Page ${i}` });
          expect(ack.ok).toBe(true);
          await sleep(100);
        }
      }),
    );
    const lastPage = (t: LiveTable) => polling.every((v) => t.state().visitors.get(v.id)?.page.url === `${SHOP}/p12`);
    await until('both dashboards show the polling visitors’ last page', 5000, () => lastPage(d1.table) && lastPage(d2.table));
    for (const [i, v] of polling.entries()) {
      const requests = logOf(v.address).filter((l) => l.line.includes('/socket.io/'));
      expect(requests.length, `requests of the polling visitor from ${v.address}`).toBeGreaterThanOrEqual(24);
      // All on its process, none refused (400 "Session ID unknown" would mean another process).
      expect(new Set(requests.map((r) => r.upstream))).toEqual(new Set([hostOf(v.on)]));
      expect(requests.filter((r) => r.status !== 200)).toEqual([]);
      expect(v.socket.id).toBe(sids[i]);
      expect(v.socket.io.engine.transport.name).toBe('polling');
      expect(v.drops).toBe(0);
    }
    console.log(`[nginx-cluster] ${polling.length} long-polling visitors × 12 page changes through nginx: ${Date.now() - started} ms, every request on its own process`);

    // kill -9, once every process has seen the others' heartbeats (as in cluster-faults).
    await sleep(2500);
    const killedAt = Date.now();
    const d2Lost = new Promise<void>((r) => d2.socket.once('disconnect', () => r()));
    await killed.kill9();
    const truth = staying.map((v) => v.id); // the closed tabs leave; the reconnecting visitors stay
    const reconnected = () => staying.every((v) => v.socket.connected);
    const tookD1 = await until('the surviving dashboard is right and the killed process’s visitors are back', 10_000, () => same(d1.table.ids(), truth) && reconnected());
    // The dashboard that was on the killed process reconnects through nginx, like the dashboard does.
    await d2Lost;
    const d2b = await dashboardVia(addr(killed, 4));
    const tookD2 = await until('the reconnected dashboard is right', 10_000 - (Date.now() - killedAt), () => same(d2b.table.ids(), truth));
    console.log(`[nginx-cluster] kill -9: surviving dashboard right ${tookD1} ms after the kill; reconnected dashboard right ${Date.now() - killedAt} ms after (${tookD2} ms after it reconnected)`);

    // The killed process's visitors came back through nginx onto the others, on their own transport.
    const moved = staying.filter((v) => v.on === killed);
    for (const v of moved) {
      expect(v.drops).toBe(1);
      expect(v.socket.io.engine.transport.name).toBe(v.transport);
      // nginx logs a WebSocket when it closes; a long-poll's requests as they complete.
      if (v.transport === 'polling') expect(logOf(v.address).at(-1)?.upstream).not.toBe(hostOf(killed));
    }
    expect((await Promise.all(nodes.slice(1).map(visitorSocketsOn))).reduce((a, b) => a + b, 0)).toBe(staying.length);
    // The others never noticed.
    for (const v of staying.filter((s) => s.on !== killed)) expect(v.drops).toBe(0);
    // And it stays right (no stale rows coming back).
    await sleep(1500);
    expect(d1.table.ids()).toEqual([...truth].sort());
    expect(d2b.table.ids()).toEqual([...truth].sort());
  }, 90_000);
});
