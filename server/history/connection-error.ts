/**
 * Whether an error means the database could not be reached (retry later) rather than that it
 * refused the statement (retrying would fail again): node-postgres connection errors, and
 * PostgreSQL's connection-exception (08) and shutdown / crash (57P) classes.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ENOENT|EHOSTUNREACH|08...|57P0[1-3])$/.test(code)) return true;
  if (/Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|not queryable|Client was closed/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
}
