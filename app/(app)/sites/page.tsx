import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '../../../server/access/access';
import { services } from '../../../server/services';
import { SiteForm } from '../../components/site-form';
import { currentWorkspaceOf, requireUser, sitesOf } from '../../lib/session';

export const metadata: Metadata = { title: 'Sites' };

export default async function SitesPage() {
  const user = await requireUser('/sites');
  const s = services();
  const [sites, workspace] = await Promise.all([sitesOf(user.id), currentWorkspaceOf(user.id)]);
  // Agents watch and talk; owners and admins also add sites and change them. (No workspace yet:
  // the first site creates one, owned by them.)
  const mayEdit = !workspace || can(workspace.role, 'site:settings');
  const mayCreate = !workspace || can(workspace.role, 'site:create');
  return (
    <div className="page-narrow">
      <div className="page-header">
        <div>
          <h1>Sites</h1>
          <p>{workspace ? workspace.name : 'Your workspace'} · each site has its own install snippet and live visitor table.</p>
        </div>
      </div>
      <div className={`sites-layout${mayCreate ? '' : ' sites-only'}`}>
        <section aria-labelledby="site-list-title">
          <h2 id="site-list-title" className="sr-only">
            Your sites
          </h2>
          {sites.length === 0 ? (
            mayCreate ? (
              <div className="card empty-card">
                <h2>Add your first site</h2>
                <p>
                  Give it a name and the origins your pages are served from. You will get a one-line snippet to paste into your site,
                  and every visitor will show up here live.
                </p>
              </div>
            ) : (
              <div className="card empty-card" data-testid="sites-none">
                <h2>No sites yet</h2>
                <p>An owner or admin of this workspace adds sites; they will show up here as soon as they do.</p>
              </div>
            )
          ) : (
            <ul className="site-list" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="site-list">
              {sites.map((site) => {
                const online = s.presence.count(site.id);
                return (
                  <li key={site.id} className="card site-card" data-testid="site-card">
                    <div style={{ minWidth: 0 }}>
                      <h2>
                        <Link href={`/sites/${site.id}`}>{site.name}</Link>
                      </h2>
                      <div className="origins">
                        {site.allowedOrigins.map((o) => (
                          <span key={o} className="chip" title={o}>
                            {o}
                          </span>
                        ))}
                      </div>
                    </div>
                    <div className="online" aria-label={`${online} visitors online now`}>
                      <span className={`dot ${online > 0 ? 'dot-live' : ''}`} aria-hidden="true" />
                      <strong>{online}</strong> online now
                    </div>
                    <div className="actions">
                      <Link className="btn btn-sm btn-primary" href={`/sites/${site.id}`}>
                        Live visitors
                      </Link>
                      <Link className="btn btn-sm" href={`/sites/${site.id}/install`}>
                        Install
                      </Link>
                      {mayEdit && (
                        <Link className="btn btn-sm btn-ghost" href={`/sites/${site.id}/settings`}>
                          Settings
                        </Link>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        {mayCreate && (
          <section className="card" aria-labelledby="new-site-title">
            <div className="card-header">
              <div>
                <h2 id="new-site-title">New site</h2>
                <p>You can change these later.</p>
              </div>
            </div>
            <div className="card-body">
              <SiteForm submitLabel="Create site" />
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
