// The team API as the Team and invitation pages call it: same-origin JSON, errors as
// { ok: false, code, message }. Every failure comes back as a message to show, never a throw.

export type ApiResult<T> = ({ ok: true } & T) | { ok: false; code: string; message: string; fields?: Record<string, string> };

const OFFLINE = 'Could not reach Porchlight. Check your connection and try again.';

export async function teamRequest<T extends object>(url: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, code: 'offline', message: OFFLINE };
  }
  const parsed = (await res.json().catch(() => null)) as ApiResult<T> | null;
  if (parsed && typeof parsed === 'object' && 'ok' in parsed) {
    if (parsed.ok && res.ok) return parsed;
    if (!parsed.ok) return { ...parsed, message: parsed.message || fallback(res.status) };
  }
  return { ok: false, code: res.status === 401 ? 'unauthorized' : 'internal', message: fallback(res.status) };
}

function fallback(status: number): string {
  if (status === 401) return 'Your session ended. Sign in again to continue.';
  if (status === 403) return 'Your role does not allow this.';
  if (status === 404) return 'This no longer exists. Reload the page.';
  if (status === 429) return 'Too many attempts. Wait a minute and try again.';
  return 'Something went wrong on our side. Try again.';
}
