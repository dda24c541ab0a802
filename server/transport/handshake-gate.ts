// The first gate of every socket, on the engine.io handshake (before any namespace): a visitor
// connection needs a known site key and an Origin that site allows; a dashboard connection (no
// key) only comes from the dashboard's own origins (a foreign page could otherwise ride the
// agent's cookie). Namespace middleware checks the rest (session, visitor token).
import type http from 'node:http';
import type { SiteStore } from '../sites/site-store';
import type { InstallMonitor } from '../sites/install-monitor';
import { isOriginAllowed, normalizeOrigin } from '../sites/origins';
import { siteKeyOf } from './visitor-namespace';

export interface GateDeps {
  sites: Pick<SiteStore, 'accessByKey'>;
  dashboardOrigins: () => readonly string[];
  log: (msg: string, err?: unknown) => void;
  /** Hears accepted and refused visitor handshakes (memory only; written in batches). */
  monitor?: Pick<InstallMonitor, 'seen' | 'refused'>;
}

export function handshakeGate(d: GateDeps): (req: http.IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) => void {
  return (req, cb) => {
    const key = siteKeyOf(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
    const origin = req.headers.origin;
    if (!key) {
      const ok = !origin || d.dashboardOrigins().includes(origin);
      cb(ok ? null : 'forbidden', ok);
      return;
    }
    d.sites.accessByKey(key).then(
      (access) => {
        if (!access) return cb('unknown site key', false);
        if (!isOriginAllowed(origin, access.allowedOrigins)) {
          // Only real web origins are worth listing (and allowing); "null" and junk are not.
          const o = origin ? normalizeOrigin(origin) : null;
          if (o) d.monitor?.refused(access.siteId, o);
          return cb('origin not allowed for this site', false);
        }
        if (origin) d.monitor?.seen(access.siteId, normalizeOrigin(origin) ?? origin);
        cb(null, true);
      },
      (err: unknown) => {
        d.log('site lookup failed', err);
        cb('internal', false);
      },
    );
  };
}
