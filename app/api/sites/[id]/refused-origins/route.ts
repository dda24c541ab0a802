// GET /api/sites/:id/refused-origins: origins whose pages tried this site's key lately and were
// refused. POST { origin }: allow one of them (owners and admins).
import { z } from 'zod';
import { can } from '../../../../../server/access/access';
import { services } from '../../../../../server/services';
import { HttpError, assertSameOrigin, json, readJson, route, sessionUser } from '../../../../lib/http';
import { isSiteId, siteJson } from '../../../../lib/site-json';

export const dynamic = 'force-dynamic';

interface Ctx {
  params: Promise<{ id: string }>;
}

const AllowSchema = z.object({ origin: z.string().min(1).max(300) });

async function siteForSettings(req: Request, ctx: Ctx) {
  const user = await sessionUser(req);
  const { id } = await ctx.params;
  const found = isSiteId(id) ? await services().sites.getWithRole(user.id, id) : null;
  if (!found) throw new HttpError('not_found', 'No such site.');
  if (!can(found.role, 'site:settings')) throw new HttpError('forbidden', 'Only owners and admins can change site settings.');
  return { user, site: found.site };
}

export const GET = route(async (req: Request, ctx: Ctx) => {
  const { site } = await siteForSettings(req, ctx);
  return json({ ok: true, now: Date.now(), origins: await services().sites.refusedOrigins(site.id) });
});

export const POST = route(async (req: Request, ctx: Ctx) => {
  assertSameOrigin(req);
  const { user, site } = await siteForSettings(req, ctx);
  const body = AllowSchema.safeParse(await readJson(req));
  if (!body.success) throw new HttpError('bad_request', 'Send { origin }.');
  const r = await services().sites.allowOrigin(user.id, site.id, body.data.origin);
  if (!r.ok) {
    if (r.code === 'not_found') throw new HttpError('not_found', 'No such site.');
    if (r.code === 'too_many') throw new HttpError('bad_request', 'This site already allows 20 origins: remove one in the form first.');
    throw new HttpError('bad_request', 'That is not an origin like https://example.com.');
  }
  return json({ ok: true, site: siteJson(r.site) });
});
