// Security headers for the dashboard and the server's own routes. Never for /embed.js and
// /embed/*: customer pages on other origins load those, so a dashboard policy does not fit them.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { clientIp } from '../visitors/client-ip';

type Req = Pick<http.IncomingMessage, 'headers'> & { socket: { remoteAddress?: string; encrypted?: boolean } };
type Res = { setHeader(name: string, value: string): unknown };

export interface DashboardHeaderOptions {
  trustedProxies: readonly string[];
  /** Origins the dashboard is served from; their ws(s):// twins are allowed for socket.io. */
  origins: readonly string[];
  /** Next's dev server evaluates code (React Refresh). */
  dev: boolean;
}

/** Over TLS directly, or per X-Forwarded-Proto when (and only when) the peer is a trusted proxy. */
export function arrivedOverHttps(req: Req, trustedProxies: readonly string[]): boolean {
  if (req.socket.encrypted) return true;
  const peer = clientIp(req.socket.remoteAddress, undefined, []); // the bare peer address
  if (!peer || !trustedProxies.includes(peer)) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

export function dashboardCsp(nonce: string, o: Pick<DashboardHeaderOptions, 'origins' | 'dev'>): string {
  const sockets = o.origins.map((origin) => origin.replace(/^http/, 'ws'));
  return [
    "default-src 'self'",
    // Next puts the nonce on its own scripts; 'strict-dynamic' lets them load the route chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    // React style attributes (charts, positioning) cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    ['connect-src', "'self'", ...sockets].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers fit for any response of this server except the snippet files. */
export function setBaseHeaders(req: Req, res: Res, trustedProxies: readonly string[]): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  // Browsers ignore HSTS over plain http; sending it only over https keeps local http setups working.
  if (arrivedOverHttps(req, trustedProxies)) res.setHeader('strict-transport-security', 'max-age=31536000');
}

/**
 * The dashboard's headers, with a fresh script nonce. The policy is also put on the request
 * (replacing any the client sent): that is where Next reads the nonce for its inline scripts.
 */
export function setDashboardHeaders(req: Req, res: Res, o: DashboardHeaderOptions): void {
  const csp = dashboardCsp(randomBytes(16).toString('base64'), o);
  req.headers['content-security-policy'] = csp;
  delete req.headers['content-security-policy-report-only'];
  setBaseHeaders(req, res, o.trustedProxies);
  res.setHeader('content-security-policy', csp);
  res.setHeader('x-frame-options', 'DENY');
}
