// GET /api/sites: the sites of the signed-in user's current workspace with who is online now. POST: create a site.
// The workspace comes from the session only.
import { can } from '../../../server/access/access';
import { services } from '../../../server/services';
import { HttpError, assertSameOrigin, json, parseSiteInput, readJson, route, sessionUser } from '../../lib/http';
import { siteJson } from '../../lib/site-json';

export const dynamic = 'force-dynamic';

export const GET = route(async (req: Request) => {
  const user = await sessionUser(req);
  const s = services();
  // The current workspace's: the one the dashboard shows.
  const ws = await s.team.workspaceOf(user.id);
  const sites = ws ? await s.sites.listForUser(user.id, ws.id) : [];
  return json({ ok: true, sites: sites.map((site) => ({ ...siteJson(site), online: s.presence.count(site.id) })) });
});

export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const ws = await services().team.workspaceOf(user.id);
  if (ws && !can(ws.role, 'site:create')) throw new HttpError('forbidden', 'Only owners and admins can add sites.');
  const input = parseSiteInput(await readJson(req));
  const site = await services().sites.create(user.id, input);
  return json({ ok: true, site: siteJson(site) }, 201);
});
