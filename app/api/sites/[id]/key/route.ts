// POST /api/sites/:id/key { graceHours }: rotate the site key (owners and admins). The old key
// keeps working for the grace period, then is refused and visitor sockets still on it close.
import { z } from 'zod';
import { can } from '../../../../../server/access/access';
import { services } from '../../../../../server/services';
import { HttpError, assertSameOrigin, json, readJson, route, sessionUser } from '../../../../lib/http';
import { isSiteId, siteJson } from '../../../../lib/site-json';
import { DEFAULT_GRACE_HOURS, GRACE_HOURS } from '../../../../sites/key-grace';

export const dynamic = 'force-dynamic';

const RotateSchema = z.object({ graceHours: z.number().int().refine((h) => (GRACE_HOURS as readonly number[]).includes(h)).default(DEFAULT_GRACE_HOURS) });

export const POST = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const { id } = await ctx.params;
  const s = services();
  const found = isSiteId(id) ? await s.sites.getWithRole(user.id, id) : null;
  if (!found) throw new HttpError('not_found', 'No such site.');
  if (!can(found.role, 'site:settings')) throw new HttpError('forbidden', 'Only owners and admins can rotate the site key.');
  const body = RotateSchema.safeParse(await readJson(req));
  if (!body.success) throw new HttpError('bad_request', 'Choose how long the old key keeps working: 0, 1, 24 or 168 hours.');
  const site = await s.sites.rotateKey(user.id, id, body.data.graceHours * 3600_000);
  if (!site) throw new HttpError('busy', 'The key was just rotated by someone else: reload the page.');
  return json({ ok: true, site: siteJson(site), previousKeyUntil: site.previousKeyUntil?.toISOString() ?? null });
});
