// POST /api/invitations/accept {token}: the signed-in user joins the invitation's workspace.
import { services } from '../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { AcceptSchema, parse, teamAction } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const { token } = parse(AcceptSchema, await readJson(req));
  const r = await teamAction(() => services().team.accept(user.id, token));
  return json({ ok: true, workspaceId: r.workspaceId });
});
