// Builds the embed snippet with esbuild into embed-snippet/dist, which the server serves:
//   dist/embed.js   -> /embed.js, the always-loaded part (budget: 16 KB gzipped, socket.io included)
//   dist/<name>.js  -> /embed/<name>.js, one per src/parts/<name>.ts, loaded on demand (call, chat UI)
// `npm run build:snippet` runs this file; tests import buildSnippet().
import { build, type Metafile, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SNIPPET_DIST = path.join(here, 'dist');

/**
 * engine.io-client's transport table lists WebTransport next to WebSocket and polling, so the
 * WebTransport class (and the stream codecs it needs) lands in every bundle even though the
 * snippet never asks for it: about 0.9 KB gzipped, 6% of the budget. This drops that entry.
 * If a future engine.io-client changes the file, the build warns and keeps it unchanged (the
 * size test then says whether the budget still holds).
 */
const withoutWebTransport: Plugin = {
  name: 'without-webtransport',
  setup(b) {
    b.onLoad({ filter: /[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/^import \{ WT \} from "\.\/webtransport\.js";\n/m, '').replace(/^\s*webtransport: WT,\n/m, '');
      if (contents.includes('WT')) return { contents: source, warnings: [{ text: 'engine.io-client transports changed: WebTransport left in the snippet' }] };
      return { contents };
    });
  },
};

export async function buildSnippet(o: { outdir?: string } = {}): Promise<{ files: string[]; metafile: Metafile }> {
  const outdir = o.outdir ?? SNIPPET_DIST;
  const partsDir = path.join(here, 'src', 'parts');
  const parts = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => /^[a-z0-9-]+\.ts$/.test(f) && f !== 'embed.ts').map((f) => f.slice(0, -3)) : [];
  // A stale part must not stay servable after its source is gone.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { embed: path.join(here, 'src', 'embed.ts'), ...Object.fromEntries(parts.map((p) => [p, path.join(partsDir, `${p}.ts`)])) },
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers of the last five years; avoids down-levelling ?. and ?? in socket.io-client.
    target: ['es2020'],
    platform: 'browser',
    // The core loads only the parts that exist (see src/parts.ts).
    define: { PORCHLIGHT_PARTS: JSON.stringify(parts) },
    drop: ['debugger'],
    plugins: [withoutWebTransport],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return { files: Object.keys(result.metafile.outputs).map((f) => path.resolve(f)), metafile: result.metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSnippet();
}
