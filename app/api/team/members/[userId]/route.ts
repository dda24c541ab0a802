// PATCH /api/team/members/:userId (change role) and DELETE (remove from the workspace). The
// member's open dashboards lose what they no longer may see at once (server/transport/agent-namespace.ts).
import { services } from '../../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../../lib/http';
import { RoleSchema, parse, pathId, teamAction } from '../../../../lib/team-http';

export const dynamic = 'force-dynamic';

interface Ctx {
  params: Promise<{ userId: string }>;
}

export const PATCH = route(async (req: Request, ctx: Ctx) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const target = pathId((await ctx.params).userId);
  const { role } = parse(RoleSchema, await readJson(req));
  const member = await teamAction(() => services().team.changeRole(user.id, target, role));
  return json({ ok: true, member });
});

export const DELETE = route(async (req: Request, ctx: Ctx) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const target = pathId((await ctx.params).userId);
  await teamAction(() => services().team.remove(user.id, target));
  return json({ ok: true });
});
