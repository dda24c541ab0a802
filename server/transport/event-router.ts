// Handlers shared by every socket of a namespace. `on()` (handler.ts) gives each socket closures
// of its own: right for the few dashboard sockets, too dear for tens of thousands of visitor
// sockets, where each closure, its context and the name tsx gives it cost hundreds of bytes. A
// socket attached to a router holds two references to functions made once per router (an
// `onAny` dispatcher and a `disconnect` listener) and nothing else until it uses an area that
// wires handlers of its own (calls, chat).
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { handleEvent, type AckBodyOf, type PayloadOf } from './handler';

type EventFn = (...args: never[]) => void;
type AnySocket = Socket<never, never, never, unknown>;

interface Route<S> {
  schema: z.ZodType<unknown>;
  fn: (socket: S, payload: unknown) => Promise<object> | object;
  limiter?: (socket: S) => boolean | Promise<boolean>;
  onError?: (err: unknown) => void;
}

export interface RouteOptions<S> {
  /** False (or a promise of it) refuses the event with 'rate_limited' before it is parsed. */
  limiter?: (socket: S) => boolean | Promise<boolean>;
  onError?: (err: unknown) => void;
}

export class EventRouter<L extends { [K in keyof L]: EventFn }, S extends AnySocket> {
  private readonly routes = new Map<string, Route<S>>();
  private readonly lazy: { prefix: string; wire: (socket: S) => void }[] = [];
  /** Which lazy areas a socket has been wired for (only sockets that used one are here). */
  private readonly wired = new WeakMap<S, Set<string>>();
  private readonly disconnects: ((socket: S, reason: string) => void)[] = [];
  // socket.io calls both with the socket as `this`: one function serves every socket.
  private readonly dispatch: (this: S, event: unknown, ...args: unknown[]) => void;
  private readonly disconnected: (this: S, reason: string) => void;

  constructor() {
    const router = this;
    this.dispatch = function (this: S, event: unknown, ...args: unknown[]) {
      if (typeof event === 'string') router.receive(this, event, args);
    };
    this.disconnected = function (this: S, reason: string) {
      for (const fn of router.disconnects) fn(this, reason);
    };
  }

  /** A handler for `event` on every attached socket; it gets the socket, so it needs no closure per socket. */
  route<E extends keyof L & string>(
    event: E,
    schema: z.ZodType<PayloadOf<L[E]>>,
    fn: (socket: S, payload: PayloadOf<L[E]>) => Promise<AckBodyOf<L[E]>> | AckBodyOf<L[E]>,
    opts: RouteOptions<S> = {},
  ): void {
    if (this.routes.has(event)) throw new Error(`${event} is routed twice`);
    // The route table is keyed by name; the schema and the handler agree on the payload type.
    this.routes.set(event, { schema, fn: fn as Route<S>['fn'], limiter: opts.limiter, onError: opts.onError });
  }

  /**
   * Runs `wire(socket)` on a socket's first event named `<prefix>...`, before that event is
   * handled: `wire` may register handlers of its own with `on()`, and they receive that event.
   */
  wireOnFirst(prefix: string, wire: (socket: S) => void): void {
    this.lazy.push({ prefix, wire });
  }

  /** Called for every attached socket that disconnects, in the order registered. */
  onDisconnect(fn: (socket: S, reason: string) => void): void {
    this.disconnects.push(fn);
  }

  attach(socket: S): void {
    socket.onAny(this.dispatch);
    // The reserved event's typed listener cannot name `this`; it is the socket (socket.io's emitter).
    (socket as unknown as { on(event: 'disconnect', fn: (this: S, reason: string) => void): void }).on('disconnect', this.disconnected);
  }

  /** `onAny` listeners run before socket.io dispatches to `on()` listeners (socket.io's `onevent`). */
  private receive(socket: S, event: string, args: unknown[]): void {
    const route = this.routes.get(event);
    if (route) {
      const limiter = route.limiter;
      void handleEvent(event, route.schema, (p) => route.fn(socket, p), limiter && (() => limiter(socket)), route.onError, args[0], args[1]);
      return;
    }
    for (const { prefix, wire } of this.lazy) {
      if (!event.startsWith(prefix)) continue;
      let done = this.wired.get(socket);
      if (done?.has(prefix)) continue;
      if (!done) this.wired.set(socket, (done = new Set()));
      done.add(prefix);
      wire(socket);
    }
  }
}

/**
 * A token bucket per socket (`rate` events a second, bursts up to `burst`), kept beside the
 * socket rather than in a closure of its own.
 */
export class SocketBuckets {
  private readonly state = new WeakMap<object, { tokens: number; last: number }>();

  constructor(private readonly rate: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  take(socket: object): boolean {
    const t = this.now();
    let b = this.state.get(socket);
    if (!b) this.state.set(socket, (b = { tokens: this.burst, last: t }));
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.last) / 1000) * this.rate);
    b.last = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
