// A minimal browser page in a Node vm context, for unit-testing the built snippet without a
// browser: it records every console call and every exception that would reach the page, and
// its WebSocket is a fake the test drives as the server (engine.io/socket.io text frames).
// Real-browser behaviour is covered by the end-to-end tests; this checks the bundle's contract.
import vm from 'node:vm';

type Listener = (ev: Record<string, unknown>) => void;

class Target {
  private listeners: Record<string, Listener[]> = {};
  constructor(private readonly errors: unknown[]) {}
  addEventListener = (type: string, fn: Listener): void => {
    (this.listeners[type] ??= []).push(fn);
  };
  removeEventListener = (type: string, fn: Listener): void => {
    this.listeners[type] = (this.listeners[type] ?? []).filter((f) => f !== fn);
  };
  dispatch(type: string, ev: Record<string, unknown> = {}): void {
    for (const fn of this.listeners[type] ?? []) {
      try {
        fn({ type, ...ev });
      } catch (err) {
        this.errors.push(err);
      }
    }
  }
}

export class FakeWebSocket {
  readonly sent: string[] = [];
  readyState = 0;
  binaryType = 'blob';
  onopen?: () => void;
  onmessage?: (ev: { data: string }) => void;
  onclose?: (ev: { code: number; reason: string }) => void;
  onerror?: (ev: unknown) => void;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1000, reason: '' });
  }
  /** Server side: accept the connection and send engine.io's open packet. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.();
    this.onmessage?.({ data: '0{"sid":"fake-sid","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' });
  }
  /** Server side: a socket.io packet for the /visitor namespace, e.g. '0{"sid":"x"}' (connect). */
  toClient(packet: string): void {
    this.onmessage?.({ data: `4${packet.slice(0, 1)}/visitor,${packet.slice(1)}` });
  }
  /** The socket.io events the snippet sent: [name, payload]. */
  events(): [string, unknown][] {
    return this.sent.flatMap((f) => {
      const m = /^42\/visitor,\d*(\[.*)$/s.exec(f);
      return m ? [JSON.parse(m[1]!) as [string, unknown]] : [];
    });
  }
  /** The handshake `auth` of the socket.io CONNECT packet. */
  handshake(): unknown {
    const f = this.sent.find((x) => x.startsWith('40/visitor,'));
    return f ? JSON.parse(f.slice('40/visitor,'.length)) : undefined;
  }
}

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, String(v)),
    removeItem: (k: string) => void m.delete(k),
  };
}

export interface FakePageOptions {
  url: string;
  title?: string;
  referrer?: string;
  scriptSrc: string;
  siteKey: string;
  /** Calls page code made to the install tag's stub before the snippet loaded. */
  queued?: unknown[][];
  /** Storage that throws on access, as in sandboxed iframes. */
  storageThrows?: boolean;
}

export function fakePage(o: FakePageOptions) {
  const errors: unknown[] = [];
  const consoleCalls: unknown[][] = [];
  const win = new Target(errors);
  const doc = new Target(errors);
  const script = { src: o.scriptSrc, getAttribute: (n: string) => (n === 'data-site' ? o.siteKey : null) };
  const loc = new URL(o.url);
  const location = {
    get href() {
      return loc.href;
    },
    get origin() {
      return loc.origin;
    },
    get search() {
      return loc.search;
    },
    get protocol() {
      return loc.protocol;
    },
  };
  const document = {
    title: o.title ?? '',
    referrer: o.referrer ?? '',
    visibilityState: 'visible',
    currentScript: null as unknown,
    querySelector: (sel: string) => (sel === 'script[data-site]' ? script : null),
    head: { appendChild: () => {} },
    createElement: () => ({ setAttribute: () => {} }),
    addEventListener: doc.addEventListener,
    removeEventListener: doc.removeEventListener,
  };
  const history = {
    pushState(_s: unknown, _t: string, url?: string) {
      if (url) loc.href = new URL(url, loc.href).href;
    },
    replaceState(_s: unknown, _t: string, url?: string) {
      if (url) loc.href = new URL(url, loc.href).href;
    },
  };
  // Timers run their callbacks the way a browser would: an exception goes to the page.
  const wrap =
    (fn: (...a: unknown[]) => void) =>
    (...a: unknown[]) => {
      try {
        fn(...a);
      } catch (err) {
        errors.push(err);
      }
    };
  const sockets: FakeWebSocket[] = [];
  const PageWebSocket = class extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  };
  const spy = (...args: unknown[]) => void consoleCalls.push(args);
  const context: Record<string, unknown> = {
    document,
    location,
    history,
    navigator: { language: 'de-DE', userAgent: 'fake' },
    screen: { width: 1440, height: 900 },
    console: { log: spy, info: spy, warn: spy, error: spy, debug: spy },
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...a: unknown[]) => setTimeout(wrap(fn), ms, ...a),
    clearTimeout,
    setInterval: (fn: (...a: unknown[]) => void, ms?: number) => setInterval(wrap(fn), ms),
    clearInterval,
    addEventListener: win.addEventListener,
    removeEventListener: win.removeEventListener,
    WebSocket: PageWebSocket,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    crypto: globalThis.crypto,
  };
  if (o.storageThrows) {
    for (const k of ['localStorage', 'sessionStorage'])
      Object.defineProperty(context, k, {
        get() {
          throw new Error('SecurityError: storage is disabled');
        },
      });
  } else {
    context.localStorage = memoryStorage();
    context.sessionStorage = memoryStorage();
  }
  if (o.queued) {
    const stub = Object.assign(() => {}, { q: o.queued });
    context.Porchlight = stub;
  }
  vm.createContext(context);
  context.window = context.self = vm.runInContext('this', context);

  return {
    window: context as Record<string, unknown> & { Porchlight?: (...a: unknown[]) => void },
    document,
    history,
    console: consoleCalls,
    errors,
    /** WebSockets the page opened, oldest first. */
    sockets,
    /** Runs the snippet as the async <script> tag would (currentScript set while it runs). */
    load(code: string): void {
      document.currentScript = script;
      try {
        vm.runInContext(code, context);
      } catch (err) {
        errors.push(err);
      } finally {
        document.currentScript = null;
      }
    },
    dispatch(target: 'window' | 'document', type: string, ev?: Record<string, unknown>): void {
      (target === 'window' ? win : doc).dispatch(type, ev);
    },
  };
}
