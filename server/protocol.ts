// The wire protocol shared by the server, the dashboard and the embed snippet.
// Types only: clients use `import type` so nothing here reaches a bundle.
// Events are named `noun:verb`; every ack is `{ ok: true, ... } | { ok: false, code }`.

/** Error codes an ack can carry; one list for the whole protocol. */
export type ErrorCode =
  | 'bad_request' // payload failed validation
  | 'unauthorized' // no valid session / site key
  | 'forbidden' // authenticated, but not allowed to touch this resource
  | 'not_found'
  | 'rate_limited'
  | 'internal';

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; code: ErrorCode; message?: string };
export type AckFn<T extends object = object> = (res: Ack<T>) => void;

/** What a tab reports about its own attention. */
export type TabState = 'active' | 'idle' | 'hidden';
/** A visitor's status is the most attentive of their tabs. */
export type VisitorStatus = TabState;

export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface PageRef {
  url: string;
  title: string;
}

/**
 * Sent by the snippet in the socket.io handshake (`auth`), re-sent on every reconnect,
 * so one round trip makes a visitor appear. The site key travels in the query (`k`),
 * where the HTTP-level origin check can see it.
 */
export interface VisitorHandshake {
  visitorId: string; // first-party, long-lived
  tabId: string; // per tab (sessionStorage)
  visitId: string; // one visit = activity with gaps under 30 min
  visitStartedAt: number; // epoch ms, as the browser saw it
  visitCount: number; // visits so far including this one, as the browser counts them
  page: PageRef;
  referrer: string;
  utm: Utm;
  language: string;
  timeZone: string;
  screen: { w: number; h: number };
  state: TabState;
}

export interface Identity {
  name?: string;
  email?: string;
  attributes: Record<string, string | number | boolean>;
}

export interface VisitorClientEvents {
  'visitor:page': (page: PageRef & { referrer?: string }, ack?: AckFn) => void;
  'visitor:state': (p: { state: TabState }, ack?: AckFn) => void;
  'visitor:identify': (p: { name?: string; email?: string; attributes?: Record<string, string | number | boolean> }, ack?: AckFn) => void;
}

// The visitor namespace has no server-to-client events yet (calls and chat add them).
export type VisitorServerEvents = Record<string, never>;

export interface Device {
  type: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'other';
  browser: string;
  os: string;
}

/** One row of the live table: everything the dashboard shows about a visitor now. */
export interface LiveVisitor {
  id: string; // visitorId
  status: VisitorStatus;
  tabs: number;
  page: PageRef & { path: string };
  pagesViewed: number; // this visit
  visitStartedAt: number; // epoch ms (server clock)
  lastActivityAt: number;
  referrer: string;
  source: string; // utm_source, referrer host, or 'direct'
  utm: Utm;
  country: string | null; // ISO 3166 alpha-2
  device: Device;
  language: string;
  timeZone: string;
  visitCount: number; // 1 = new visitor
  identity: Identity;
}

export interface PresenceDiff {
  siteId: string;
  upserts: LiveVisitor[];
  removed: string[];
  total: number;
  at: number; // server epoch ms
}

/** Visitors online, sampled once a minute... per site, for the sparkline. */
export interface PresencePoint {
  at: number;
  count: number;
}

export interface PageViewRecord {
  url: string;
  title: string;
  at: number;
}

export interface VisitRecord {
  id: string;
  startedAt: number;
  lastSeenAt: number;
  pageViews: number;
  referrer: string;
  source: string;
  landingUrl: string;
}

export interface VisitorDetails {
  visitorId: string;
  firstSeenAt: number | null;
  visitCount: number;
  trail: PageViewRecord[]; // this visit, oldest first
  pastVisits: VisitRecord[]; // newest first, excluding the current one
  identity: Identity;
}

export interface AgentClientEvents {
  'site:watch': (p: { siteId: string }, ack: AckFn<{ visitors: LiveVisitor[]; history: PresencePoint[]; at: number }>) => void;
  'site:unwatch': (p: { siteId: string }, ack?: AckFn) => void;
  'visitor:details': (p: { siteId: string; visitorId: string }, ack: AckFn<{ details: VisitorDetails }>) => void;
}

export interface AgentServerEvents {
  'presence:diff': (diff: PresenceDiff) => void;
  'presence:point': (p: { siteId: string; point: PresencePoint }) => void;
}

export const NAMESPACES = { visitor: '/visitor', agent: '/agent' } as const;
