// The Install page's guides: strict Content-Security-Policy sites, and where the snippet goes on
// common platforms. Only what the snippet really does (embed-snippet/README.md).
import { CodeBlock } from '../components/code-block';
import './sites.css';

interface Props {
  snippet: string;
  scriptTag: string;
  nonceSnippet: string;
  csp: string;
  porchlightOrigin: string;
  /** The queue stub alone, for pages without inline scripts. */
  stub: string;
}

export function CspGuide({ scriptTag, nonceSnippet, csp, porchlightOrigin, stub }: Props) {
  return (
    <div className="guide" data-testid="csp-guide">
      <p>
        If your pages send a <span className="inline-code">Content-Security-Policy</span>, add the Porchlight origin to these directives
        (keep what is already in them). Scripts and the parts loaded on demand (calls, chat) come from{' '}
        <span className="inline-code">{porchlightOrigin}</span>, the connection goes to the same host (WebSocket, with an HTTPS fallback),
        and <span className="inline-code">img-src</span> lets agents&apos; pictures load from <span className="inline-code">/avatars/</span>{' '}
        (without it, their initials show instead). No <span className="inline-code">&apos;unsafe-inline&apos;</span> and no{' '}
        <span className="inline-code">&apos;unsafe-eval&apos;</span> are needed.
      </p>
      <CodeBlock code={csp} label="CSP directives" testId="csp-lines" />
      <p>Then use one of these instead of the snippet above:</p>
      <h4>No inline scripts at all: the script tag</h4>
      <CodeBlock code={scriptTag} label="Script tag for CSP sites" testId="csp-script-tag" />
      <p className="hint">
        If your own scripts call <span className="inline-code">Porchlight(…)</span> before it has loaded, put this line first in one of
        your script files: the calls wait in its queue.
      </p>
      <CodeBlock code={stub} label="Queue stub" />
      <h4>Inline scripts with a nonce: the snippet with your page&apos;s nonce</h4>
      <p className="hint">Your server puts the same fresh nonce here and in the page&apos;s script-src (&apos;nonce-…&apos;) on every response.</p>
      <CodeBlock code={nonceSnippet} label="Snippet with a nonce" testId="csp-nonce" />
    </div>
  );
}

export function PlatformGuides({ snippet, scriptTag }: Props) {
  const spaModule = `// porchlight.ts: calls made before embed.js has loaded wait in its queue.
// Call it from effects and event handlers (it needs window).
type PorchlightFn = ((...args: unknown[]) => void) & { q?: unknown[][] };

export function porchlight(...args: unknown[]): void {
  const w = window as unknown as { Porchlight?: PorchlightFn };
  const queue: PorchlightFn = (...a) => void (queue.q ??= []).push(a);
  (w.Porchlight ??= queue)(...args);
}`;
  const nextLayout = `// app/layout.tsx (Next.js App Router; in the Pages Router, pages/_app.tsx)
import Script from 'next/script';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        ${scriptTag.replace('<script async', '<Script strategy="afterInteractive"').replace('></script>', ' />')}
      </body>
    </html>
  );
}`;
  const spaUser = `// When the signed-in user is known (after sign-in, and on every full page load):
useEffect(() => {
  if (user) porchlight('identify', { name: user.name, email: user.email, plan: user.plan });
}, [user]);

// On sign-out: this browser forgets the visitor's identity and conversation,
// and the page carries on as a new anonymous visitor.
async function signOut() {
  await api.signOut();
  porchlight('shutdown');
}`;
  const wordpress = `<?php
// In your child theme's functions.php (or a code-snippets plugin):
add_action('wp_head', function () { ?>
${snippet}
<?php });`;
  return (
    <div className="guides" data-testid="install-guides">
      <details className="guide-item" open>
        <summary>Plain HTML</summary>
        <div className="guide">
          <p>
            Paste the snippet into the <span className="inline-code">&lt;head&gt;</span> of every page, or once in the header your pages
            share (a template, an include). Allow the origin the pages are served from, e.g. both{' '}
            <span className="inline-code">https://example.com</span> and <span className="inline-code">https://www.example.com</span> if
            both work.
          </p>
        </div>
      </details>
      <details className="guide-item">
        <summary>Google Tag Manager</summary>
        <div className="guide">
          <ol>
            <li>In your container: Tags → New → Tag configuration → Custom HTML.</li>
            <li>Paste the snippet as it is.</li>
            <li>Triggering: All Pages. Save, then Submit and Publish the container.</li>
          </ol>
          <p className="hint">
            The allowed origin is your website&apos;s, not Google&apos;s. Use Preview mode first, then check the status at the top of this
            page.
          </p>
        </div>
      </details>
      <details className="guide-item">
        <summary>WordPress</summary>
        <div className="guide">
          <p>
            Use a plugin that adds code to the header of every page (for example WPCode: Code Snippets → Header &amp; Footer → Header) and
            paste the snippet there. Or, in a child theme, add it from <span className="inline-code">functions.php</span>:
          </p>
          <CodeBlock code={wordpress} label="WordPress functions.php" />
          <p className="hint">Page caching plugins serve the new header after their cache is cleared.</p>
        </div>
      </details>
      <details className="guide-item">
        <summary>Shopify</summary>
        <div className="guide">
          <ol>
            <li>Online Store → Themes → ⋯ next to your live theme → Edit code.</li>
            <li>
              Open <span className="inline-code">layout/theme.liquid</span> and paste the snippet just before{' '}
              <span className="inline-code">&lt;/head&gt;</span>. Save.
            </li>
          </ol>
          <p className="hint">
            Allow every origin your store answers on: <span className="inline-code">https://your-store.myshopify.com</span> and your own
            domains. Shopify&apos;s checkout does not use your theme&apos;s layout, so the snippet is not on checkout pages.
          </p>
        </div>
      </details>
      <details className="guide-item">
        <summary>React or Next.js single-page app</summary>
        <div className="guide">
          <p>
            Load the script once, in the root layout (in a React app without Next.js, put the snippet in{' '}
            <span className="inline-code">index.html</span>). Route changes (pushState, popstate, hash changes) are tracked on their own:
            nothing to call on navigation.
          </p>
          <CodeBlock code={nextLayout} label="Next.js root layout" />
          <p>A small module gives your components a Porchlight function that works before the script has loaded:</p>
          <CodeBlock code={spaModule} label="porchlight.ts" />
          <p>
            Call <span className="inline-code">identify</span> once the signed-in user is known. Porchlight keeps it in memory for the page
            load only, so call it again after every full page load (an effect on your user state does both). On sign-out, call{' '}
            <span className="inline-code">shutdown</span>:
          </p>
          <CodeBlock code={spaUser} label="Identify and sign-out" />
        </div>
      </details>
    </div>
  );
}
