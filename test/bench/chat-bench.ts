// Chat benchmark: `npm run bench:chat` (options: `npm run bench:chat -- --help`).
//
// One run measures, one after the other, on loopback only:
//   1. Porchlight: the real server (bench-server.ts porchlight: startPorchlight, in-memory PGlite,
//      or a fresh PostgreSQL database when DATABASE_URL is set; chat rate limits raised), N visitors
//      connected (N - C idle ones in visitor generator processes, bench-client.ts visitors), and C
//      conversations between C visitors and A agent dashboards held in one measuring process
//      (bench-chat-client.ts), messages at a steady total rate alternating directions;
//   2. the baseline: a bare socket.io relay (bench-server.ts relay: the same engine options, the
//      same fan-out, nothing stored) with the same N sockets and the same messages at the same rate.
// Latency = from just before the sender emits `chat:send` to the other side's `chat:message`,
// both read from performance.now() in the measuring process; ack = from the same moment to the
// sender's ack (Porchlight acks once the message is stored and committed).
// Prints a Markdown table and writes it, with the machine and the method, to
// test/bench/results/chat-latest.md (and .json).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressesFor, Child, cpuWindow, foreignCpuWindow, killAll, machine, serverCpuWindow, sliceSizes, waitFor } from './bench-proc';
import { openFileLimit, sleep, wall, type GcStats, type LagStats, type Summary } from './bench-shared';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// ---------------------------------------------------------------------------------------------
// options

interface Options {
  visitors: number;
  conversations: number;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  agents: number;
  generators: number;
  concurrency: number;
  addresses: number;
  watch: boolean;
  baseline: boolean;
  maxMinutes: number;
  out: string;
}

const HELP = `Usage: npm run bench:chat -- [options]
  --visitors 10000        visitors connected to the server, the chatting ones included
  --conversations 200     active conversations (one chatting visitor each)
  --rate 50               messages per second in total, alternating visitor->agent / agent->visitor
  --seconds 30            measured window
  --warmup-seconds 5      messages at the same rate before the measured window
  --agents 3              agent dashboards (3 accounts of the site's workspace); conversation i is
                          answered by agent i mod agents, and every dashboard receives every message
  --generators 2          processes holding the idle visitors
  --concurrency 100       handshakes in flight per generator while connecting
  --addresses 16          source addresses 127.0.0.1..127.0.0.<n> for visitor sockets
  --no-watch              dashboards do not watch the site's live table (default: they do, as the dashboard does)
  --no-baseline           skip the bare socket.io relay
  --max-minutes 15        hard stop for the whole run
  --out test/bench/results/chat-latest.md
Environment: DATABASE_URL (a fresh PostgreSQL database instead of in-memory PGlite).`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    visitors: 10_000,
    conversations: 200,
    rate: 50,
    seconds: 30,
    warmupSeconds: 5,
    agents: 3,
    generators: 2,
    concurrency: 100,
    addresses: 16,
    watch: true,
    baseline: true,
    maxMinutes: 15,
    out: path.join(here, 'results', 'chat-latest.md'),
  };
  const num = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(String(v).replace(/_/g, ''));
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        console.log(HELP);
        process.exit(0);
        break;
      case '--visitors':
        o.visitors = num('visitors', val(), 1, 19_000);
        break;
      case '--conversations':
        o.conversations = num('conversations', val(), 1, 2000);
        break;
      case '--rate':
        o.rate = num('rate', val(), 0.1, 2000);
        break;
      case '--seconds':
        o.seconds = num('seconds', val(), 1, 600);
        break;
      case '--warmup-seconds':
        o.warmupSeconds = num('warmup-seconds', val(), 0, 120);
        break;
      case '--agents':
        o.agents = num('agents', val(), 1, 50);
        break;
      case '--generators':
        o.generators = num('generators', val(), 1, 4);
        break;
      case '--concurrency':
        o.concurrency = num('concurrency', val(), 1, 2000);
        break;
      case '--addresses':
        o.addresses = num('addresses', val(), 1, 250);
        break;
      case '--no-watch':
        o.watch = false;
        break;
      case '--no-baseline':
        o.baseline = false;
        break;
      case '--max-minutes':
        o.maxMinutes = num('max-minutes', val(), 1, 120);
        break;
      case '--out':
        o.out = path.resolve(String(val()));
        break;
      default:
        throw new Error(`unknown option ${a}\n${HELP}`);
    }
  }
  if (o.conversations > o.visitors) throw new Error('--conversations cannot exceed --visitors');
  return o;
}

// ---------------------------------------------------------------------------------------------
// measurement

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

interface RunResult {
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

interface ModeResult {
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

const log = (msg: string) => console.log(`[bench:chat ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function runMode(o: Options, mode: 'porchlight' | 'relay'): Promise<ModeResult> {
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

// ---------------------------------------------------------------------------------------------
// report

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

interface Report {
  p?: ModeResult;
  b?: ModeResult;
  errors: string[];
}

/** Slow messages (over 50 ms), and how many of them were in flight while the server's event loop stalled. */
function slowExplained(x: ModeResult): string {
  const stalls = x.server.stalls ?? [];
  const slow = x.run.samples.filter((s) => s.recv === undefined || s.recv > 50);
  const during = slow.filter((s) => stalls.some((st) => st.at <= s.at + (s.recv ?? 5000) && st.at + st.ms >= s.at)).length;
  return `${slow.length} (${during})`;
}

function render(o: Options, r: Report, startedAt: Date, finished: boolean): string {
  const m = machine();
  const { p, b } = r;
  const db = p?.db ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite');
  const dbLabel = db === 'postgres' ? 'PostgreSQL (DATABASE_URL, a fresh database for the run)' : 'PGlite in memory, on its own thread in the server process';
  const lines: string[] = [];
  lines.push('# Chat benchmark');
  lines.push('');
  lines.push(`Run ${startedAt.toISOString()}${finished ? '' : ' (incomplete: stopped early)'} on ${m.nproc} cores (${m.cpu}), ${m.memGiB.toFixed(0)} GiB, ${m.kernel}, Node ${m.node}; open-file limit ${m.openFiles}.`);
  lines.push(
    `Database: ${dbLabel}. ${int(o.visitors)} visitors connected to one process, ${int(o.conversations)} of them chatting with ${o.agents} agent dashboards` +
      ` (${o.watch ? 'which also watch the live table' : 'not watching the live table'}); ${o.rate} messages/s in total, alternating directions; ${o.seconds} s measured after ${o.warmupSeconds} s of warm-up.`,
  );
  lines.push('');
  const row = (label: string, a?: Summary, c?: Summary) =>
    `| ${label} | ${f(a?.p50)} | ${f(a?.p95)} | ${f(a?.p99)} | ${f(a?.max)} | ${a ? int(a.count) : 'n/a'} | ${f(c?.p50)} | ${f(c?.p95)} | ${f(c?.p99)} | ${f(c?.max)} |`;
  lines.push('| measured (ms) | Porchlight p50 | p95 | p99 | max | samples | bare socket.io relay p50 | p95 | p99 | max |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  lines.push(row("visitor sends → the conversation's agent receives", p?.run.v2a, b?.run.v2a));
  lines.push(row('agent sends → the visitor receives', p?.run.a2v, b?.run.a2v));
  lines.push(row('visitor sends → ack (stored, committed)', p?.run.ackVisitor, b?.run.ackVisitor));
  lines.push(row('agent sends → ack (stored, committed)', p?.run.ackAgent, b?.run.ackAgent));
  lines.push(row(`visitor sends → the last of the ${o.agents} dashboards receives`, p?.run.v2aLastDashboard, b?.run.v2aLastDashboard));
  lines.push(row(`agent sends → each dashboard's copy (${o.agents} per message)`, p?.run.a2vDashboards, b?.run.a2vDashboards));
  lines.push('');
  if (p) {
    const worst = Math.max(p.run.v2a.p99, p.run.a2v.p99);
    lines.push(
      `Target p99 under 50 ms, both directions: visitor → agent ${f(p.run.v2a.p99)} ms, agent → visitor ${f(p.run.a2v.p99)} ms: **${worst < 50 ? 'met' : 'NOT met'}**` +
        (b ? ` (bare socket.io relay: ${f(b.run.v2a.p99)} / ${f(b.run.a2v.p99)} ms).` : '.'),
    );
    lines.push('');
  }
  lines.push('Details (Porchlight; the bare relay in parentheses):');
  lines.push('');
  const both = (g: (x: ModeResult) => string) => `${p ? g(p) : 'n/a'} (${b ? g(b) : 'n/a'})`;
  const issues = (x: ModeResult) => {
    const list = [
      ...Object.entries(x.server.serverErrors ?? {}).map(([k, c]) => `${c} server log "${k.replace(/\|/g, '/')}"`),
      ...Object.entries(x.run.ackErrors).map(([k, c]) => `${c} ack ${k}`),
      ...Object.entries(x.run.disconnects).map(([k, c]) => `${c} ${k}`),
      ...Object.entries(x.connectErrors).map(([k, c]) => `${c} connect ${k}`),
      ...x.visitorStats.flatMap((v) => Object.entries(v.disconnects).map(([k, c]) => `${c} idle ${k}`)),
      ...(x.run.lost.v2a + x.run.lost.a2v ? [`${x.run.lost.v2a} + ${x.run.lost.a2v} not received (v→a + a→v)`] : []),
      ...(x.run.lost.dashboardCopies ? [`${x.run.lost.dashboardCopies} dashboard copies missing`] : []),
      ...(x.run.lost.acks ? [`${x.run.lost.acks} acks missing`] : []),
      ...(x.run.misrouted ? [`${x.run.misrouted} delivered to the wrong visitor`] : []),
      ...(x.run.unknownReceived ? [`${x.run.unknownReceived} unknown messages received`] : []),
    ];
    return list.join(', ') || 'none';
  };
  lines.push('| | |');
  lines.push('| --- | --- |');
  lines.push(`| visitor sockets on the server during the run | ${both((x) => int(x.connected))} |`);
  lines.push(`| idle visitors connected at (per s) | ${both((x) => int(x.connectRate))} |`);
  lines.push(`| messages measured (achieved rate /s) | ${both((x) => `${int(x.run.measured)} (${f(x.run.achievedRate)})`)} |`);
  lines.push(`| server time per chat:send, v→a / a→v, p50 / p99 ms | ${both((x) => `${f(x.server.chatServerMs?.v2a.p50, 2)} / ${f(x.server.chatServerMs?.v2a.p99, 2)}, ${f(x.server.chatServerMs?.a2v.p50, 2)} / ${f(x.server.chatServerMs?.a2v.p99, 2)}`)} |`);
  lines.push(`| server CPU % of one core (measured window) | ${both((x) => f(x.serverCpuPct))} |`);
  lines.push(`| server event-loop delay p99 / max ms | ${both((x) => `${f(x.server.lag.p99)} / ${f(x.server.lag.max)}`)} |`);
  const gcText = (g?: GcStats) => (g ? `${g.count} pauses, ${f(g.totalMs, 0)} ms in all, longest ${f(g.maxMs)} ms; major ${g.majorCount}, longest ${f(g.majorMaxMs)} ms` : 'n/a');
  lines.push(`| server GC during the window | ${both((x) => gcText(x.server.gc))} |`);
  lines.push(`| server event-loop stalls ≥ 40 ms (count, longest ms) | ${both((x) => `${x.server.stalls?.length ?? 'n/a'}, ${f(Math.max(0, ...(x.server.stalls ?? []).map((st) => st.ms)), 0)}`)} |`);
  lines.push(`| messages over 50 ms: how many, and how many of them in flight during a server stall ≥ 40 ms | ${both((x) => slowExplained(x))} |`);
  lines.push(`| measuring process: CPU % / event-loop delay p99, max ms | ${both((x) => `${f(x.chatClientCpuPct)} / ${f(x.run.clientLag.p99)}, ${f(x.run.clientLag.max)}`)} |`);
  lines.push(`| measuring process GC | ${both((x) => gcText(x.run.clientGc))} |`);
  lines.push(`| generators CPU % (idle visitors) | ${both((x) => f(x.generatorsCpuPct))} |`);
  lines.push(`| CPU % of other processes on the machine | ${both((x) => f(x.foreignCpuPct))} |`);
  lines.push(`| bytes per chat:message packet, at a dashboard / at a visitor | ${both((x) => `${int(x.run.bytes.agentAvg)} / ${int(x.run.bytes.visitorAvg)}`)} |`);
  lines.push(`| visitor → every dashboard, p50 / p99 ms | ${both((x) => `${f(x.run.v2aEveryDashboard.p50)} / ${f(x.run.v2aEveryDashboard.p99)}`)} |`);
  lines.push(`| opening ${int(o.conversations)} conversations (setup, not measured) s | ${both((x) => f(x.setupMs / 1000))} |`);
  if (p?.watched.length) lines.push(`| live-table snapshot rows per dashboard at site:watch | ${p.watched.map(int).join(', ')} |`);
  lines.push(`| errors, losses, disconnects | ${both(issues)} |`);
  for (const e of r.errors) lines.push(`\nError: ${e.split('\n')[0]}`);
  lines.push('');
  lines.push('## Method');
  lines.push('');
  lines.push(
    [
      `\`npm run bench:chat\` (test/bench/chat-bench.ts) runs every process on 127.0.0.1 only: first Porchlight, then the baseline, in the same run.`,
      `**Porchlight**: the real server (startPorchlight, \`HOST=127.0.0.1\`, \`NODE_ENV=production\`, ${db === 'postgres' ? 'a fresh PostgreSQL database' : 'in-memory PGlite'},`,
      `chat rate limits raised to 100,000 (CHAT_VISITOR_MESSAGES_PER_MINUTE, CHAT_AGENT_EVENTS_PER_SECOND: the benchmark is not about them)) in its own process;`,
      `${o.agents} accounts are signed up through better-auth's HTTP endpoint, the first owns the site and the others are agents of its workspace.`,
      `${o.generators} generator processes open ${int(o.visitors - o.conversations)} idle visitor sockets (socket.io-client, websocket, the snippet's handshake with the site key`,
      `in the query and Origin http://bench.example); once the server has written their visits to the history, one measuring process opens the ${o.agents} dashboard`,
      `sockets (session cookie${o.watch ? '; each also `site:watch`es the live table, which shows every visitor and their chat state, as the dashboard does' : ''}) and ${int(o.conversations)} more visitor sockets (the same`,
      `handshake; each receives its \`visitor:token\`), so the server holds ${int(o.visitors)} visitors. Each chatting visitor opens its conversation (its first message, not`,
      `measured), and agent i mod ${o.agents} answers it first (which assigns it). Then messages go out at ${o.rate}/s in total for ${o.warmupSeconds} s of warm-up and ${o.seconds} s`,
      `measured: message k goes to conversation order[k mod ${o.conversations}] (a fixed shuffle) in round floor(k / ${o.conversations}), and rounds alternate between visitor → agent`,
      `(\`chat:send\` on the visitor's socket) and agent → visitor (\`chat:send\` with the conversation id on its agent's socket), so every conversation is active and`,
      `alternates too (one message every ${f(o.conversations / o.rate)} s per conversation). Texts are 5-120 characters. **Latency** is taken in the measuring process, which holds`,
      `the senders and the receivers, from performance.now() just before the emit to the \`chat:message\` handler on the other side (the conversation's agent for`,
      `visitor → agent, the visitor's socket for agent → visitor); **ack** is from the same moment to the sender's ack callback (Porchlight acknowledges after the`,
      `message is stored and committed, and it fans the message out before acknowledging). Every dashboard of the workspace receives every message; their copies are`,
      `reported too. Percentiles are nearest-rank over the messages sent in the measured window; a message not received within 5 s after the window counts as lost.`,
      `"Server time" is measured inside the server process (no server code changed: the bench entry adds an \`onAny\` listener, which socket.io calls right before`,
      `the handlers, and subscribes to the domain's \`chat:message-sent\`, published once the message is committed, after the fan-out subscriber has emitted it).`,
      `**Baseline**: a bare socket.io server (the same engine options as server/socket-server.ts: pingInterval 25 s, pingTimeout 20 s, maxHttpBufferSize 64 KB, CORS) whose`,
      `/visitor namespace accepts every connection; a chatting visitor's socket joins its room, the dashboards' sockets join one room, and \`chat:send\` is relayed`,
      `with the same fan-out as Porchlight's (a visitor's message to every dashboard, an agent's message to the visitor's room and every dashboard) as a message`,
      `object of the same shape (without Porchlight's conversation summary) and acknowledged, with nothing stored and no checks. The same generators hold the same`,
      `${int(o.visitors - o.conversations)} idle sockets, the same measuring process sends the same texts at the same rate in the same order, measured the same way.`,
      `2 cores are shared by the server and the client processes; their CPU, and the CPU of processes outside the benchmark (/proc/stat), are reported.`,
    ].join('\n'),
  );
  lines.push('');
  return lines.join('\n');
}

function save(o: Options, r: Report, startedAt: Date, finished: boolean): string {
  const md = render(o, r, startedAt, finished);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  // Every measured message on one line: "<sent at, ms after the window start> <direction> <conversation> <latency> <ack> <dashboard copies>".
  const compact = (x?: ModeResult) => {
    if (!x) return x;
    const start = x.run.samples[0]?.at ?? 0;
    const ms = (v?: number) => (v === undefined ? '-' : v.toFixed(1));
    const samples = (x.run.samples as (RunResult['samples'][number] & { conv?: number; ack?: number; dash?: number[] })[]).map(
      (q) => `${q.at - start} ${q.dir} ${q.conv ?? '-'} ${ms(q.recv)} ${ms(q.ack)} ${(q.dash ?? []).map((d) => d.toFixed(1)).join(',') || '-'}`,
    );
    return { ...x, run: { ...x.run, samplesStart: start, samplesFormat: 'sentAt-samplesStart(ms) dir conversation latencyMs ackMs dashboardCopiesMs', samples } };
  };
  writeFileSync(o.out.replace(/\.md$/, '') + '.json', JSON.stringify({ startedAt, finished, options: o, machine: machine(), ...r, p: compact(r.p), b: compact(r.b) }, null, 2));
  return md;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const report: Report = { errors: [] };
  const deadline = setTimeout(() => {
    console.error(`[bench:chat] hard stop after ${o.maxMinutes} minutes`);
    save(o, report, startedAt, false);
    killAll();
    process.exit(1);
  }, o.maxMinutes * 60_000);
  deadline.unref();

  log(`${o.visitors} visitors, ${o.conversations} conversations, ${o.rate} msg/s, ${o.seconds} s; ${o.agents} agents; results -> ${path.relative(root, o.out)}`);
  for (const mode of ['porchlight', 'relay'] as const) {
    if (mode === 'relay' && !o.baseline) continue;
    try {
      const r = await runMode(o, mode);
      if (mode === 'porchlight') report.p = r;
      else report.b = r;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      report.errors.push(`${mode}: ${msg}`);
      log(`${mode} failed: ${msg}`);
      killAll();
      await sleep(1000);
    }
    save(o, report, startedAt, false);
  }
  const md = save(o, report, startedAt, true);
  console.log('\n' + md);
  clearTimeout(deadline);
  process.exit(report.errors.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error('[bench:chat] failed', err);
  killAll();
  process.exit(1);
});
