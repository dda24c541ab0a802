import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '../../../../../server/access/access';
import { services } from '../../../../../server/services';
import { QUEUE_STUB, cspLines, installSnippet, nonceSnippet, scriptTagSnippet } from '../../../../../server/sites/install-snippet';
import { CodeBlock } from '../../../../components/code-block';
import { requireSite } from '../../../../lib/session';
import { CHAT_API_EXAMPLE, IDENTIFY_EXAMPLE } from '../../../../lib/snippets';
import { CspGuide, PlatformGuides } from '../../../../sites/install-guides';
import { InstallStatus } from '../../../../sites/install-status';

export const metadata: Metadata = { title: 'Install' };

export default async function InstallPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { site, role } = await requireSite(id, `/sites/${id}/install`);
  const s = services();
  const url = s.publicUrl;
  const snippet = installSnippet(url, site.publicKey);
  const [lastSeen, refused] = await Promise.all([s.sites.lastSeen(site.id), s.sites.refusedOrigins(site.id)]);
  const now = Date.now();
  const previousUntil = site.previousKey && site.previousKeyUntil && site.previousKeyUntil.getTime() > now ? site.previousKeyUntil : null;
  const guideProps = {
    snippet,
    scriptTag: scriptTagSnippet(url, site.publicKey),
    nonceSnippet: nonceSnippet(url, site.publicKey),
    csp: cspLines(url),
    porchlightOrigin: new URL(url).origin,
    stub: QUEUE_STUB,
  };
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
            <InstallStatus
              siteId={site.id}
              canSettings={can(role, 'site:settings')}
              initial={{ now, lastSeen, refused: refused.slice(0, 3).map((r) => ({ origin: r.origin, count: r.count, lastSeenAt: r.lastSeenAt })) }}
            />
            {previousUntil && (
              <div className="alert alert-info install-rotated" data-testid="install-rotated" style={{ marginBottom: 22 }}>
                The site key was rotated: pages with the previous snippet keep working until{' '}
                {previousUntil.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC. Replace it with this one
                everywhere before then.
              </div>
            )}
            <ol className="steps install-steps">
              <li>
                <div>
                  <h3>Paste this snippet into every page, just before &lt;/head&gt;</h3>
                  <p>Put it in your site&apos;s shared layout or template so every page has it. Guides for common platforms are below.</p>
                  <CodeBlock code={snippet} label="Install snippet" testId="install-snippet" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Serve your pages from an allowed origin</h3>
                  <p>
                    Visitors are only accepted from these origins. Add staging or other domains in{' '}
                    {can(role, 'site:settings') ? <Link href={`/sites/${site.id}/settings`}>Settings</Link> : 'the site settings'}, where
                    origins that were refused are listed too.
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
                  <h3>Sites with a Content-Security-Policy</h3>
                  <CspGuide {...guideProps} />
                </div>
              </li>
              <li>
                <div>
                  <h3>Where the snippet goes on your platform</h3>
                  <PlatformGuides {...guideProps} />
                </div>
              </li>
              <li>
                <div>
                  <h3>Optional: tell Porchlight who the visitor is</h3>
                  <p>
                    When a visitor signs in to your site, call <span className="inline-code">identify</span>. Name and email show in the
                    live table; other fields show as attributes in the visitor panel. You can call it before the script has loaded. On
                    sign-out, <span className="inline-code">Porchlight(&apos;shutdown&apos;)</span> makes this browser forget the visitor.
                  </p>
                  <CodeBlock code={IDENTIFY_EXAMPLE} label="Identify example" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Optional: drive the chat from your page</h3>
                  <p>
                    Every page shows a chat launcher. Your own buttons can open the chat, a page can hide the launcher, and your code can
                    react to agents&apos; messages. Greeting and sneak peek are in{' '}
                    {can(role, 'site:settings') ? <Link href={`/sites/${site.id}/settings`}>Settings</Link> : 'the site settings'}.
                  </p>
                  <CodeBlock code={CHAT_API_EXAMPLE} label="Chat API example" />
                </div>
              </li>
              <li>
                <div>
                  <h3>Open a page of your site</h3>
                  <p>
                    The status at the top turns to &ldquo;Installed&rdquo;, and you appear in{' '}
                    <Link href={`/sites/${site.id}`}>Live visitors</Link> within a second.
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
              <dd className="mono" data-testid="install-site-key">
                {site.publicKey}
              </dd>
            </dl>
          </div>
        </aside>
      </div>
    </div>
  );
}
