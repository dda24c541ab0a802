// The server's answers to the chat requests of the dashboard: how long to wait for them, which
// failures are worth another try, and what the others tell the agent.
import type { ErrorCode } from '../../server/protocol';

export const ACK_TIMEOUT_MS = 10_000;
/** A send waits this long for its ack before it goes again (same id: never twice). */
export const SEND_TIMEOUT_MS = 15_000;
export const RETRY_MS = 3_000;

/** Failures that pass by themselves: the same request goes again after RETRY_MS. */
export function isTransient(code: ErrorCode): boolean {
  return code === 'rate_limited' || code === 'internal';
}

const ERROR_TEXT: Partial<Record<ErrorCode, string>> = {
  rate_limited: 'You are sending messages too fast. Wait a moment, then send again.',
  forbidden: 'This conversation is not available to your account.',
  not_found: 'This conversation no longer exists.',
  bad_request: 'This message could not be sent (it may be too long).',
  invalid_state: 'This conversation cannot take messages right now.',
  unauthorized: 'Your session has expired. Log in again.',
};

export function errorText(res: { code: ErrorCode; message?: string }, fallback: string): string {
  return ERROR_TEXT[res.code] ?? fallback;
}

