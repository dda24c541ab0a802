// Readable text for the errors better-auth's client hands back ({ code, message, status }).

export interface AuthClientError {
  code?: string | undefined;
  message?: string | undefined;
  status?: number | undefined;
}

export const NETWORK_ERROR = 'Could not reach Porchlight. Check your connection and try again.';

/** The server's own sentence when it wrote one for people (our hooks do), else `fallback`. */
export function authErrorText(err: AuthClientError, fallback: string): string {
  if (err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (err.status === 401 || err.code === 'UNAUTHORIZED') return 'You are signed out. Reload the page and log in again.';
  return err.message?.trim() || fallback;
}
