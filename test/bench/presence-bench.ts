// Presence benchmark: `npm run bench` (options: `npm run bench -- --help`).
//
// For each N (default 1,000 / 5,000 / 10,000 / 15,000 visitors) it starts, as separate processes
// on loopback only:
//   - the Porchlight server (bench-server.ts porchlight: startPorchlight, in-memory PGlite or a
//     fresh PostgreSQL database when DATABASE_URL is set, default PRESENCE_FLUSH_MS),
//   - a dashboards process (bench-client.ts dashboards: a few agents watching the site),
//   - visitor generators (bench-client.ts visitors: real socket.io-client sockets, websocket
//     transport, source addresses spread over 127.0.0.1..127.0.0.x),
// connects N visitors, measures memory and idle CPU, then drives page changes at a steady rate and
// measures page-change -> dashboard latency. Then it holds N connections on a bare socket.io
// server (bench-server.ts baseline) as the baseline. Prints a Markdown table and writes it, with
// the machine and the method, to test/bench/results/presence-latest.md (and .json).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './bench-proc';
import { sleep } from './bench-shared';
import { parseArgs } from './presence-options';
import { log } from './presence-phases';
import { save, type Row } from './presence-report';
import { runBaseline, runPorchlight } from './presence-run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const rows: Row[] = [];
  const deadline = setTimeout(() => {
    console.error(`[bench] hard stop after ${o.maxMinutes} minutes`);
    save(o, rows, startedAt, false);
    killAll();
    process.exit(1);
  }, o.maxMinutes * 60_000);
  deadline.unref();

  log(`sizes ${o.sizes.join(', ')}; rate ${o.rate}/s; ${o.dashboards} dashboards; ${o.generators} generators; results -> ${path.relative(root, o.out)}`);
  for (const n of o.sizes) {
    const row: Row = { n };
    rows.push(row);
    try {
      row.p = await runPorchlight(o, n);
      if (o.baseline) row.b = await runBaseline(o, n);
    } catch (err) {
      row.error = err instanceof Error ? err.message : String(err);
      log(`N=${n} failed: ${row.error}`);
      killAll();
      await sleep(1000);
    }
    save(o, rows, startedAt, false);
  }
  const md = save(o, rows, startedAt, true);
  console.log('\n' + md);
  clearTimeout(deadline);
  process.exit(rows.some((r) => r.error) ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error('[bench] failed', err);
  killAll();
  process.exit(1);
});
