import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { NavLinks } from '../../../components/nav-links';
import { can } from '../../../../server/access/access';
import { OtherWorkspace } from '../../../components/other-workspace';
import { currentUser, currentWorkspaceOf, siteWithRole, workspacesOf } from '../../../lib/session';

export default async function SiteLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) return children; // the page redirects to the login page
  const [found, current] = await Promise.all([siteWithRole(user.id, id), currentWorkspaceOf(user.id)]);
  if (!found) notFound();
  const { site, role } = found;
  // A site of another of the user's workspaces: offer the switch rather than mix workspaces.
  if (site.workspaceId !== current?.id) {
    const ws = (await workspacesOf(user.id)).find((w) => w.id === site.workspaceId);
    if (ws) return <OtherWorkspace workspace={ws} what="site" />;
  }
  const base = `/sites/${site.id}`;
  return (
    <>
      <div className="site-header">
        <div className="site-header-top">
          <div className="site-title">
            <span className="breadcrumb">
              <Link href="/sites">Sites</Link> /
            </span>
            <h1>{site.name}</h1>
            <span className="site-origins" title={site.allowedOrigins.join('\n')}>
              {site.allowedOrigins.join(' · ')}
            </span>
          </div>
        </div>
        <NavLinks
          className="tabs"
          linkClassName="tab"
          items={[
            { href: base, label: 'Live visitors' },
            { href: `${base}/install`, label: 'Install' },
            ...(can(role, 'site:settings') ? [{ href: `${base}/settings`, label: 'Settings' }] : []),
          ]}
        />
      </div>
      {children}
    </>
  );
}
