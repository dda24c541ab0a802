// A small customer website on its own origin, every page embedding the install snippet, so a
// new user sees visitors arrive without owning a site. Pages link to each other; /app is a
// single-page app that navigates with pushState and hash changes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { installSnippet } from '../sites/install-snippet';

interface Page {
  title: string;
  body: string;
}

const PAGES: Record<string, Page> = {
  '/': { title: 'Lumen Lamps: light for every room', body: '<h1>Light for every room</h1><p>Handmade lamps, shipped in two days.</p><p><a class="cta" href="/pricing">See pricing</a></p>' },
  '/pricing': { title: 'Pricing | Lumen Lamps', body: '<h1>Pricing</h1><ul><li>Desk lamp: $49</li><li>Floor lamp: $129</li><li>Studio bundle: $299</li></ul><p><a href="/contact">Talk to sales</a></p>' },
  '/products/aurora': { title: 'Aurora floor lamp | Lumen Lamps', body: '<h1>Aurora floor lamp</h1><p>Dimmable, warm white, oak base.</p><p><a href="/pricing">Compare plans</a></p>' },
  '/contact': { title: 'Contact | Lumen Lamps', body: '<h1>Contact</h1><p>Write to hello@lumen.example or call us any weekday.</p>' },
  '/app': {
    title: 'Lamp configurator | Lumen Lamps',
    body: `<h1 id="view">Configurator</h1>
<p><a href="/app/shade" data-spa>Shade</a> · <a href="/app/base" data-spa>Base</a> · <a href="#summary">Summary</a></p>
<script>
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[data-spa]');
  if (!a) return;
  e.preventDefault();
  history.pushState({}, '', a.getAttribute('href'));
  document.title = 'Configurator: ' + a.textContent + ' | Lumen Lamps';
  document.getElementById('view').textContent = 'Configurator: ' + a.textContent;
});
</script>`,
  },
};

const NAV = [
  ['/', 'Home'],
  ['/pricing', 'Pricing'],
  ['/products/aurora', 'Aurora lamp'],
  ['/app', 'Configurator (SPA)'],
  ['/contact', 'Contact'],
];

function render(page: Page, snippet: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.title}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#fffdf7}
header{display:flex;flex-wrap:wrap;gap:8px 18px;padding:16px 32px;border-bottom:1px solid #eee4cc;background:#fff}
@media (max-width:480px){header{padding:12px 16px}header strong{flex-basis:100%}}
header a{color:#6b4e00;text-decoration:none;font-weight:600}
main{max-width:720px;margin:40px auto;padding:0 24px}
.cta{display:inline-block;background:#e8a900;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none}
footer{color:#8a8170;font-size:13px;text-align:center;margin:60px 0 20px}
</style>
${snippet}
</head><body>
<header><strong>Lumen Lamps</strong>${NAV.map(([href, label]) => `<a href="${href}">${label}</a>`).join('')}</header>
<main>${page.body}</main>
<footer>A demo customer website for Porchlight. Every page carries the install snippet.</footer>
</body></html>`;
}

export async function startDemoSite(o: { port: number; porchlightUrl: string; host?: string }) {
  let siteKey = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    const page = PAGES[path] ?? (path.startsWith('/app/') ? PAGES['/app'] : undefined);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(render(page, siteKey ? installSnippet(o.porchlightUrl, siteKey) : ''));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    setSiteKey: (k: string) => {
      siteKey = k;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
