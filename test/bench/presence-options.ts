// Presence benchmark options: `npm run bench -- --help`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eachFlag, numberFlag } from './bench-shared';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Options {
  sizes: number[];
  rate: number;
  dashboards: number;
  generators: number;
  concurrency: number;
  addresses: number;
  idleSeconds: number;
  emptySeconds: number;
  settleRounds: number;
  afterRounds: number;
  warmupSeconds: number;
  loadSeconds: number;
  baseline: boolean;
  pgliteDisk: boolean;
  maxMinutes: number;
  out: string;
}

const HELP = `Usage: npm run bench -- [options]
  --sizes 1000,5000,10000,15000   visitor counts to run (each N gets a fresh server)
  --rate 200                      total page changes per second during the load phase
  --dashboards 3                  agent dashboards watching the site
  --generators 2                  visitor generator processes
  --concurrency 100               handshakes in flight per generator while connecting
  --addresses 16                  source addresses 127.0.0.1..127.0.0.<n> for visitor sockets
  --idle-seconds 25               idle (heartbeat only) CPU window; 25 s = one pingInterval
  --empty-seconds 4               idle CPU window before any visitor connects
  --settle-rounds 20              GC + RSS rounds (1 s apart) before the 'before' memory reading
  --after-rounds 6                the same after the visitors connected and the idle window
  --warmup-seconds 3              page changes before the measured window
  --load-seconds 15               measured page-change window
  --no-baseline                   skip the bare socket.io baseline
  --pglite-disk                   PGlite with its files in a temporary folder (as npm start) instead of in memory
  --max-minutes 20                hard stop for the whole run
  --out test/bench/results/presence-latest.md
Environment: DATABASE_URL (PostgreSQL instead of in-memory PGlite), PRESENCE_FLUSH_MS.`;

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: [1000, 5000, 10000, 15000],
    rate: 200,
    dashboards: 3,
    generators: 2,
    concurrency: 100,
    addresses: 16,
    idleSeconds: 25,
    emptySeconds: 4,
    settleRounds: 20,
    afterRounds: 6,
    warmupSeconds: 3,
    loadSeconds: 15,
    baseline: true,
    pgliteDisk: false,
    maxMinutes: 20,
    out: path.join(here, 'results', 'presence-latest.md'),
  };
  const num = numberFlag;
  eachFlag(argv, (flag, val, a) => {
    switch (flag) {
      case '--help':
      case '-h':
        console.log(HELP);
        process.exit(0);
        break;
      case '--sizes':
        o.sizes = String(val())
          .split(',')
          .map((s) => num('sizes', s.trim().replace(/_/g, ''), 1, 19_000));
        break;
      case '--rate':
        o.rate = num('rate', val(), 1, 5000);
        break;
      case '--dashboards':
        o.dashboards = num('dashboards', val(), 1, 50);
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
      case '--idle-seconds':
        o.idleSeconds = num('idle-seconds', val(), 1, 120);
        break;
      case '--empty-seconds':
        o.emptySeconds = num('empty-seconds', val(), 1, 120);
        break;
      case '--settle-rounds':
        o.settleRounds = num('settle-rounds', val(), 4, 120);
        break;
      case '--after-rounds':
        o.afterRounds = num('after-rounds', val(), 4, 120);
        break;
      case '--warmup-seconds':
        o.warmupSeconds = num('warmup-seconds', val(), 0, 60);
        break;
      case '--load-seconds':
        o.loadSeconds = num('load-seconds', val(), 1, 300);
        break;
      case '--no-baseline':
        o.baseline = false;
        break;
      case '--pglite-disk':
        o.pgliteDisk = true;
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
  });
  return o;
}
