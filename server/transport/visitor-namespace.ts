// /visitor: sockets opened by the embed snippet on customer pages. A visitor socket may only
// report its own presence; its site and identity come from the handshake, never from payloads.
import type { VisitorTokens } from '../chat/visitor-token';
import type { AbuseGate } from './abuse-gate';
import type { EventBus } from '../events/bus';
import type { HistoryWriter } from '../history/writer';
import type { PresenceEngine } from '../presence/engine';
import { sourceOf } from '../presence/source';
import type { VisitorClientEvents, VisitorHandshake } from '../protocol';
import { widgetLook, type WidgetSettings } from '../protocol/widget';
import { isOriginAllowed } from '../sites/origins';
import type { SiteStore } from '../sites/site-store';
import { addressKey } from '../visitors/abuse-limits';
import { clientIp } from '../visitors/client-ip';
import { deviceFromUserAgent } from '../visitors/device';
import type { CountryLookup } from '../visitors/geo';
import { SocketBuckets, type EventRouter } from './event-router';
import type { VisitorNamespace, VisitorSocket } from './io';
import { IdentifySchema, VisitorHandshakeSchema, VisitorPageSchema, VisitorStateSchema } from './schemas';

export interface VisitorDeps {
  sites: SiteStore;
  presence: PresenceEngine;
  history: HistoryWriter;
  country: CountryLookup;
  tokens: VisitorTokens;
  trustedProxies: string[];
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** Domain events: a deleted workspace closes its sites' visitor sockets. */
  bus: EventBus;
  /** The visitor told who they are (chat keeps it on their conversation). */
  onIdentify?: (socket: VisitorSocket, who: { name?: string; email?: string }) => void;
  /** Every visitor socket's event handlers; calls and chat wire theirs into it too. */
  events: VisitorEvents;
  /** More work for each connected visitor socket (calls, chat). */
  onConnection?: (socket: VisitorSocket) => void;
  /** Caps on connections and page views shared by every process; absent, none apply. */
  abuse?: Pick<AbuseGate, 'admitConnection' | 'admitPageView'>;
}

export type VisitorEvents = EventRouter<VisitorClientEvents, VisitorSocket>;

/** Every visitor socket of a site, on any process: what deleting the site closes. */
const siteVisitorsRooms = new Map<string, string>();
// One string per site, not one per socket (each socket's room set keeps the name it joined with).
const siteVisitorsRoom = (siteId: string): string => {
  let room = siteVisitorsRooms.get(siteId);
  if (room === undefined) siteVisitorsRooms.set(siteId, (room = `site-visitors:${siteId}`));
  return room;
};

/** The site key travels in the engine.io query so the HTTP-level check can see it. */
export function siteKeyOf(query: unknown): string | null {
  const k = (query as Record<string, unknown> | undefined)?.k;
  return typeof k === 'string' && k.length > 0 && k.length <= 64 ? k : null;
}

export function attachVisitorNamespace(nsp: VisitorNamespace, deps: VisitorDeps): void {
  const { presence, history } = deps;
  // The handshake parsed by the middleware, handed to the connection handler (parsed once, not kept).
  const parsedHandshake = new WeakMap<object, { hs: VisitorHandshake; newToken: string | null; widget: WidgetSettings }>();

  // A deleted workspace's sites: their keys stop working at once on every process (the store's
  // key-change path, server/transport/site-keys.ts), then their visitors' sockets close on every
  // process (the adapter carries it).
  deps.bus.subscribe('workspace:deleted', ({ workspaceId, siteIds }) => {
    if (siteIds.length === 0) return;
    deps.sites.keysChanged({ siteIds, retiring: [] });
    nsp.in(siteIds.map(siteVisitorsRoom)).disconnectSockets(true);
    deps.log(`workspace ${workspaceId} deleted: closed the visitor sockets of ${siteIds.length} site(s)`);
  });

  // Handlers shared by every visitor socket (event-router.ts): a socket holds no closure of its own.
  const events = deps.events;
  const onError = (err: unknown) => deps.log('visitor event failed', err);
  const buckets = new SocketBuckets(10, 30);
  const limiter = (socket: VisitorSocket) => buckets.take(socket);
  // A visitor's page views share one budget across all its tabs and processes; this socket's
  // own bucket answers first, so a hot loop is refused without a round trip to the store.
  const abuse = deps.abuse;
  const pageLimiter = abuse ? async (socket: VisitorSocket) => limiter(socket) && (await abuse.admitPageView(socket.data.siteId, socket.data.visitorId)) : limiter;
  const historyKey = ({ siteId, visitorId, visitId }: VisitorSocket['data']) => ({ siteId, visitorKey: visitorId, visitKey: visitId });
  events.route('visitor:page', VisitorPageSchema, (socket, p) => {
    const { siteId, visitorId, tabId } = socket.data;
    const page = { url: p.url, title: p.title };
    // History keeps page views; a title that changes on the same URL only updates the live row.
    if (presence.pageView(siteId, visitorId, tabId, page) === 'viewed') history.push({ kind: 'page', ...historyKey(socket.data), page, at: deps.now() });
    return {};
  }, { limiter: pageLimiter, onError });
  events.route('visitor:state', VisitorStateSchema, (socket, p) => {
    presence.setTabState(socket.data.siteId, socket.data.visitorId, socket.data.tabId, p.state);
    return {};
  }, { limiter, onError });
  events.route('visitor:identify', IdentifySchema, (socket, p) => {
    const { siteId, visitorId } = socket.data;
    presence.identify(siteId, visitorId, { name: p.name, email: p.email, attributes: p.attributes ?? {} });
    history.push({ kind: 'identify', siteId, visitorKey: visitorId, name: p.name, email: p.email, attributes: p.attributes });
    deps.onIdentify?.(socket, { name: p.name, email: p.email });
    return {};
  }, { limiter, onError });
  events.onDisconnect((socket) => {
    presence.disconnectTab(socket.data.siteId, socket.data.visitorId, socket.data.tabId);
    history.push({ kind: 'seen', ...historyKey(socket.data), at: deps.now() });
  });

  nsp.use(async (socket, next) => {
    try {
      const key = siteKeyOf(socket.handshake.query);
      const access = key ? await deps.sites.accessByKey(key) : null;
      if (!access) return next(new Error('unauthorized'));
      if (!isOriginAllowed(socket.handshake.headers.origin, access.allowedOrigins)) return next(new Error('forbidden'));
      const hs = VisitorHandshakeSchema.safeParse(socket.handshake.auth);
      if (!hs.success) return next(new Error('bad_request'));
      // Read once: its parsed copy goes into presence, and socket.io would keep the raw one
      // (page, referrer, utm) beside it for the socket's whole life.
      socket.handshake.auth = {};
      // Before anything is issued or stored: a refused connection leaves no trace but a count.
      if (deps.abuse) {
        const address = addressKey(clientIp(socket.conn.remoteAddress, socket.handshake.headers['x-forwarded-for'], deps.trustedProxies));
        if (await deps.abuse.admitConnection({ siteId: access.siteId, address, visitorId: hs.data.visitorId })) {
          next(new Error('rate_limited'));
          // The connection only carries visitors: close it once the refusal is on its way (socket.io
          // writes it on the next tick), rather than holding it until the 45 s connect timeout.
          const conn = socket.conn;
          setImmediate(() => conn.close());
          return;
        }
      }
      // A browser without a valid token (first contact, or a token for another visitor id) gets
      // a new one: its own, which opens nothing that belongs to anyone else.
      let tokenId = deps.tokens.verify(access.siteId, hs.data.visitorId, hs.data.token);
      let newToken: string | null = null;
      if (!tokenId) ({ token: newToken, tokenId } = deps.tokens.issue(access.siteId, hs.data.visitorId));
      socket.data = { siteId: access.siteId, workspaceId: access.workspaceId, visitorId: hs.data.visitorId, tabId: hs.data.tabId, visitId: hs.data.visitId, tokenId };
      parsedHandshake.set(socket, { hs: hs.data, newToken, widget: access.widget });
      next();
    } catch (err) {
      deps.log('visitor handshake failed', err);
      next(new Error('internal'));
    }
  });

  nsp.on('connection', (socket: VisitorSocket) => {
    const { siteId, visitorId, tabId, visitId } = socket.data;
    void socket.join(siteVisitorsRoom(siteId));
    const parsed = parsedHandshake.get(socket);
    parsedHandshake.delete(socket);
    if (!parsed) return void socket.disconnect(true);
    const { hs, newToken, widget } = parsed;
    // First of all: the snippet puts its launcher on the page with this (side, colour, language).
    socket.emit('visitor:look', widgetLook(widget, hs.language));
    if (newToken) socket.emit('visitor:token', { token: newToken });
    const now = deps.now();
    const device = deviceFromUserAgent(socket.handshake.headers['user-agent']);
    const country = deps.country(clientIp(socket.conn.remoteAddress, socket.handshake.headers['x-forwarded-for'], deps.trustedProxies));
    const { newVisit, pageViewed } = presence.connectTab({ siteId, visitorId, tabId, visitId, visitStartedAt: hs.visitStartedAt, visitCount: hs.visitCount, page: hs.page, referrer: hs.referrer, utm: hs.utm, language: hs.language, timeZone: hs.timeZone, state: hs.state, device, country });
    if (newVisit) {
      history.push({ kind: 'visit', ...historyKey(socket.data), at: now, startedAt: Math.min(now, hs.visitStartedAt), landing: hs.page, referrer: hs.referrer, source: sourceOf(hs.referrer, hs.utm, hs.page.url), utm: hs.utm, country, device });
    }
    if (pageViewed) history.push({ kind: 'page', ...historyKey(socket.data), page: hs.page, at: now });

    events.attach(socket);
    deps.onConnection?.(socket);
  });
}
