// GET /api/sites: the signed-in user's sites with who is online now. POST: create a site.
// The workspace comes from the session only.
import { can } from '../../../server/access/access';
import { services } from '../../../server/services';
import { HttpError, assertSameOrigin, json, parseSiteInput, readJson, route, sessionUser } from '../../lib/http';
import { siteJson } from '../../lib/site-json';

export const dynamic = 'force-dynamic';

export const GET = route(async (req: Request) => {
  const user = await sessionUser(req);
  const s = services();
  const sites = await s.sites.listForUser(user.id);
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
