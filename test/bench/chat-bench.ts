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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './bench-proc';
import { sleep } from './bench-shared';
import { parseArgs } from './chat-options';
import { save, type Report } from './chat-report';
import { log, runMode } from './chat-run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
