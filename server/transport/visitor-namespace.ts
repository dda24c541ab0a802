// /visitor: sockets opened by the embed snippet on customer pages. A visitor socket may only
// report its own presence; its site and identity come from the handshake, never from payloads.
import type { Namespace, Socket } from 'socket.io';
import type { HistoryWriter } from '../history/writer';
import type { PresenceEngine } from '../presence/engine';
import { sourceOf } from '../presence/source';
import type { VisitorClientEvents, VisitorHandshake, VisitorServerEvents } from '../protocol';
import { isOriginAllowed } from '../sites/origins';
import type { SiteStore } from '../sites/site-store';
import { clientIp } from '../visitors/client-ip';
import { deviceFromUserAgent } from '../visitors/device';
import type { CountryLookup } from '../visitors/geo';
import { handle, tokenBucket } from './handler';
import { IdentifySchema, VisitorHandshakeSchema, VisitorPageSchema, VisitorStateSchema } from './schemas';

export interface VisitorSocketData {
  siteId: string;
  visitorId: string;
  tabId: string;
  visitId: string;
}

export type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;

export interface VisitorDeps {
  sites: SiteStore;
  presence: PresenceEngine;
  history: HistoryWriter;
  country: CountryLookup;
  trustedProxies: string[];
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** More handlers for each connected visitor socket (calls). */
  onConnection?: (socket: VisitorSocket) => void;
}

/** The site key travels in the engine.io query so the HTTP-level check can see it. */
export function siteKeyOf(query: unknown): string | null {
  const k = (query as Record<string, unknown> | undefined)?.k;
  return typeof k === 'string' && k.length > 0 && k.length <= 64 ? k : null;
}

export function attachVisitorNamespace(nsp: Namespace, deps: VisitorDeps): void {
  const { presence, history } = deps;
  // The handshake parsed by the middleware, handed to the connection handler (parsed once, not kept).
  const parsedHandshake = new WeakMap<object, VisitorHandshake>();

  nsp.use(async (socket, next) => {
    try {
      const key = siteKeyOf(socket.handshake.query);
      const access = key ? await deps.sites.accessByKey(key) : null;
      if (!access) return next(new Error('unauthorized'));
      if (!isOriginAllowed(socket.handshake.headers.origin, access.allowedOrigins)) return next(new Error('forbidden'));
      const hs = VisitorHandshakeSchema.safeParse(socket.handshake.auth);
      if (!hs.success) return next(new Error('bad_request'));
      socket.data = { siteId: access.siteId, visitorId: hs.data.visitorId, tabId: hs.data.tabId, visitId: hs.data.visitId };
      parsedHandshake.set(socket, hs.data);
      next();
    } catch (err) {
      deps.log('visitor handshake failed', err);
      next(new Error('internal'));
    }
  });

  nsp.on('connection', (raw) => {
    const socket = raw as VisitorSocket;
    const { siteId, visitorId, tabId, visitId } = socket.data;
    const hs = parsedHandshake.get(raw);
    parsedHandshake.delete(raw);
    if (!hs) return void socket.disconnect(true);
    const now = deps.now();
    const device = deviceFromUserAgent(socket.handshake.headers['user-agent']);
    const country = deps.country(clientIp(socket.conn.remoteAddress, socket.handshake.headers['x-forwarded-for'], deps.trustedProxies));
    const { newVisit, pageViewed } = presence.connectTab({ siteId, visitorId, tabId, visitId, visitStartedAt: hs.visitStartedAt, visitCount: hs.visitCount, page: hs.page, referrer: hs.referrer, utm: hs.utm, language: hs.language, timeZone: hs.timeZone, state: hs.state, device, country });
    const key = { siteId, visitorKey: visitorId, visitKey: visitId };
    if (newVisit) {
      history.push({ kind: 'visit', ...key, at: now, startedAt: Math.min(now, hs.visitStartedAt), landing: hs.page, referrer: hs.referrer, source: sourceOf(hs.referrer, hs.utm, hs.page.url), utm: hs.utm, country, device });
    }
    if (pageViewed) history.push({ kind: 'page', ...key, page: hs.page, at: now });

    const limiter = tokenBucket(10, 30);
    const onError = (err: unknown) => deps.log('visitor event failed', err);

    socket.on(
      'visitor:page',
      handle(VisitorPageSchema, (p) => {
        const page = { url: p.url, title: p.title };
        // History keeps page views; a title that changes on the same URL only updates the live row.
        if (presence.pageView(siteId, visitorId, tabId, page) === 'viewed') history.push({ kind: 'page', ...key, page, at: deps.now() });
        return {};
      }, { limiter, onError }),
    );
    socket.on(
      'visitor:state',
      handle(VisitorStateSchema, (p) => {
        presence.setTabState(siteId, visitorId, tabId, p.state);
        return {};
      }, { limiter, onError }),
    );
    socket.on(
      'visitor:identify',
      handle(IdentifySchema, (p) => {
        presence.identify(siteId, visitorId, { name: p.name, email: p.email, attributes: p.attributes ?? {} });
        history.push({ kind: 'identify', siteId, visitorKey: visitorId, name: p.name, email: p.email, attributes: p.attributes });
        return {};
      }, { limiter, onError }),
    );
    socket.on('disconnect', () => {
      presence.disconnectTab(siteId, visitorId, tabId);
      history.push({ kind: 'seen', ...key, at: deps.now() });
    });
    deps.onConnection?.(socket);
  });
}
