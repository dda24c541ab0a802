// POST /api/team/transfer {userId}: the owner hands the current workspace to another member, who
// becomes the owner; the caller becomes an admin. Both users' open dashboards reconnect with their
// new role (server/transport/agent-namespace.ts). Not the owner: 403; not a member: 404.
import { services } from '../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { TRANSFER_MESSAGES, TransferSchema, parse, teamAction } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const { userId } = parse(TransferSchema, await readJson(req));
  const r = await teamAction(() => services().team.transferOwnership(user.id, userId), TRANSFER_MESSAGES);
  return json({ ok: true, workspaceId: r.workspaceId, owner: userId, role: 'admin' });
});
