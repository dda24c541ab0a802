import type { Metadata } from 'next';
import { can } from '../../../../../server/access/access';
import { services } from '../../../../../server/services';
import { SiteForm } from '../../../../components/site-form';
import { requireSite } from '../../../../lib/session';
import { KeyRotation } from '../../../../sites/key-rotation';
import { RefusedOrigins } from '../../../../sites/refused-origins';

export const metadata: Metadata = { title: 'Site settings' };

export default async function SiteSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { site, role } = await requireSite(id, `/sites/${id}/settings`);
  if (!can(role, 'site:settings')) {
    return (
      <div className="page-narrow">
        <section className="card" aria-labelledby="settings-title">
          <div className="card-header">
            <h2 id="settings-title">Site settings</h2>
          </div>
          <div className="card-body">
            <p role="alert">Only the workspace&apos;s owners and admins can change site settings. Ask one of them if something here needs to change.</p>
          </div>
        </section>
      </div>
    );
  }
  const refused = await services().sites.refusedOrigins(site.id);
  const now = Date.now();
  const previousUntil = site.previousKey && site.previousKeyUntil && site.previousKeyUntil.getTime() > now ? site.previousKeyUntil : null;
  return (
    <div className="page-narrow">
      <div className="two-col">
        <div className="settings-main" style={{ display: 'grid', gap: 24, minWidth: 0 }}>
        <section className="card" aria-labelledby="settings-title">
          <div className="card-header">
            <div>
              <h2 id="settings-title">Site settings</h2>
              <p>The name your team sees, the origins allowed to report visitors, how the chat greets them, and how the widget looks.</p>
            </div>
          </div>
          <div className="card-body">
            <SiteForm
              key={site.allowedOrigins.join('\n')}
              siteId={site.id}
              initialName={site.name}
              initialOrigins={site.allowedOrigins}
              chat={{ greeting: site.chatGreeting, sneakPeek: site.chatSneakPeek }}
              widget={{ accent: site.widgetAccent, side: site.widgetSide, offset: site.widgetOffset, launcherText: site.widgetLauncherText, language: site.widgetLanguage }}
              submitLabel="Save changes"
            />
          </div>
        </section>
        <RefusedOrigins siteId={site.id} initial={refused} initialNow={now} />
        </div>
        <aside className="card" aria-labelledby="site-keys-title">
          <div className="card-header">
            <h2 id="site-keys-title">Keys</h2>
          </div>
          <div className="card-body">
            <dl className="kv" style={{ gridTemplateColumns: '64px minmax(0, 1fr)' }}>
              <dt>Site key</dt>
              <dd className="mono" data-testid="site-key">
                {site.publicKey}
              </dd>
              <dt>Site ID</dt>
              <dd className="mono">{site.id}</dd>
              <dt>Created</dt>
              <dd>{new Date(site.createdAt).toLocaleDateString('en', { dateStyle: 'medium' })}</dd>
            </dl>
            {previousUntil && site.previousKey && (
              <div className="alert alert-info key-previous" data-testid="previous-key">
                The previous key <span className="mono">{site.previousKey}</span> works until{' '}
                {previousUntil.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC.
              </div>
            )}
            <p className="hint" style={{ marginTop: 14 }}>
              The site key is public: it is in every page that embeds the snippet. What protects your site is the list of allowed
              origins. Rotate it to stop an old copy of the snippet from working.
            </p>
            <KeyRotation siteId={site.id} />
          </div>
        </aside>
      </div>
    </div>
  );
}
