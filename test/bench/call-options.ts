// Call benchmark options (`npm run bench:calls -- --help`) and the check that the build it runs is current.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { newestMtime } from '../../server/build-freshness';
import { root } from '../support/server';

export const HELP = `Usage: npm run bench:calls -- [options]
  --calls 20          calls to run (the issue asks for at least 20)
  --gap-ms 300        pause between one call's end and the next click
  --timeout-ms 15000  how long to wait for each step before counting the call as failed
  --out test/bench/results/calls   results file stem (.md and .json are written)
  --allow-stale       run even if the build is older than app/ or embed-snippet/src
  --no-resume         skip the navigation step (the visitor moving to another page mid-call)
  --resume-settle-ms 500  how long the call runs (both sides in-call) before the visitor clicks the link
Needs a build: run \`npm run build\` first (the benchmark starts the server with SKIP_BUILD).`;

export interface Options {
  calls: number;
  gapMs: number;
  timeoutMs: number;
  out: string;
  allowStale: boolean;
  resume: boolean;
  resumeSettleMs: number;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { calls: 20, gapMs: 300, timeoutMs: 15_000, out: path.join(root, 'test/bench/results/calls'), allowStale: false, resume: true, resumeSettleMs: 500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--calls') o.calls = Math.max(1, Math.floor(num()));
    else if (a === '--gap-ms') o.gapMs = num();
    else if (a === '--timeout-ms') o.timeoutMs = num();
    else if (a === '--out') o.out = path.resolve(argv[++i] ?? '');
    else if (a === '--allow-stale') o.allowStale = true;
    else if (a === '--no-resume') o.resume = false;
    else if (a === '--resume-settle-ms') o.resumeSettleMs = num();
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}

export function checkBuild(allowStale: boolean): void {
  const nextStamp = path.join(root, '.next', 'BUILD_ID');
  const snippetDir = path.join(root, 'embed-snippet', 'dist');
  const missing = [nextStamp, path.join(snippetDir, 'embed.js'), path.join(snippetDir, 'call.js')].filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(
      `The call benchmark runs the built product (the server starts with SKIP_BUILD), and the build is missing:\n` +
        missing.map((f) => `  ${path.relative(root, f)}`).join('\n') +
        `\nRun \`npm run build\` first, then \`npm run bench:calls\`.`,
    );
    process.exit(2);
  }
  const stale: string[] = [];
  if (statSync(nextStamp).mtimeMs < newestMtime(path.join(root, 'app'))) stale.push('.next is older than app/');
  if (statSync(path.join(snippetDir, 'call.js')).mtimeMs < newestMtime(path.join(root, 'embed-snippet', 'src'))) stale.push('embed-snippet/dist is older than embed-snippet/src');
  if (stale.length) {
    const msg = `The build looks stale (${stale.join('; ')}): run \`npm run build\` to measure the current code`;
    if (!allowStale) {
      console.error(`${msg}, or pass --allow-stale.`);
      process.exit(2);
    }
    console.warn(`WARNING: ${msg}.`);
  }
}
