// Chat benchmark report: the Markdown table with the machine and the method, and the JSON beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine } from './bench-proc';
import type { GcStats, Summary } from './bench-shared';
import type { Options } from './chat-options';
import type { ModeResult, RunResult } from './chat-run';

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

export interface Report {
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

export function save(o: Options, r: Report, startedAt: Date, finished: boolean): string {
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
