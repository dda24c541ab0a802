// What a visitor costs in V8 heap, by kind of object: `npm run bench:heap -- [N]` (default 3,000).
// For the Porchlight server (PGlite on disk, as npm start) and for bare socket.io with the same
// engine settings (bench-server.ts baseline), it takes a heap snapshot before and after N visitor
// sockets connect (node's --heapsnapshot-signal), and prints bytes and object counts per visitor
// by node type and constructor, Porchlight beside the baseline, biggest difference first. This
// is how the per-visitor memory of the presence benchmark is explained (README, Benchmarks).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addressesFor, Child, sliceSizes, waitFor } from './bench-proc';
import { sleep, wall } from './bench-shared';

const n = Number(process.argv[2] ?? 3000);
if (!Number.isInteger(n) || n < 100 || n > 20_000) throw new Error(`N must be an integer in [100, 20000], got ${process.argv[2]}`);

type Kinds = Map<string, { count: number; bytes: number }>;

/** Self sizes summed per node type and name (strings, numbers and code pooled by type). */
function kindsOf(file: string): Kinds {
  const s = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [width, iType, iName, iSize] = [fields.length, fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const out: Kinds = new Map();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]!] ?? '?';
    const pooled = type.includes('string') || type === 'number' || type === 'code' || type === 'hidden';
    const kind = pooled ? `(${type})` : `${type}:${(s.strings[s.nodes[i + iName]!] ?? '').slice(0, 60)}`;
    const k = out.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += s.nodes[i + iSize]!;
    out.set(kind, k);
  }
  return out;
}

/** Per visitor: what the heap gained between the two snapshots. */
function perVisitor(before: Kinds, after: Kinds, visitors: number): Map<string, { count: number; bytes: number }> {
  const out = new Map<string, { count: number; bytes: number }>();
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    out.set(kind, { count: (a.count - b.count) / visitors, bytes: (a.bytes - b.bytes) / visitors });
  }
  return out;
}

async function measure(mode: 'porchlight' | 'baseline'): Promise<Map<string, { count: number; bytes: number }>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `porchlight-heap-${mode}-`));
  const all: Child[] = [];
  try {
    const server = new Child(`${mode}-server`, 'bench-server.ts', [mode], { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`, BENCH_PGLITE_DISK: '1' });
    all.push(server);
    const ready = (await server.once('ready', 120_000)) as { url: string; siteKey?: string };
    const slices = sliceSizes(n, 2);
    const gens = slices.map((_, g) => new Child(`${mode}-visitors-${g}`, 'bench-client.ts', ['visitors']));
    all.push(...gens);
    await Promise.all(
      gens.map((g, i) =>
        g.request('init', { init: { url: ready.url, key: ready.siteKey ?? null, origin: 'http://bench.example', count: slices[i], generator: i, localAddresses: addressesFor(16), concurrency: 100, connectTimeoutMs: 20_000 } }, 60_000),
      ),
    );
    const snapshot = async (): Promise<string> => {
      await server.request('gc');
      const before = readdirSync(dir).length;
      process.kill(server.pid, 'SIGUSR2');
      await waitFor('the heap snapshot', 180_000, async () => readdirSync(dir).length > before, 500);
      const file = path.join(dir, readdirSync(dir).sort().at(-1) as string);
      // Written in pieces: done once its size stops changing.
      let size = -1;
      await waitFor('the snapshot to be written', 180_000, async () => {
        const now = readFileSync(file).length;
        const done = now === size && now > 0;
        size = now;
        return done;
      }, 1000);
      return file;
    };
    await sleep(3000);
    const first = await snapshot();
    const startAt = wall() + 300;
    await Promise.all(gens.map((g) => g.request('connect', { startAt }, 120_000 + n * 20)));
    await sleep(10_000); // the history writer has written the connect burst
    const second = await snapshot();
    return perVisitor(kindsOf(first), kindsOf(second), n);
  } finally {
    for (const c of all) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const porchlight = await measure('porchlight');
const baseline = await measure('baseline');
const total = (m: Map<string, { bytes: number }>) => [...m.values()].reduce((a, k) => a + k.bytes, 0);
console.log(`\nHeap per visitor at N=${n}: Porchlight ${(total(porchlight) / 1024).toFixed(2)} KB, bare socket.io ${(total(baseline) / 1024).toFixed(2)} KB (${(total(porchlight) / total(baseline)).toFixed(2)}x)\n`);
console.log('| kind | Porchlight B (objects) | bare socket.io B (objects) | difference B |\n| --- | ---: | ---: | ---: |');
const kinds = [...new Set([...porchlight.keys(), ...baseline.keys()])];
const diff = (k: string) => (porchlight.get(k)?.bytes ?? 0) - (baseline.get(k)?.bytes ?? 0);
for (const k of kinds.sort((a, b) => Math.abs(diff(b)) - Math.abs(diff(a))).slice(0, 25)) {
  const p = porchlight.get(k) ?? { count: 0, bytes: 0 };
  const b = baseline.get(k) ?? { count: 0, bytes: 0 };
  console.log(`| ${k} | ${p.bytes.toFixed(0)} (${p.count.toFixed(2)}) | ${b.bytes.toFixed(0)} (${b.count.toFixed(2)}) | ${diff(k).toFixed(0)} |`);
}
process.exit(0);
