// Chat benchmark options: `npm run bench:chat -- --help`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eachFlag, numberFlag } from './bench-shared';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Options {
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

export function parseArgs(argv: string[]): Options {
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
  const num = numberFlag;
  eachFlag(argv, (flag, val, a) => {
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
  });
  if (o.conversations > o.visitors) throw new Error('--conversations cannot exceed --visitors');
  return o;
}
