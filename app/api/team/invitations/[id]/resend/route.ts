// POST /api/team/invitations/:id/resend: a new link for 7 more days; the old link stops working.
import { services } from '../../../../../../server/services';
import { assertSameOrigin, json, route, sessionUser } from '../../../../../lib/http';
import { pathId, teamAction } from '../../../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const POST = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const id = pathId((await ctx.params).id);
  const r = await teamAction(() => services().team.resend(user.id, id));
  return json({ ok: true, ...r });
});
