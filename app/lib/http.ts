// Helpers for the JSON route handlers: session from the request, capped JSON bodies,
// and errors shaped { ok: false, code, message }.
import { z } from 'zod';
import type { ErrorCode } from '../../server/protocol';
import { services } from '../../server/services';
import { SiteInputSchema } from '../../server/sites/site-input';

/** Site forms are tiny; anything bigger is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  busy: 409,
  gone: 410,
  invalid_state: 409,
  confirm_mismatch: 400,
  internal: 500,
};

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = STATUS[code],
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

const noStore = { 'cache-control': 'no-store' };

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: noStore });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) {
    return json({ ok: false, code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) }, err.status);
  }
  console.error('[porchlight] request failed', err);
  return json({ ok: false, code: 'internal', message: 'Something went wrong on our side.' }, 500);
}

/** Wraps a handler so that every failure becomes a JSON error response. */
export function route<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** The user of the request's session cookie; 401 without one. */
export async function sessionUser(req: Request): Promise<{ id: string }> {
  const session = await services().auth.api.getSession({ headers: req.headers });
  if (!session) throw new HttpError('unauthorized', 'Sign in to continue.');
  return { id: session.user.id };
}

/**
 * Mutations only from our own pages: a browser always sends Origin on POST/PATCH, and it must be
 * this server's. (Session cookies are SameSite=Lax too; this is the second lock.)
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  if (!origin) return; // not a browser (curl, server-to-server): the cookie still has to be valid
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpError('forbidden', 'Cross-site request refused.');
  }
  const sameHost = !!host && originHost === host;
  if (!sameHost && origin !== new URL(services().publicUrl).origin) throw new HttpError('forbidden', 'Cross-site request refused.');
}

/** Reads a JSON body of at most MAX_BODY_BYTES, counting the bytes actually received. */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError('bad_request', 'Send the body as application/json.');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new HttpError('bad_request', 'The request body is too large.', 413);
  if (!req.body) throw new HttpError('bad_request', 'The request body is empty.');
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new HttpError('bad_request', 'The request body is too large.', 413);
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError('bad_request', 'The request body is not valid JSON.');
  }
}

/** The site form accepts origins as an array or as text with one origin per line. */
const SiteBodySchema = z.preprocess((raw) => {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (typeof o.allowedOrigins === 'string') {
      return { ...o, allowedOrigins: o.allowedOrigins.split(/[\r\n,]+/).map((x) => x.trim()).filter(Boolean) };
    }
  }
  return raw;
}, SiteInputSchema);

/** Validates a site form; 400 with one message per field otherwise. */
export function parseSiteInput(body: unknown): z.output<typeof SiteInputSchema> {
  const r = SiteBodySchema.safeParse(body);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    // One line per invalid origin: the form lists them all.
    if (key === 'allowedOrigins' && issue.code === 'custom' && fields[key] && !fields[key].startsWith('Invalid input')) fields[key] += `\n${issue.message}`;
    else fields[key] ??= issue.path[0] === undefined ? 'Send a JSON object with name and allowedOrigins.' : issue.message;
  }
  if (fields.name?.startsWith('Invalid input')) fields.name = 'Name is required';
  if (fields.allowedOrigins?.startsWith('Invalid input')) fields.allowedOrigins = 'Add at least one allowed origin';
  if (fields.chatGreeting?.startsWith('Invalid input') || fields.chatGreeting?.startsWith('Too big')) fields.chatGreeting = 'The greeting is at most 500 characters';
  if (fields.chatSneakPeek) fields.chatSneakPeek = 'Sneak peek is on or off';
  const message = Object.values(fields)[0] ?? 'Invalid site.';
  throw new HttpError('bad_request', message, 400, fields);
}
