// DELETE /api/team/invitations/:id: revoke a pending invitation (its link stops working).
import { services } from '../../../../../server/services';
import { assertSameOrigin, json, route, sessionUser } from '../../../../lib/http';
import { pathId, teamAction } from '../../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const id = pathId((await ctx.params).id);
  await teamAction(() => services().team.revoke(user.id, id));
  return json({ ok: true });
});
