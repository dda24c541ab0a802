// POST /api/team/invitations: invite someone by email and role. The answer carries the link.
import { services } from '../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { InviteSchema, parse, teamAction } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const input = parse(InviteSchema, await readJson(req));
  const r = await teamAction(() => services().team.invite(user.id, input));
  return json({ ok: true, ...r }, 201);
});
