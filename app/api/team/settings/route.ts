// PATCH /api/team/settings {assignmentMode}: how new visitor conversations get an agent.
// Owners and admins of the current workspace only.
import { z } from 'zod';
import { can } from '../../../../server/access/access';
import { ASSIGNMENT_MODES } from '../../../../server/chat/assignment';
import { services } from '../../../../server/services';
import { HttpError, assertSameOrigin, json, readJson, route, sessionUser } from '../../../lib/http';
import { parse } from '../../../lib/team-http';

export const dynamic = 'force-dynamic';

const SettingsSchema = z.object({ assignmentMode: z.enum(ASSIGNMENT_MODES, { message: 'Choose round-robin or first to reply' }) }).strict();

export const PATCH = route(async (req: Request) => {
  assertSameOrigin(req);
  const user = await sessionUser(req);
  const s = services();
  const ws = await s.team.workspaceOf(user.id);
  if (!ws) throw new HttpError('not_found', 'You are not in a workspace.');
  if (!can(ws.role, 'workspace:settings')) throw new HttpError('forbidden', 'Only owners and admins can change how conversations are assigned.');
  const { assignmentMode } = parse(SettingsSchema, await readJson(req));
  await s.assignment.setMode(ws.id, assignmentMode);
  return json({ ok: true, assignmentMode });
});
