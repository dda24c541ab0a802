// Client child of the presence benchmark, in one of two roles:
//   visitors:   holds a slice of the N simulated visitors (real socket.io-client, websocket
//               transport, source addresses spread over 127.0.0.x) and changes their pages at a
//               steady rate, stamping each new URL with the wall-clock time of the change.
//   dashboards: a few agent sockets watching the site; every presence:diff upsert whose URL
//               carries a stamp gives one page-change -> dashboard latency sample.
// Started by presence-bench.ts; not meant to be run by hand.
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { LiveVisitor, PresenceDiff, VisitorHandshake } from '../../server/protocol';
import { assertLoopback, exitWithParent, lagMonitor, openFileLimit, serveParent, sleep, summarize, wall, type IpcRequest } from './bench-shared';

exitWithParent();
const role = process.argv[2];
const lag = lagMonitor();

const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PAGES = ['', 'pricing', 'features', 'blog/launch', 'docs/getting-started', 'contact', 'about', 'product/widget-pro'];

// ---------------------------------------------------------------------------------------------
// visitors

interface VisitorInit {
  url: string;
  key: string | null; // null for the baseline server (no site key)
  origin: string;
  count: number;
  generator: number;
  localAddresses: string[];
  concurrency: number;
  connectTimeoutMs: number;
  /**
   * Cluster benchmark only: visitors reconnect by themselves with the snippet's backoff, except
   * every `closingEvery`-th one (a tab that closes with its process). Unset: no reconnection.
   */
  reconnect?: { delayMs: number; delayMaxMs: number; closingEvery: number };
}

function visitorRole(): void {
  let init: VisitorInit | null = null;
  const sockets: Socket[] = [];
  const disconnects = new Map<string, number>();
  const ackErrors = new Map<string, number>();
  let acksOk = 0;
  /** Per connected socket: its visitor id, whether it reconnects, and when it last (re)connected. */
  const meta = new Map<Socket, { id: string; reconnects: boolean; connectedAt: number; disconnectedAt: number; attempts: number; lastError: string }>();

  const handshake = (i: number): VisitorHandshake => {
    const tag = `g${init?.generator}i${i}x${randomBytes(4).toString('hex')}`;
    return {
      visitorId: `bv${tag}`,
      tabId: `bt${tag}`,
      visitId: `bs${tag}`,
      visitStartedAt: Date.now(),
      visitCount: 1,
      page: { url: `http://bench.example/${PAGES[i % PAGES.length]}`, title: `Bench page ${i % PAGES.length}` },
      referrer: i % 3 === 0 ? 'https://www.google.com/' : '',
      utm: i % 5 === 0 ? { source: 'newsletter', medium: 'email' } : {},
      language: 'en-US',
      timeZone: 'Europe/Berlin',
      screen: { w: 1440, h: 900 },
      state: 'active',
    };
  };

  const connectOne = (i: number): Promise<Socket | string> => {
    const o = init as VisitorInit;
    const localAddress = o.localAddresses[i % o.localAddresses.length] as string;
    const auth = handshake(i);
    const reconnects = !!o.reconnect && i % o.reconnect.closingEvery !== 0;
    const s = io(`${o.url}/visitor`, {
      transports: ['websocket'],
      query: o.key ? { k: o.key } : {},
      auth: auth as unknown as Record<string, unknown>,
      extraHeaders: { origin: o.origin, 'user-agent': CHROME_UA },
      localAddress,
      reconnection: reconnects,
      ...(reconnects && o.reconnect ? { reconnectionDelay: o.reconnect.delayMs, reconnectionDelayMax: o.reconnect.delayMaxMs, randomizationFactor: 0.5 } : {}),
      forceNew: true,
      timeout: o.connectTimeoutMs,
    } as Parameters<typeof io>[1]);
    return new Promise((resolve) => {
      s.once('connect', () => {
        s.on('disconnect', (reason) => disconnects.set(reason, (disconnects.get(reason) ?? 0) + 1));
        if (o.reconnect) {
          const m = { id: auth.visitorId, reconnects, connectedAt: wall(), disconnectedAt: 0, attempts: 0, lastError: '' };
          meta.set(s, m);
          s.on('connect', () => (m.connectedAt = wall())); // a reconnection
          s.on('disconnect', () => (m.disconnectedAt = wall()));
          s.io.on('reconnect_attempt', () => m.attempts++);
          s.on('connect_error', (err) => (m.lastError = err.message));
        }
        resolve(s);
      });
      s.once('connect_error', (err) => {
        s.close();
        resolve(err.message || 'connect_error');
      });
    });
  };

  serveParent({
    init: (m: IpcRequest) => {
      init = m.init as VisitorInit;
      assertLoopback(init.url);
      for (const a of init.localAddresses) assertLoopback(a);
      return { pid: process.pid, openFiles: openFileLimit() };
    },
    /** Connect the whole slice, at most `concurrency` handshakes in flight, starting at wall time `startAt`. */
    connect: async (m: IpcRequest) => {
      const o = init as VisitorInit;
      const startAt = m.startAt as number;
      await sleep(Math.max(0, startAt - wall()));
      const t0 = wall();
      const errors = new Map<string, number>();
      let next = 0;
      let retried = 0;
      const worker = async () => {
        while (next < o.count) {
          const i = next++;
          let r = await connectOne(i);
          if (typeof r === 'string') {
            // One retry, counted: a refused or timed-out handshake is reported, not hidden.
            errors.set(r, (errors.get(r) ?? 0) + 1);
            retried++;
            r = await connectOne(i);
            if (typeof r === 'string') {
              errors.set(`${r} (after retry)`, (errors.get(`${r} (after retry)`) ?? 0) + 1);
              continue;
            }
          }
          sockets.push(r);
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, worker));
      return { connected: sockets.length, retried, errors: Object.fromEntries(errors), startedAt: t0, endedAt: wall() };
    },
    /**
     * Page changes at `rate` per second from `startAt` to `endAt` (wall ms), visitors taken in a
     * shuffled round robin so no visitor changes twice within N/rate seconds (the server's
     * per-socket limit is 10/s and its flush would coalesce two changes in one window).
     */
    load: async (m: IpcRequest) => {
      const rate = m.rate as number;
      const startAt = m.startAt as number;
      const endAt = m.endAt as number;
      const measureFrom = m.measureFrom as number;
      const order = sockets.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      await sleep(Math.max(0, startAt - wall()));
      lag.reset();
      let sent = 0;
      let sentMeasured = 0;
      let cursor = 0;
      let seq = 0;
      const pageOf = (n: number) => PAGES[n % PAGES.length] as string;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const now = wall();
          if (now >= endAt || order.length === 0) {
            clearInterval(timer);
            resolve();
            return;
          }
          const due = Math.floor(((now - startAt) * rate) / 1000);
          let burst = 0;
          while (sent < due && burst < 200) {
            const s = sockets[order[cursor % order.length] as number] as Socket;
            cursor++;
            seq++;
            const t = wall();
            const n = seq;
            s.emit('visitor:page', { url: `http://bench.example/${pageOf(n)}?n=${n}&t=${t.toFixed(3)}`, title: `Bench page ${n % PAGES.length}` }, (ack: { ok: boolean; code?: string }) => {
              if (ack?.ok) acksOk++;
              else ackErrors.set(ack?.code ?? 'unknown', (ackErrors.get(ack?.code ?? 'unknown') ?? 0) + 1);
            });
            sent++;
            burst++;
            if (t >= measureFrom) sentMeasured++;
          }
        }, 5);
      });
      return { sent, sentMeasured, lag: lag.stats() };
    },
    stats: () => ({
      connected: sockets.filter((s) => s.connected).length,
      disconnects: Object.fromEntries(disconnects),
      acksOk,
      ackErrors: Object.fromEntries(ackErrors),
      lag: lag.stats(),
      memory: process.memoryUsage().rss,
    }),
    'lag-reset': () => lag.reset(),
    /** Cluster benchmark (reconnect set): every visitor's id, whether it reconnects, its state now. */
    ids: () => [...meta].map(([s, m]) => ({ id: m.id, reconnects: m.reconnects, connected: s.connected, connectedAt: m.connectedAt, disconnectedAt: m.disconnectedAt, attempts: m.attempts, lastError: m.lastError })),
    shutdown: () => setImmediate(() => process.exit(0)),
  });
}

// ---------------------------------------------------------------------------------------------
// dashboards

interface DashboardInit {
  url: string;
  cookie: string;
  siteId: string;
  count: number;
}

function dashboardRole(): void {
  let init: DashboardInit | null = null;
  interface Board {
    socket: Socket;
    total: number;
    diffs: number;
    upserts: number;
    bytes: number;
    samples: { t: number; latency: number }[];
    lastStamp: Map<string, string>; // visitor id -> last stamp recorded, so a re-sent row counts once
  }
  const boards: Board[] = [];
  const STAMP = /[?&]t=(\d+(?:\.\d+)?)/;

  const onDiff = (b: Board, diff: PresenceDiff) => {
    const now = wall();
    b.diffs++;
    b.total = diff.total;
    b.upserts += diff.upserts.length;
    for (const v of diff.upserts as LiveVisitor[]) {
      const m = STAMP.exec(v.page.url);
      if (!m) continue;
      const stamp = m[1] as string;
      if (b.lastStamp.get(v.id) === stamp) continue;
      b.lastStamp.set(v.id, stamp);
      const t = Number(stamp);
      b.samples.push({ t, latency: now - t });
    }
  };

  serveParent({
    init: (m: IpcRequest) => {
      init = m.init as DashboardInit;
      assertLoopback(init.url);
      return { pid: process.pid };
    },
    connect: async () => {
      const o = init as DashboardInit;
      const snapshots: number[] = [];
      for (let i = 0; i < o.count; i++) {
        const socket = io(`${o.url}/agent`, {
          transports: ['websocket'],
          extraHeaders: { cookie: o.cookie, origin: o.url },
          localAddress: '127.0.0.1',
          reconnection: false,
          forceNew: true,
        } as Parameters<typeof io>[1]);
        const b: Board = { socket, total: 0, diffs: 0, upserts: 0, bytes: 0, samples: [], lastStamp: new Map() };
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (err) => reject(new Error(`dashboard refused: ${err.message}`)));
        });
        // Bytes on the wire per diff: the engine.io packet text, counted before socket.io decodes it.
        socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
          if (p.type === 'message' && typeof p.data === 'string' && p.data.includes('"presence:diff"')) b.bytes += Buffer.byteLength(p.data);
        });
        socket.on('presence:diff', (d: PresenceDiff) => onDiff(b, d));
        const ack = (await socket.timeout(10_000).emitWithAck('site:watch', { siteId: o.siteId })) as { ok: boolean; code?: string; visitors?: unknown[] };
        if (!ack.ok) throw new Error(`site:watch refused: ${ack.code}`);
        snapshots.push(ack.visitors?.length ?? 0);
        boards.push(b);
      }
      return { snapshots };
    },
    /** What the dashboards believe the site's total is (to know every visitor became visible). */
    totals: () => boards.map((b) => ({ total: b.total, connected: b.socket.connected })),
    'measure-reset': () => {
      lag.reset();
      for (const b of boards) {
        b.samples = [];
        b.diffs = 0;
        b.upserts = 0;
        b.bytes = 0;
      }
    },
    /** Latency samples whose stamp lies in [from, to): one per page change per dashboard. */
    measure: (m: IpcRequest) => {
      const from = m.from as number;
      const to = m.to as number;
      const latencies: number[] = [];
      const perBoard: number[] = [];
      for (const b of boards) {
        let n = 0;
        for (const s of b.samples) {
          if (s.t < from || s.t >= to) continue;
          latencies.push(s.latency);
          n++;
        }
        perBoard.push(n);
      }
      const diffs = boards.reduce((a, b) => a + b.diffs, 0);
      const bytes = boards.reduce((a, b) => a + b.bytes, 0);
      const upserts = boards.reduce((a, b) => a + b.upserts, 0);
      return {
        latency: summarize(latencies),
        perBoard,
        diffsPerBoard: diffs / Math.max(1, boards.length),
        avgDiffBytes: diffs ? bytes / diffs : 0,
        avgUpsertsPerDiff: diffs ? upserts / diffs : 0,
        bytesPerUpsert: upserts ? bytes / upserts : 0,
        connected: boards.filter((b) => b.socket.connected).length,
        lag: lag.stats(),
      };
    },
    shutdown: () => setImmediate(() => process.exit(0)),
  });
}

if (role === 'visitors') visitorRole();
else if (role === 'dashboards') dashboardRole();
else {
  console.error(`unknown role ${role}`);
  process.exit(1);
}
