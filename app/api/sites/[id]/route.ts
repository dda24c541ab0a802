// GET /api/sites/:id and PATCH (rename, change allowed origins). Someone else's site is a 404,
// exactly like a site that does not exist.
import { can } from '../../../../server/access/access';
import { services } from '../../../../server/services';
import { HttpError, assertSameOrigin, json, parseSiteInput, readJson, route, sessionUser } from '../../../lib/http';
import { isSiteId, siteJson } from '../../../lib/site-json';

export const dynamic = 'force-dynamic';

interface Ctx {
  params: Promise<{ id: string }>;
}

const notFound = () => new HttpError('not_found', 'No such site.');

export const GET = route(async (req: Request, ctx: Ctx) => {
  const user = await sessionUser(req);
  const { id } = await ctx.params;
  const s = services();
  const site = isSiteId(id) ? await s.sites.getForUser(user.id, id) : null;
  if (!site) throw notFound();
  return json({ ok: true, site: { ...siteJson(site), online: s.presence.count(site.id) } });
});

export const PATCH = route(async (req: Request, ctx: Ctx) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const { id } = await ctx.params;
  const s = services();
  const found = isSiteId(id) ? await s.sites.getWithRole(user.id, id) : null;
  if (!found) throw notFound();
  if (!can(found.role, 'site:settings')) throw new HttpError('forbidden', 'Only owners and admins can change site settings.');
  const input = parseSiteInput(await readJson(req));
  const site = await s.sites.update(user.id, id, input);
  if (!site) throw notFound();
  return json({ ok: true, site: siteJson(site) });
});
