// Server-side session helpers for pages and layouts. The tenant always comes from the session.
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { services } from '../../server/services';
import type { Role } from '../../server/access/access';
import type { SiteRecord } from '../../server/sites/site-store';
import { isSiteId } from './site-json';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

/** The signed-in user of this request, or null. Cached per request (layout and page share it). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await services().auth.api.getSession({ headers: await headers() });
  if (!session) return null;
  return { id: session.user.id, name: session.user.name, email: session.user.email };
});

/** The user's workspaces, the current one marked: the header and the Team page share one read per request. */
export const workspacesOf = cache((userId: string) => services().team.workspaces(userId));

/** The workspace the user has chosen (pages show it, and their socket works in it); null when they have none. */
export const currentWorkspaceOf = cache(async (userId: string): Promise<{ id: string; name: string; role: Role } | null> => {
  const current = (await workspacesOf(userId)).find((w) => w.current);
  return current ? { id: current.id, name: current.name, role: current.role } : null;
});

/** The sites of the user's current workspace, oldest first. */
export const sitesOf = cache(async (userId: string): Promise<SiteRecord[]> => {
  const ws = await currentWorkspaceOf(userId);
  return ws ? services().sites.listForUser(userId, ws.id) : [];
});

/** The signed-in user, or a redirect to the login page (coming back to `returnTo` afterwards). */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : '/login');
  return user;
}

/** The site if it belongs to the user's workspace; null for someone else's site or a bad id. */
export const siteForUser = cache(async (userId: string, siteId: string): Promise<SiteRecord | null> => {
  if (!isSiteId(siteId)) return null;
  return services().sites.getForUser(userId, siteId);
});

/** The site and the user's role in its workspace; null for someone else's site or a bad id. */
export const siteWithRole = cache(async (userId: string, siteId: string): Promise<{ site: SiteRecord; role: Role } | null> => {
  if (!isSiteId(siteId)) return null;
  return services().sites.getWithRole(userId, siteId);
});

/** The signed-in user, their site and role, for pages under /sites/[id]: login redirect or 404 otherwise. */
export async function requireSite(siteId: string, returnTo: string): Promise<{ user: SessionUser; site: SiteRecord; role: Role }> {
  const user = await requireUser(returnTo);
  const found = await siteWithRole(user.id, siteId);
  if (!found) notFound();
  return { user, ...found };
}

/** A "next" parameter is only followed to a path on this site (no open redirect). */
export function safeReturnPath(next: string | string[] | undefined): string {
  const v = Array.isArray(next) ? next[0] : next;
  if (!v || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return '/sites';
  return v;
}
