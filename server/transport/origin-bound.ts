// An engine.io session belongs to the page that opened it: every later request of the session
// (long-polling, or the upgrade to WebSocket) must come from the same Origin. Otherwise a session
// id obtained by an allowed page would work for any other origin, skipping the site's allowed
// origins (and the dashboard's same-origin rule). Browsers may leave Origin out of same-origin
// GETs, so a request without one passes; a cross-origin browser request always carries it.
import type http from 'node:http';

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: Error) => void) => void;

export interface EngineSessions {
  /** engine.io's open sessions by id, each with the request that opened it. */
  clients: Record<string, { request: http.IncomingMessage }>;
  use(fn: Middleware): void;
}

export function bindSessionsToOrigin(engine: EngineSessions, dashboardOrigins: () => string[]): void {
  engine.use((req, _res, next) => {
    const sid = new URL(req.url ?? '/', 'http://x').searchParams.get('sid');
    const origin = req.headers.origin;
    // The Origin the session was opened with ('' for none), read from engine.io's own session
    // table: nothing is kept per connection here.
    // Own keys only: a sid such as "__proto__" names no session.
    const session = sid && Object.hasOwn(engine.clients, sid) ? engine.clients[sid] : undefined;
    if (!session || !origin) return next();
    const opened = session.request.headers.origin ?? '';
    // Only dashboard sessions open without an Origin (same-origin pages): later, the dashboard's own.
    const ok = opened ? origin === opened : dashboardOrigins().includes(origin);
    next(ok ? undefined : new Error('this session belongs to another origin'));
  });
}
