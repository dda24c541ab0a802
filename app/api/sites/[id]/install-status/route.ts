// GET /api/sites/:id/install-status: has a visitor connected yet (where, when), and which origins
// were refused lately. Any member of the site's workspace; the Install page polls it.
import { services } from '../../../../../server/services';
import { HttpError, json, route, sessionUser } from '../../../../lib/http';
import { isSiteId } from '../../../../lib/site-json';

export const dynamic = 'force-dynamic';

export const GET = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await sessionUser(req);
  const { id } = await ctx.params;
  const s = services();
  const site = isSiteId(id) ? await s.sites.getForUser(user.id, id) : null;
  if (!site) throw new HttpError('not_found', 'No such site.');
  const [lastSeen, refused] = await Promise.all([s.sites.lastSeen(id), s.sites.refusedOrigins(id)]);
  return json({ ok: true, now: Date.now(), lastSeen, refused: refused.slice(0, 3) });
});
