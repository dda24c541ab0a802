// Builds the embed snippet with esbuild into embed-snippet/dist, which the server serves:
//   dist/embed.js   -> /embed.js, the always-loaded part (budget: 16 KB gzipped, socket.io included)
//   dist/<name>.js  -> /embed/<name>.js, one per src/parts/<name>.ts, loaded on demand (call, chat UI)
// `npm run build:snippet` runs this file; tests import buildSnippet().
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
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

/**
 * socket.io-client's Manager imports socket.io-parser as a namespace (`import * as parser`) for
 * its default encoder. The snippet passes its own (src/connection.ts: no JSON.stringify, which
 * host pages break), so the default is dropped: the encoder, its binary support and esbuild's
 * namespace helper leave the bundle. That helper (`for (var key in exports)`) also threw at load
 * on pages that add an enumerable property to Object.prototype.
 */
const withoutDefaultParser: Plugin = {
  name: 'without-default-parser',
  setup(b) {
    b.onLoad({ filter: /[\\/]socket\.io-client[\\/]build[\\/]esm[\\/]manager\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace('import * as parser from "socket.io-parser";', '// The snippet always passes opts.parser (build.ts).\nconst parser = null;');
      if (contents === source) return { contents, warnings: [{ text: 'socket.io-client manager changed: its default parser is left in the snippet' }] };
      return { contents };
    });
  },
};

/**
 * engine.io-parser carries its own base64 decoder (a lookup table and a loop) for binary packets
 * over long-polling. The server never sends the snippet binary, and the browser decodes base64
 * itself: the same function on atob, about 0.15 KB gzipped lighter, paid to the site's widget
 * look (colour, side, offset, launcher text) in src/chat-core.ts. Warns, unchanged, if the file moves on.
 */
const platformBase64: Plugin = {
  name: 'platform-base64',
  setup(b) {
    b.onLoad({ filter: /[\\/]engine\.io-parser[\\/]build[\\/]esm[\\/]contrib[\\/]base64-arraybuffer\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/export const decode = \(base64\)/.test(source)) return { contents: source, warnings: [{ text: 'engine.io-parser base64 decoder changed: left in the snippet' }] };
      return { contents: 'export const decode = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;' };
    });
  },
};

/**
 * What simple-peer (in the call part) expects from Node, for the parts' bundle only, so
 * embed.js stays exactly as it was:
 * - `process`: readable-stream calls process.nextTick (hang-up fails without it). Injected as a
 *   module-local binding inside the bundle, never a global of the host page.
 * - `debug`: simple-peer's logger writes to the page's console when a page sets
 *   localStorage.debug; replaced by a no-op (and 2 KB lighter).
 * - `util-deprecate`: console.warn on deprecated stream calls; a pass-through.
 * - simple-peer's own console.warn ("Ignoring unsupported ICE candidate") and the events
 *   package's (more than 10 listeners): dropped. (buffer's console.error for browsers without
 *   typed arrays stays: none of the es2020 targets lacks them.)
 * The snippet's rule is no console output unless debug is on; parts log through ctx.log.
 */
const PROCESS_SHIM = `export const process = { env: {}, browser: true, version: '', versions: {}, emitWarning() {}, nextTick(fn, ...args) { queueMicrotask(() => fn(...args)); } };`;
const VIRTUAL: Record<string, string> = {
  'porchlight:process': PROCESS_SHIM,
  debug: 'module.exports = () => { const log = () => {}; log.enabled = false; return log; };',
  'util-deprecate': 'module.exports = (fn) => fn;',
};
const nodeShims: Plugin = {
  name: 'node-shims',
  setup(b) {
    b.onResolve({ filter: /^(porchlight:process|debug|util-deprecate)$/ }, (args) => ({ path: args.path, namespace: 'porchlight-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'porchlight-shim' }, (args) => ({ contents: VIRTUAL[args.path], loader: 'js' }));
    for (const [pkg, file, call] of [
      ['simple-peer', 'index.js', 'console.warn(message)'],
      ['events', 'events.js', 'console.warn(warning)'],
    ] as const) {
      b.onLoad({ filter: new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]${file.replace('.', '\\.')}$`) }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(call, 'void 0');
        if (contents === source) return { contents, warnings: [{ text: `${pkg} changed: its ${call} is left in the parts` }] };
        return { contents };
      });
    }
  },
};

export async function buildSnippet(o: { outdir?: string } = {}): Promise<{ files: string[]; metafile: Metafile }> {
  const outdir = o.outdir ?? SNIPPET_DIST;
  const partsDir = path.join(here, 'src', 'parts');
  const parts = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => /^[a-z0-9-]+\.ts$/.test(f) && f !== 'embed.ts').map((f) => f.slice(0, -3)) : [];
  // A stale part must not stay servable after its source is gone.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const common = {
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers of the last five years; avoids down-levelling ?. and ?? in socket.io-client.
    target: ['es2020'],
    platform: 'browser',
    drop: ['debugger'],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  } satisfies BuildOptions;
  const [core, partsResult] = await Promise.all([
    build({
      ...common,
      entryPoints: { embed: path.join(here, 'src', 'embed.ts') },
      // The core loads only the parts that exist (see src/parts.ts).
      define: { PORCHLIGHT_PARTS: JSON.stringify(parts) },
      plugins: [withoutWebTransport, withoutDefaultParser, platformBase64],
    }),
    // Parts get the Node shims simple-peer needs; the core must not pay for them.
    parts.length
      ? build({
          ...common,
          entryPoints: Object.fromEntries(parts.map((p) => [p, path.join(partsDir, `${p}.ts`)])),
          define: { global: 'globalThis' },
          inject: ['porchlight:process'],
          plugins: [nodeShims],
        })
      : null,
  ]);
  const metafile: Metafile = {
    inputs: { ...core.metafile.inputs, ...partsResult?.metafile.inputs },
    outputs: { ...core.metafile.outputs, ...partsResult?.metafile.outputs },
  };
  return { files: Object.keys(metafile.outputs).map((f) => path.resolve(f)), metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSnippet();
}
