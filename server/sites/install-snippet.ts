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
