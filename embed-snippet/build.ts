// Builds the embed snippet with esbuild into embed-snippet/dist (served at /embed.js).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: { embed: path.join(here, 'src', 'embed.ts') },
  outdir: path.join(here, 'dist'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
});
