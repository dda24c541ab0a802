import type { Metadata } from 'next';
import { can } from '../../../../../server/access/access';
import { SiteForm } from '../../../../components/site-form';
import { requireSite } from '../../../../lib/session';

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
  return (
    <div className="page-narrow">
      <div className="two-col">
        <section className="card" aria-labelledby="settings-title">
          <div className="card-header">
            <div>
              <h2 id="settings-title">Site settings</h2>
              <p>The name your team sees, the origins allowed to report visitors, and how the chat greets them.</p>
            </div>
          </div>
          <div className="card-body">
            <SiteForm
              siteId={site.id}
              initialName={site.name}
              initialOrigins={site.allowedOrigins}
              chat={{ greeting: site.chatGreeting, sneakPeek: site.chatSneakPeek }}
              submitLabel="Save changes"
            />
          </div>
        </section>
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
            <p className="hint" style={{ marginTop: 14 }}>
              The site key is public: it is in every page that embeds the snippet. What protects your site is the list of allowed
              origins.
            </p>
          </div>
        </aside>
      </div>
    </div>
  );
}
