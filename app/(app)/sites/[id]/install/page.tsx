import type { Metadata } from 'next';
import Link from 'next/link';
import { services } from '../../../../../server/services';
import { installSnippet } from '../../../../../server/sites/install-snippet';
import { CodeBlock } from '../../../../components/code-block';
import { requireSite } from '../../../../lib/session';
import { CHAT_API_EXAMPLE, IDENTIFY_EXAMPLE } from '../../../../lib/snippets';

export const metadata: Metadata = { title: 'Install' };

export default async function InstallPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { site } = await requireSite(id, `/sites/${id}/install`);
  const snippet = installSnippet(services().publicUrl, site.publicKey);
  return (
    <div className="page-narrow">
      <div className="two-col">
        <section className="card" aria-labelledby="install-title">
          <div className="card-header">
            <div>
              <h2 id="install-title">Install Porchlight on {site.name}</h2>
              <p>One script tag. It loads asynchronously and never blocks your page.</p>
            </div>
          </div>
          <div className="card-body">
            <ol className="steps">
              <li>
                <div>
                  <h3>Paste this snippet into every page, just before &lt;/head&gt;</h3>
                  <p>Put it in your site&apos;s shared layout or template so every page has it.</p>
                  <CodeBlock code={snippet} label="Install snippet" testId="install-snippet" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Serve your pages from an allowed origin</h3>
                  <p>
                    Visitors are only accepted from these origins. Add staging or other domains in{' '}
                    <Link href={`/sites/${site.id}/settings`}>Settings</Link>.
                  </p>
                  <div className="origins" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                    {site.allowedOrigins.map((o) => (
                      <span key={o} className="chip">
                        {o}
                      </span>
                    ))}
                  </div>
                </div>
              </li>
              <li>
                <div>
                  <h3>Optional: tell Porchlight who the visitor is</h3>
                  <p>
                    When a visitor signs in to your site, call <span className="inline-code">identify</span>. Name and email show in the
                    live table; other fields show as attributes in the visitor panel. You can call it before the script has loaded.
                  </p>
                  <CodeBlock code={IDENTIFY_EXAMPLE} label="Identify example" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Optional: drive the chat from your page</h3>
                  <p>
                    Every page shows a chat launcher. Your own buttons can open the chat, a page can hide the launcher, and your code can
                    react to agents&apos; messages. Greeting and sneak peek are in <Link href={`/sites/${site.id}/settings`}>Settings</Link>.
                  </p>
                  <CodeBlock code={CHAT_API_EXAMPLE} label="Chat API example" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Open a page of your site</h3>
                  <p>
                    You appear in <Link href={`/sites/${site.id}`}>Live visitors</Link> within a second.
                  </p>
                </div>
              </li>
            </ol>
          </div>
        </section>
        <aside className="card" aria-labelledby="install-notes">
          <div className="card-header">
            <h2 id="install-notes">Good to know</h2>
          </div>
          <div className="card-body">
            <dl className="kv" style={{ gridTemplateColumns: '1fr' }}>
              <dt>Single-page apps</dt>
              <dd>Route changes (pushState, popstate, hash changes) are tracked automatically.</dd>
              <dt>Privacy</dt>
              <dd>
                The snippet reports the page, referrer, UTM tags, language, time zone, screen size and whether the tab is in use: nothing a
                visitor types into your pages. In the chat panel, agents see a draft before it is sent only while Sneak peek is on, and the
                panel tells visitors when it is off.
              </dd>
              <dt>Site key</dt>
              <dd className="mono">{site.publicKey}</dd>
            </dl>
          </div>
        </aside>
      </div>
    </div>
  );
}
