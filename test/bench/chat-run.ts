// Chat benchmark, one mode (Porchlight, or the bare relay baseline): start the server, connect the
// visitors and agents, send messages both ways at the set rate and collect what each side measured.
import { addressesFor, Child, cpuWindow, foreignCpuWindow, serverCpuWindow, sliceSizes, waitFor } from './bench-proc';
import { openFileLimit, sleep, wall, type GcStats, type LagStats, type Summary } from './bench-shared';
import type { Options } from './chat-options';

interface ConnectResult {
  connected: number;
  retried: number;
  errors: Record<string, number>;
  startedAt: number;
  endedAt: number;
}

interface ServerStats {
  lag: LagStats;
  connected: number;
  agents?: number;
  historyQueue?: number;
  historyIdleMs?: number;
  serverErrors?: Record<string, number>;
  chatServerMs?: { v2a: Summary; a2v: Summary };
  gc?: GcStats;
  stalls?: { at: number; ms: number }[];
}

export interface RunResult {
  sentTotal: number;
  measured: number;
  achievedRate: number;
  v2a: Summary;
  a2v: Summary;
  v2aEveryDashboard: Summary;
  v2aLastDashboard: Summary;
  a2vDashboards: Summary;
  ackVisitor: Summary;
  ackAgent: Summary;
  lost: { v2a: number; a2v: number; dashboardCopies: number; acks: number };
  ackErrors: Record<string, number>;
  misrouted: number;
  unknownReceived: number;
  bytes: { agentAvg: number; visitorAvg: number };
  samples: { at: number; dir: 'v2a' | 'a2v'; recv?: number }[];
  clientLag: LagStats;
  clientGc: GcStats;
  connected: { agents: number; visitors: number };
  disconnects: Record<string, number>;
}

export interface ModeResult {
  mode: 'porchlight' | 'relay';
  db: string;
  connected: number;
  connectRate: number;
  connectErrors: Record<string, number>;
  setupMs: number;
  watched: number[];
  run: RunResult;
  server: ServerStats;
  serverCpuPct: number;
  chatClientCpuPct: number;
  generatorsCpuPct: number;
  foreignCpuPct: number;
  visitorStats: { connected: number; disconnects: Record<string, number> }[];
}

export const log = (msg: string) => console.log(`[bench:chat ${new Date().toISOString().slice(11, 19)}] ${msg}`);

export async function runMode(o: Options, mode: 'porchlight' | 'relay'): Promise<ModeResult> {
  const all: Child[] = [];
  try {
    const env: Record<string, string> =
      mode === 'porchlight'
        ? {
            BENCH_CHAT: '1',
            // The benchmark is not about the rate limits (config.ts): out of the way.
            CHAT_VISITOR_MESSAGES_PER_MINUTE: '100000',
            CHAT_VISITOR_TYPING_PER_MINUTE: '100000',
            CHAT_AGENT_EVENTS_PER_SECOND: '100000',
          }
        : {};
    const server = new Child(`${mode}-server`, 'bench-server.ts', [mode], env);
    all.push(server);
    const ready = (await server.once('ready', 120_000)) as { url: string; cookie?: string; siteId?: string; siteKey?: string; db?: string };
    const serverLimit = openFileLimit(server.pid);
    if (o.visitors + 500 > serverLimit) throw new Error(`the server may open only ${serverLimit} files; ${o.visitors} visitors do not fit`);

    let agentCookies: { cookie: string | null }[];
    if (mode === 'porchlight') {
      const more = await server.request<{ cookie: string }[]>('add-agents', { count: o.agents - 1 }, 60_000);
      agentCookies = [{ cookie: ready.cookie as string }, ...more];
    } else agentCookies = Array.from({ length: o.agents }, () => ({ cookie: null }));

    // 1. the idle visitors, in the generators.
    const idle = o.visitors - o.conversations;
    const slices = sliceSizes(idle, o.generators);
    const gens = slices.map((_, g) => new Child(`${mode}-visitors-${g}`, 'bench-client.ts', ['visitors']));
    all.push(...gens);
    await Promise.all(
      gens.map(async (g, i) => {
        const count = slices[i] as number;
        const { openFiles } = await g.request<{ openFiles: number }>('init', {
          init: { url: ready.url, key: mode === 'porchlight' ? ready.siteKey : null, origin: 'http://bench.example', count, generator: i, localAddresses: addressesFor(o.addresses), concurrency: o.concurrency, connectTimeoutMs: 20_000 },
        }, 60_000);
        if (count + 200 > openFiles) throw new Error(`${g.name} would hold ${count} sockets but may open only ${openFiles} files: use more --generators`);
      }),
    );
    log(`${mode}: connecting ${idle} idle visitors`);
    const startAt = wall() + 300;
    const results = await Promise.all(gens.map((g) => g.request<ConnectResult>('connect', { startAt }, 60_000 + idle * 20)));
    const connectedIdle = results.reduce((a, r) => a + r.connected, 0);
    const connectMs = results.length ? Math.max(...results.map((r) => r.endedAt)) - startAt : 0;
    const connectErrors: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.errors)) connectErrors[k] = (connectErrors[k] ?? 0) + v;
    log(`${mode}: ${connectedIdle} idle visitors connected in ${(connectMs / 1000).toFixed(1)} s`);

    // 2. Porchlight writes the connect burst to the visit history: let it finish first.
    if (mode === 'porchlight') {
      await waitFor('the history writer to catch up', 180_000, async () => {
        const s = await server.request<ServerStats>('stats');
        return s.historyQueue === 0 && (s.historyIdleMs ?? 0) > 1500;
      }, 250);
    }

    // 3. the measuring process: agents, chatting visitors, and one opening exchange per conversation.
    const chat = new Child(`${mode}-chat`, 'bench-chat-client.ts', []);
    all.push(chat);
    await chat.request('init', {
      init: {
        mode,
        url: ready.url,
        key: mode === 'porchlight' ? ready.siteKey : null,
        origin: 'http://bench.example',
        agents: agentCookies,
        conversations: o.conversations,
        watchSiteId: mode === 'porchlight' && o.watch ? ready.siteId : null,
        localAddresses: addressesFor(o.addresses),
      },
    });
    const conn = await chat.request<{ snapshots: number[] }>('connect', {}, 120_000);
    const setup = await chat.request<{ ms: number; messages: number }>('setup', {}, 300_000);
    const stats0 = await server.request<ServerStats>('stats');
    log(`${mode}: ${stats0.connected} visitor sockets on the server; ${o.conversations} conversations opened in ${(setup.ms / 1000).toFixed(1)} s`);
    await sleep(1000);

    // 4. messages at the steady rate: warm-up, then the measured window.
    const runStart = wall() + 500;
    const measureFrom = runStart + o.warmupSeconds * 1000;
    const endAt = measureFrom + o.seconds * 1000;
    const drainMs = 5000;
    const running = chat.request<RunResult>('run', { rate: o.rate, startAt: runStart, measureFrom, endAt, drainMs }, endAt - wall() + drainMs + 60_000);
    await sleep(Math.max(0, measureFrom - wall()));
    await server.request('lag-reset');
    const serverCpu = await serverCpuWindow(server);
    const clientsCpu = cpuWindow([chat.pid, ...gens.map((g) => g.pid)]);
    const foreign = foreignCpuWindow();
    await sleep(Math.max(0, endAt - wall()));
    const serverCpuPct = await serverCpu();
    const [chatClientCpuPct, ...genCpu] = clientsCpu() as [number, ...number[]];
    const foreignCpuPct = foreign();
    const serverStats = await server.request<ServerStats>('stats');
    const run = await running;
    const visitorStats = await Promise.all(gens.map((g) => g.request<{ connected: number; disconnects: Record<string, number> }>('stats')));
    log(`${mode}: visitor->agent p50 ${run.v2a.p50.toFixed(1)} / p99 ${run.v2a.p99.toFixed(1)} ms; agent->visitor p50 ${run.a2v.p50.toFixed(1)} / p99 ${run.a2v.p99.toFixed(1)} ms; ${run.achievedRate.toFixed(1)} msg/s; server CPU ${serverCpuPct.toFixed(1)} %`);
    return {
      mode,
      db: ready.db ?? 'none',
      connected: stats0.connected,
      connectRate: connectMs > 0 ? connectedIdle / (connectMs / 1000) : NaN,
      connectErrors,
      setupMs: setup.ms,
      watched: conn.snapshots,
      run,
      server: serverStats,
      serverCpuPct,
      chatClientCpuPct,
      generatorsCpuPct: genCpu.reduce((a, b) => a + b, 0),
      foreignCpuPct,
      visitorStats,
    };
  } finally {
    // The server first: its side closes the sockets, the clients then exit without a storm of closes.
    for (const c of all) await c.stop();
  }
}
