// POST /api/workspaces/current {workspaceId}: switch the signed-in user's current workspace
// (the Team page, new sites and the assignment setting follow it). Not a member: 404.
import { z } from 'zod';
import { services } from '../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { PathId, parse, teamAction } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

const SwitchSchema = z.object({ workspaceId: PathId }).strict();

export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const { workspaceId } = parse(SwitchSchema, await readJson(req));
  await teamAction(() => services().team.switchTo(user.id, workspaceId));
  return json({ ok: true, workspaceId });
});
