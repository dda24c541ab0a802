// The team routes' shared edge: request bodies (zod, capped) and the domain's codes in English.
import { z } from 'zod';
import { isTeamError, type TeamError } from '../../server/team/team-service';
import { HttpError } from './http';

const TEAM_MESSAGES: Partial<Record<TeamError['code'], string>> = {
  not_found: 'No such member or invitation in your workspace.',
  forbidden: 'Only the owner and admins can manage the team, and nobody can change the owner here.',
  gone: 'This invitation can no longer be used.',
};

type Messages = Partial<Record<TeamError['code'], string>>;

/** Runs a team action; a domain refusal becomes the HTTP error a user can read (`messages` says it for this action). */
export async function teamAction<T>(fn: () => Promise<T>, messages: Messages = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isTeamError(err)) throw new HttpError(err.code, messages[err.code] ?? TEAM_MESSAGES[err.code] ?? 'That did not work.');
    throw err;
  }
}

export const TRANSFER_MESSAGES: Messages = {
  not_found: 'That person is not a member of this workspace.',
  forbidden: 'Only the owner can transfer ownership of the workspace.',
  invalid_state: 'Ownership cannot go to that person now (you may already have handed it on). Reload the page.',
};

export const DELETE_WORKSPACE_MESSAGES: Messages = {
  not_found: 'No such workspace.',
  forbidden: 'Only the owner can delete the workspace.',
  confirm_mismatch: 'Type the name of the workspace exactly as it is written to delete it.',
};

export const InviteSchema = z.object({
  email: z.string().trim().max(254, 'That email is too long').email('Enter a valid email address'),
  role: z.enum(['admin', 'agent'], { message: 'Choose admin or agent' }),
});
export const RoleSchema = z.object({ role: z.enum(['admin', 'agent'], { message: 'Choose admin or agent' }) });
export const AcceptSchema = z.object({ token: z.string().min(10).max(200) });
/** Ids in paths: the shape our ids have, so nothing odd reaches a query. */
export const PathId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/);
const MEMBER = 'Choose a member of this workspace';
export const TransferSchema = z.object({ userId: z.string({ message: MEMBER }).min(1, MEMBER).max(100, MEMBER).regex(/^[A-Za-z0-9_-]+$/, MEMBER) }).strict();
/** The workspace's name, typed to confirm; compared exactly (no trimming). */
export const DeleteWorkspaceSchema = z.object({ confirm: z.string({ message: 'Type the name of the workspace to confirm' }).max(500, 'That is longer than any workspace name') }).strict();

export function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  throw new HttpError('bad_request', Object.values(fields)[0] ?? 'Invalid request.', 400, fields);
}

export function pathId(raw: string, notFound = TEAM_MESSAGES.not_found ?? 'Not found.'): string {
  if (!PathId.safeParse(raw).success) throw new HttpError('not_found', notFound);
  return raw;
}
