// Presence: what the snippet reports about a tab, and what dashboards see of visitors.
import type { CallRecord } from './calls';
import type { LiveChat } from './chat';

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
  /** The signed visitor token this browser was given on first contact (visitor:token); it opens its conversation. */
  token?: string;
}

export interface Identity {
  name?: string;
  email?: string;
  attributes: Record<string, string | number | boolean>;
}

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
  /** The call this visitor is in or being invited to, if any ("in call with Ana"). */
  call: LiveCall | null;
  /** Their conversation, when they have one ("chatting with Ana", unread messages). */
  chat: LiveChat | null;
}

/** What a colleague is doing with a visitor: has their panel open, their conversation, or a call. */
export type AttentionDoing = 'viewing' | 'chatting' | 'calling';

/** One colleague on a visitor (shown on the row and in the panel as a face or initials). */
export interface AgentAttention {
  id: string;
  name: string;
  initials: string;
  /** The agent's picture URL, when they have one. */
  avatar: string | null;
  doing: AttentionDoing;
}

export interface VisitorAttention {
  visitorId: string;
  /** Strongest activity first; the watching agent filters themselves out. */
  agents: AgentAttention[];
}

export interface LiveCall {
  callId: string;
  agentName: string;
  phase: 'ringing' | 'in-call';
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
  calls: CallRecord[]; // newest first, at most 20
}

