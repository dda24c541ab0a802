// Wraps a socket event handler: validates the payload with zod, answers through the ack with
// `{ ok: false, code }` on bad input or failure, and never lets an exception escape.
import type { z } from 'zod';
import type { Ack, ErrorCode } from '../protocol';

export class ClientError extends Error {
  constructor(readonly code: ErrorCode, message?: string) {
    super(message ?? code);
  }
}

type AnyAck = (res: Ack<object>) => void;

export function handle<S extends z.ZodType, R extends object>(
  schema: S,
  fn: (payload: z.infer<S>) => Promise<R> | R,
  opts: { limiter?: () => boolean; onError?: (err: unknown) => void } = {},
) {
  return async (payload: unknown, maybeAck?: unknown): Promise<void> => {
    const ack: AnyAck = typeof maybeAck === 'function' ? (maybeAck as AnyAck) : () => {};
    if (opts.limiter && !opts.limiter()) return ack({ ok: false, code: 'rate_limited' });
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return ack({ ok: false, code: 'bad_request', message: first ? `${first.path.join('.') || 'payload'}: ${first.message}` : undefined });
    }
    try {
      const result = await fn(parsed.data);
      ack({ ok: true, ...result });
    } catch (err) {
      if (err instanceof ClientError) return ack({ ok: false, code: err.code, message: err.message });
      opts.onError?.(err);
      ack({ ok: false, code: 'internal' });
    }
  };
}

/** Token bucket per socket: `rate` events a second, bursts up to `burst`. */
export function tokenBucket(rate: number, burst: number, now: () => number = Date.now): () => boolean {
  let tokens = burst;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
