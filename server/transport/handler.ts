// Registers socket event handlers. `on()` is the one way a handler is attached: its payload
// schema and its ack are checked against the protocol's event map at compile time, the payload
// is parsed with zod before anything else, failures answer `{ ok: false, code }`, and no
// exception escapes into socket.io.
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack, AckFn, ErrorCode } from '../protocol';

export class ClientError extends Error {
  constructor(readonly code: ErrorCode, message?: string) {
    super(message ?? code);
  }
}

type EventFn = (...args: never[]) => void;
/** The payload of an event of the protocol (its first parameter). */
export type PayloadOf<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
/** What a successful ack carries besides `ok: true` (nothing for events without an ack). */
export type AckBodyOf<F> = F extends (payload: never, ack: infer A) => void ? (NonNullable<A> extends AckFn<infer T> ? T : Record<string, never>) : Record<string, never>;

export interface HandlerOptions {
  /** False (or a promise of it) refuses the event with 'rate_limited' before it is parsed. */
  limiter?: () => boolean | Promise<boolean>;
  onError?: (err: unknown) => void;
}

/** Events refused by rate limits in this process, by event name (for /metrics). */
const refused = new Map<string, number>();
export const rateLimitedCounts = (): ReadonlyMap<string, number> => refused;

export function on<L extends { [K in keyof L]: EventFn }, E extends keyof L & string>(
  socket: Socket<L, never, never, unknown>,
  event: E,
  schema: z.ZodType<PayloadOf<L[E]>>,
  fn: (payload: PayloadOf<L[E]>) => Promise<AckBodyOf<L[E]>> | AckBodyOf<L[E]>,
  opts: HandlerOptions = {},
): void {
  // The listener takes any payload on purpose (it parses it), which socket.io's typed `on`
  // cannot express for a generic event name.
  (socket as unknown as { on(event: string, fn: (...args: unknown[]) => void): void }).on(event, (payload: unknown, maybeAck?: unknown) =>
    handleEvent(event, schema, fn, opts.limiter, opts.onError, payload, maybeAck),
  );
}

/**
 * One event, start to finish: rate limit, parse, run, ack. Shared by `on()` and the
 * `EventRouter` (server/transport/event-router.ts).
 */
export async function handleEvent<P, R extends object>(
  event: string,
  schema: z.ZodType<P>,
  fn: (payload: P) => Promise<R> | R,
  limiter: (() => boolean | Promise<boolean>) | undefined,
  onError: ((err: unknown) => void) | undefined,
  payload: unknown,
  maybeAck: unknown,
): Promise<void> {
  // socket.io hands over whatever the client sent: the ack may be missing or not a function.
  const ack = typeof maybeAck === 'function' ? (maybeAck as (res: Ack<object>) => void) : noAck;
  try {
    if (limiter && !(await limiter())) {
      refused.set(event, (refused.get(event) ?? 0) + 1);
      return ack({ ok: false, code: 'rate_limited' });
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return ack({ ok: false, code: 'bad_request', message: first ? `${first.path.join('.') || 'payload'}: ${first.message}` : undefined });
    }
    const result = await fn(parsed.data);
    ack({ ok: true, ...result });
  } catch (err) {
    if (err instanceof ClientError) return ack({ ok: false, code: err.code, message: err.message });
    onError?.(err);
    ack({ ok: false, code: 'internal' });
  }
}

const noAck = (): void => {};

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
