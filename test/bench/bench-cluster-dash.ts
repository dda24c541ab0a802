// Dashboards child of the cluster benchmark (cluster-bench.ts): agent sockets, each connected
// straight to one Porchlight process, each keeping the live table's visitor set the way the
// dashboard does (app/live/live-store.ts): a snapshot from `site:watch`, then `presence:diff`;
// on `presence:resync` the rows stay, diffs are buffered, a fresh snapshot is taken and the
// buffered diffs newer than it are replayed. Every upsert whose URL carries a stamp gives one
// page-change -> dashboard latency sample (as bench-client.ts dashboards). For failover it also
// records when each table became (and stayed) right. Not meant to be run by hand.
import { io, type Socket } from 'socket.io-client';
import type { LiveVisitor, PresenceDiff } from '../../server/protocol';
import { assertLoopback, exitWithParent, lagMonitor, serveParent, sleep, summarize, wall, type IpcRequest } from './bench-shared';

exitWithParent();
const lag = lagMonitor();
const STAMP = /[?&]t=(\d+(?:\.\d+)?)/;
const MAX_PENDING = 500; // as the dashboard's reducer

interface BoardInit {
  label: string; // which process it is connected to
  url: string;
}
interface Init {
  boards: BoardInit[];
  cookie: string;
  siteId: string;
}
interface Expectation {
  /** Listed on every watched board for "right enough" (a): the surviving processes' visitors. */
  mustHave: Set<string>;
  /** Never listed for (a): the killed process's visitors whose tabs closed with it. */
  mustNot: Set<string>;
  /** The whole truth for (b). */
  exact: Set<string>;
}
interface Board {
  label: string;
  socket: Socket;
  visitors: Map<string, true>;
  synced: boolean;
  pending: PresenceDiff[];
  samples: { t: number; latency: number; local: boolean | null }[];
  lastStamp: Map<string, string>;
  resyncs: number[];
  snapshots: number[];
  disconnectedAt: number | null;
  /** Since when (wall ms) the expectation's conditions hold, null while they do not. */
  sinceA: number | null;
  sinceB: number | null;
}

let init: Init | null = null;
let expectation: Expectation | null = null;
/** Which process holds each visitor (told by the orchestrator), to tell same-process from cross-process samples. */
let owners = new Map<string, string>();
const boards: Board[] = [];

function check(b: Board): void {
  const e = expectation;
  if (!e) return;
  const now = wall();
  let a = true;
  for (const id of e.mustNot) if (b.visitors.has(id)) a = false;
  if (a) for (const id of e.mustHave) if (!b.visitors.has(id)) a = false;
  let exact = b.visitors.size === e.exact.size;
  if (exact) for (const id of e.exact) if (!b.visitors.has(id)) exact = false;
  b.sinceA = a ? (b.sinceA ?? now) : null;
  b.sinceB = exact ? (b.sinceB ?? now) : null;
}

function apply(b: Board, diff: PresenceDiff): void {
  for (const id of diff.removed) b.visitors.delete(id);
  for (const v of diff.upserts) b.visitors.set(v.id, true);
}

function onDiff(b: Board, diff: PresenceDiff): void {
  const now = wall();
  if (diff.siteId !== init?.siteId) return;
  for (const v of diff.upserts as LiveVisitor[]) {
    const m = STAMP.exec(v.page.url);
    if (!m) continue;
    const stamp = m[1] as string;
    if (b.lastStamp.get(v.id) === stamp) continue;
    b.lastStamp.set(v.id, stamp);
    const t = Number(stamp);
    const owner = owners.get(v.id);
    b.samples.push({ t, latency: now - t, local: owner === undefined ? null : owner === b.label });
  }
  if (!b.synced) {
    b.pending.push(diff);
    if (b.pending.length > MAX_PENDING) b.pending.shift();
    return;
  }
  apply(b, diff);
  check(b);
}

/** site:watch until it answers (the dashboard retries a failed watch after a second). */
async function watch(b: Board): Promise<void> {
  const o = init as Init;
  for (;;) {
    if (!b.socket.connected) return;
    try {
      const res = (await b.socket.timeout(30_000).emitWithAck('site:watch', { siteId: o.siteId })) as { ok: boolean; code?: string; visitors?: LiveVisitor[]; at?: number };
      if (!res.ok) throw new Error(`site:watch refused: ${res.code}`);
      b.visitors = new Map((res.visitors ?? []).map((v) => [v.id, true]));
      for (const d of b.pending) if (d.at > (res.at ?? 0)) apply(b, d);
      b.pending = [];
      b.synced = true;
      b.snapshots.push(wall());
      check(b);
      return;
    } catch (err) {
      // Refused (a process too busy to answer, or stopping) or timed out: retried, as the dashboard does.
      console.error(`[bench cluster dashboards] ${b.label}: ${String(err)}; retrying`);
      await sleep(1000);
    }
  }
}

async function connectBoard(bi: BoardInit): Promise<Board> {
  const o = init as Init;
  const socket = io(`${bi.url}/agent`, {
    transports: ['websocket'],
    extraHeaders: { cookie: o.cookie, origin: bi.url },
    localAddress: '127.0.0.1',
    reconnection: false, // straight to one process: when it dies, so does this dashboard
    forceNew: true,
  } as Parameters<typeof io>[1]);
  const b: Board = { label: bi.label, socket, visitors: new Map(), synced: false, pending: [], samples: [], lastStamp: new Map(), resyncs: [], snapshots: [], disconnectedAt: null, sinceA: null, sinceB: null };
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(new Error(`dashboard on ${bi.label} refused: ${err.message}`)));
  });
  socket.on('disconnect', () => (b.disconnectedAt = wall()));
  socket.on('presence:diff', (d: PresenceDiff) => onDiff(b, d));
  socket.on('presence:resync', () => {
    b.resyncs.push(wall());
    if (b.synced) {
      b.synced = false;
      b.pending = [];
    }
    void watch(b);
  });
  await watch(b);
  return b;
}

serveParent({
  init: (m: IpcRequest) => {
    init = m.init as Init;
    for (const b of init.boards) assertLoopback(b.url);
    return { pid: process.pid };
  },
  connect: async () => {
    for (const bi of (init as Init).boards) boards.push(await connectBoard(bi));
    return boards.map((b) => b.visitors.size);
  },
  /** How many visitors each table lists now. */
  totals: () => boards.map((b) => ({ label: b.label, total: b.visitors.size, connected: b.socket.connected, synced: b.synced })),
  'measure-reset': () => {
    lag.reset();
    for (const b of boards) b.samples = [];
  },
  /** Latency samples whose stamp lies in [from, to), per process (its dashboards) and for all together. */
  measure: (m: IpcRequest) => {
    const from = m.from as number;
    const to = m.to as number;
    const all: number[] = [];
    const local: number[] = [];
    const remote: number[] = [];
    const byLabel = new Map<string, number[]>(); // the dashboards on one process together
    for (const b of boards) {
      const mine = b.samples.filter((s) => s.t >= from && s.t < to);
      const l = mine.map((s) => s.latency);
      all.push(...l);
      for (const s of mine) if (s.local !== null) (s.local ? local : remote).push(s.latency);
      byLabel.set(b.label, [...(byLabel.get(b.label) ?? []), ...l]);
    }
    const perProcess = [...byLabel].map(([label, l]) => ({ label, latency: summarize(l) }));
    return { latency: summarize(all), local: summarize(local), remote: summarize(remote), perProcess, boards: boards.length, lag: lag.stats() };
  },
  owners: (m: IpcRequest) => {
    owners = new Map(Object.entries(m.owners as Record<string, string[]>).flatMap(([label, ids]) => ids.map((id) => [id, label] as [string, string])));
    return owners.size;
  },
  /** From now on, track when each table matches (failover); the sets come as id arrays. */
  expect: (m: IpcRequest) => {
    expectation = { mustHave: new Set(m.mustHave as string[]), mustNot: new Set(m.mustNot as string[]), exact: new Set(m.exact as string[]) };
    for (const b of boards) {
      b.sinceA = b.sinceB = null;
      check(b);
    }
  },
  status: () =>
    boards.map((b) => ({
      label: b.label,
      connected: b.socket.connected,
      disconnectedAt: b.disconnectedAt,
      total: b.visitors.size,
      sinceA: b.sinceA,
      sinceB: b.sinceB,
      resyncs: b.resyncs,
      snapshots: b.snapshots,
    })),
  shutdown: () => setImmediate(() => process.exit(0)),
});
