// Snippet weight: builds embed-snippet/dist and prints raw and gzipped bytes of every file in it
// (gzip level 9, as the server sends it), plus how the always-loaded part splits between
// socket.io-client and our own code. `npm run bench:snippet`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSnippet, SNIPPET_DIST } from '../../embed-snippet/build';

const BUDGET = 16 * 1024;
const { metafile } = await buildSnippet();

const rows = readdirSync(SNIPPET_DIST)
  .filter((f) => f.endsWith('.js'))
  .sort((a, b) => (a === 'embed.js' ? -1 : b === 'embed.js' ? 1 : a.localeCompare(b)))
  .map((f) => {
    const body = readFileSync(path.join(SNIPPET_DIST, f));
    return { file: f, url: f === 'embed.js' ? '/embed.js' : `/embed/${f}`, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });

console.log('| file | served at | raw bytes | gzip -9 bytes |');
console.log('| --- | --- | ---: | ---: |');
for (const r of rows) console.log(`| ${r.file} | ${r.url} | ${r.raw} | ${r.gzip} |`);

const embed = rows.find((r) => r.file === 'embed.js');
if (embed) {
  const out = Object.entries(metafile.outputs).find(([f]) => f.endsWith('embed.js'))?.[1];
  let ours = 0;
  let lib = 0;
  for (const [input, { bytesInOutput }] of Object.entries(out?.inputs ?? {})) {
    if (input.includes('node_modules')) lib += bytesInOutput;
    else ours += bytesInOutput;
  }
  console.log(`\nembed.js: ${embed.gzip} of ${BUDGET} bytes gzipped (${((embed.gzip / BUDGET) * 100).toFixed(1)}% of the budget, ${BUDGET - embed.gzip} to spare)`);
  console.log(`minified input: socket.io-client and its dependencies ${lib} bytes, snippet code ${ours} bytes`);
}
