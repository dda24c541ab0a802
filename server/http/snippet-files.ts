// Serves the built embed snippet: /embed.js (every customer page loads it) and /embed/*.js
// (parts loaded on demand). Cross-origin by design, cached briefly, gzipped when accepted.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

interface FileEntry {
  body: Buffer;
  gz: Buffer;
  etag: string;
}

export function createSnippetServer(dir: string) {
  const cache = new Map<string, FileEntry>();
  const load = (name: string): FileEntry | null => {
    const hit = cache.get(name);
    if (hit) return hit;
    const file = path.join(dir, name);
    if (!existsSync(file)) return null;
    const body = readFileSync(file);
    const entry = { body, gz: gzipSync(body, { level: 9 }), etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    cache.set(name, entry);
    return entry;
  };

  const fileFor = (url: string): string | null => {
    const p = url.split('?')[0] ?? '';
    if (p === '/embed.js') return 'embed.js';
    const m = /^\/embed\/([a-z0-9-]+\.js)$/.exec(p);
    return m ? m[1]! : null;
  };

  return {
    handles: (url: string) => fileFor(url) !== null,
    serve(req: http.IncomingMessage, res: http.ServerResponse): void {
      const name = fileFor(req.url ?? '');
      // fileFor only yields embed.js or /embed/<a-z0-9->.js names: no path can leave the folder.
      const entry = name ? load(name) : null;
      const headers: http.OutgoingHttpHeaders = {
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      };
      if (!entry) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('snippet not built: run `npm run build:snippet`');
        return;
      }
      Object.assign(headers, {
        'content-type': 'application/javascript; charset=utf-8',
        // Short max-age so a new release reaches pages soon; revalidation is cheap with the ETag.
        'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
        etag: entry.etag,
        vary: 'accept-encoding',
      });
      if (req.headers['if-none-match'] === entry.etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = gzip ? entry.gz : entry.body;
      if (gzip) headers['content-encoding'] = 'gzip';
      headers['content-length'] = body.length;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
