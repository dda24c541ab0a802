// DELETE /api/workspaces/:id {confirm}: the owner deletes the workspace and everything it owns
// (sites, their visitors' history, conversations, calls, members, invitations). `confirm` must be
// the workspace's name exactly (else 400 confirm_mismatch). Other members: 403; anyone else: 404.
// Every member's dashboards close, and the sites' keys stop working (server/transport/visitor-namespace.ts).
import { services } from '../../../../server/services';
import { assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { DELETE_WORKSPACE_MESSAGES, DeleteWorkspaceSchema, parse, pathId, teamAction } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const id = pathId((await ctx.params).id, DELETE_WORKSPACE_MESSAGES.not_found);
  const { confirm } = parse(DeleteWorkspaceSchema, await readJson(req));
  await teamAction(() => services().team.deleteWorkspace(user.id, id, confirm), DELETE_WORKSPACE_MESSAGES);
  return json({ ok: true, next: '/sites' });
});
