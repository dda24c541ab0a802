// An engine.io session belongs to the page that opened it: every later request of the session
// (long-polling, or the upgrade to WebSocket) must come from the same Origin. Otherwise a session
// id obtained by an allowed page would work for any other origin, skipping the site's allowed
// origins (and the dashboard's same-origin rule). Browsers may leave Origin out of same-origin
// GETs, so a request without one passes; a cross-origin browser request always carries it.
import type http from 'node:http';

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: Error) => void) => void;

interface EngineLike {
  on(event: 'connection', fn: (socket: { id: string; request: http.IncomingMessage; once(event: 'close', fn: () => void): void }) => void): void;
  use(fn: Middleware): void;
}

export function bindSessionsToOrigin(engine: EngineLike, dashboardOrigins: () => string[]): void {
  /** The Origin each open session was opened with ('' for none). */
  const openedWith = new Map<string, string>();
  engine.on('connection', (socket) => {
    openedWith.set(socket.id, socket.request.headers.origin ?? '');
    socket.once('close', () => openedWith.delete(socket.id));
  });
  engine.use((req, _res, next) => {
    const sid = new URL(req.url ?? '/', 'http://x').searchParams.get('sid');
    const origin = req.headers.origin;
    const opened = sid ? openedWith.get(sid) : undefined;
    if (opened === undefined || !origin) return next();
    // Only dashboard sessions open without an Origin (same-origin pages): later, the dashboard's own.
    const ok = opened ? origin === opened : dashboardOrigins().includes(origin);
    next(ok ? undefined : new Error('this session belongs to another origin'));
  });
}
