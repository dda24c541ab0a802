// Every HTTP request that is not socket.io's: the snippet files (any origin), agents' pictures,
// auth (with the client address better-auth limits on), metrics, health, then the dashboard
// (Next.js) with its security headers. Cross-origin writes to /api are refused here, before any
// handler runs.
import type http from 'node:http';
import { isIP } from 'node:net';
import { CLIENT_IP_HEADER } from '../auth';
import { clientIp } from '../visitors/client-ip';
import type { Metrics } from './metrics';
import { readiness, type Check } from './readiness';
import { setBaseHeaders, setDashboardHeaders } from './security-headers';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** A part that answers some paths itself. */
interface PathServer {
  handles(url: string): boolean;
  serve(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void>;
}

export interface RouterDeps {
  snippet: PathServer;
  avatars: PathServer;
  auth: RequestHandler;
  metrics: Metrics;
  next: RequestHandler | undefined;
  trustedProxies: readonly string[];
  dashboardOrigins: readonly string[];
  /** What /healthz says about this process. */
  health: () => Record<string, unknown>;
  ready: { db: Check; redis: Check | null };
  dev: boolean;
  log: (msg: string, err?: unknown) => void;
}

export function createRouter(d: RouterDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const headerOptions = { trustedProxies: d.trustedProxies, origins: d.dashboardOrigins, dev: d.dev };
  const failed = (res: http.ServerResponse, what: string) => (err: unknown) => {
    d.log(`${what} failed`, err);
    if (!res.headersSent) res.writeHead(500).end('Internal error');
  };
  return (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/socket.io/')) return; // handled by socket.io's own listener
    // Only this server says who the client is (better-auth keys its rate limits on it).
    delete req.headers[CLIENT_IP_HEADER];
    // Snippet files are loaded by customer pages on other origins: no dashboard policy for them.
    if (d.snippet.handles(url)) return void d.snippet.serve(req, res);
    setBaseHeaders(req, res, d.trustedProxies);
    // Agents' pictures, shown by customer pages to visitors: public, cookie-free, cross-origin.
    if (d.avatars.handles(url)) return void Promise.resolve(d.avatars.serve(req, res)).catch(failed(res, 'avatar request'));
    // Only the dashboard's own pages may change anything (no CSRF from customer sites, which
    // may be same-site with the dashboard, so SameSite cookies alone do not protect).
    const origin = req.headers.origin;
    if (url.startsWith('/api/') && req.method !== 'GET' && req.method !== 'HEAD' && origin && !d.dashboardOrigins.includes(origin)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, code: 'forbidden', message: 'cross-origin request refused' }));
      return;
    }
    if (url.startsWith('/api/auth/')) {
      const address = authClientAddress(req, d.trustedProxies);
      if (address) req.headers[CLIENT_IP_HEADER] = address;
      return void Promise.resolve(d.auth(req, res)).catch(failed(res, 'auth request'));
    }
    if (d.metrics.handle(req, res)) return;
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...d.health() }));
      return;
    }
    if (url === '/readyz') {
      void readiness(d.ready).then((r) =>
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(r)),
      );
      return;
    }
    if (d.next) {
      setDashboardHeaders(req, res, headerOptions);
      return void Promise.resolve(d.next(req, res)).catch(failed(res, 'request'));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  };
}

/** The client for better-auth's rate limits: a trusted proxy's forwarded address if it is one, else the peer. */
function authClientAddress(req: http.IncomingMessage, trustedProxies: readonly string[]): string | undefined {
  const forwarded = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
  return forwarded && isIP(forwarded) ? forwarded : clientIp(req.socket.remoteAddress, undefined, []);
}
