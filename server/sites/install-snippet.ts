// The tag a site owner pastes into their pages. One inline script: it defines a queue stub
// (so page code may call Porchlight(...) before the real script arrives) and loads /embed.js async.
// Shown on the dashboard's install page and used by the demo website.

export function installSnippet(porchlightUrl: string, siteKey: string): string {
  const src = `${porchlightUrl.replace(/\/$/, '')}/embed.js`;
  return [
    '<script>',
    `(function(w,d,s,k){w.Porchlight=w.Porchlight||function(){(w.Porchlight.q=w.Porchlight.q||[]).push(arguments)};`,
    `var e=d.createElement('script');e.async=true;e.src=s;e.setAttribute('data-site',k);d.head.appendChild(e)})`,
    `(window,document,${JSON.stringify(src)},${JSON.stringify(siteKey)});`,
    '</script>',
  ].join('\n');
}

const base = (porchlightUrl: string): string => porchlightUrl.replace(/\/$/, '');

/**
 * For pages whose Content-Security-Policy allows no inline script: the plain tag. Calls to
 * Porchlight(...) made before it loads need the stub in the page's own script (see the guides).
 */
export function scriptTagSnippet(porchlightUrl: string, siteKey: string): string {
  return `<script async src="${base(porchlightUrl)}/embed.js" data-site="${siteKey}"></script>`;
}

/** The inline snippet carrying the page's CSP nonce (the server that renders the page fills it in). */
export function nonceSnippet(porchlightUrl: string, siteKey: string, nonce = 'YOUR_NONCE'): string {
  return installSnippet(porchlightUrl, siteKey).replace('<script>', `<script nonce="${nonce}">`);
}

/** The directives a CSP needs for Porchlight: its origin for scripts, sockets (and polling), and agents' pictures. */
export function cspDirectives(porchlightUrl: string): { scriptSrc: string; connectSrc: string; imgSrc: string } {
  const origin = new URL(porchlightUrl).origin;
  const socket = origin.replace(/^http/, 'ws');
  return { scriptSrc: `script-src ${origin}`, connectSrc: `connect-src ${origin} ${socket}`, imgSrc: `img-src ${origin}` };
}

/** The CSP lines as one block to copy (added to the page's existing directives). */
export function cspLines(porchlightUrl: string): string {
  const d = cspDirectives(porchlightUrl);
  return [`${d.scriptSrc};`, `${d.connectSrc};`, `${d.imgSrc};`].join('\n');
}

/** The queue stub on its own, for a page's bundled script (no inline script needed). */
export const QUEUE_STUB =
  'window.Porchlight = window.Porchlight || function () { (window.Porchlight.q = window.Porchlight.q || []).push(arguments); };';
