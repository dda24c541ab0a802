// Structured logs (pino): JSON lines in production, readable lines in a terminal. LOG_LEVEL sets
// the level (default info; tests pass a silent logger).
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(o: { level?: string; pretty?: boolean } = {}): Logger {
  const level = o.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty = o.pretty ?? (process.stdout.isTTY && process.env.NODE_ENV !== 'production');
  return pino({
    level,
    base: { pid: process.pid },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid' } } } : {}),
  });
}

/** The `(msg, err)` callback the modules take, writing to a logger (errors at error level). */
export function logFn(logger: Logger): (msg: string, err?: unknown) => void {
  return (msg, err) => (err === undefined ? logger.info(msg) : logger.error({ err }, msg));
}
