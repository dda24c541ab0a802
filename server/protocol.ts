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
  | 'busy' // the visitor (or the agent) is already in a call
  | 'gone' // the call has ended (or never existed)
  | 'invalid_state' // the call is not in a state that allows this (accepting a call that is already in progress)
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
  /** The visitor clicked accept and the browser is asking for camera/microphone: keep ringing. */
  'call:answering': (p: { callId: string }, ack?: AckFn) => void;
  /** Accept after the visitor clicked, with the media they could actually get. */
  /** The ack's resumeToken lets this tab's next page take the call over (call:rejoin); keep it per tab. */
  'call:accept': (p: { callId: string; media: CallMedia; problems?: MediaProblem[] }, ack: AckFn<{ ice: IceConfig; resumeToken: string }>) => void;
  'call:decline': (p: { callId: string }, ack?: AckFn) => void;
  /** After call:ongoing on a new page of the same tab: take the call over on this socket. */
  'call:rejoin': (p: { callId: string; resumeToken: string; media: CallMedia; problems?: MediaProblem[] }, ack: AckFn<{ ice: IceConfig; resumeToken: string }>) => void;
  /** The page is about to navigate within the site: keep the call for the next page. */
  'call:navigating': (p: { callId: string }, ack?: AckFn) => void;
  'call:signal': (p: CallSignal, ack?: AckFn) => void;
  'call:connected': (p: { callId: string }, ack?: AckFn) => void;
  'call:media': (p: { callId: string } & CallMediaState, ack?: AckFn) => void;
  'call:hangup': (p: { callId: string }, ack?: AckFn) => void;
}

export interface VisitorServerEvents {
  /** An agent is calling: show the invitation (nothing touches camera or microphone yet). */
  'call:invite': (invite: CallInvite) => void;
  /** This tab was in a call before it navigated: rejoin it (emit call:rejoin) without asking again. */
  'call:ongoing': (call: CallInvite & { acceptedAt: number; media: CallMedia }) => void;
  'call:signal': (p: CallSignal) => void;
  'call:media': (p: { callId: string } & CallMediaState) => void;
  'call:ended': (p: CallEnd) => void;
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

// ---- Calls -------------------------------------------------------------------------------
// The server owns each call's state (ringing -> accepted -> connected -> ended) and relays
// opaque WebRTC signals between its two parties only. The visitor's browser is the WebRTC
// initiator, and creates its peer only after the visitor accepts.

export type CallPhase = 'ringing' | 'accepted' | 'connected' | 'ended';
export type CallOutcome = 'answered' | 'declined' | 'missed' | 'cancelled' | 'failed';
export type CallParty = 'agent' | 'visitor' | 'system';
/** Why a call ended; shown to the people in it. */
export type CallEndReason =
  | 'hangup' // a party hung up (CallEnd.by says who)
  | 'declined'
  | 'no_answer' // ring timeout
  | 'cancelled' // the agent stopped ringing
  | 'left' // the visitor closed the tab / left the site, or the agent's dashboard went away
  | 'connect_failed' // accepted, but the peers never connected in time
  | 'media_unavailable' // the visitor could use neither camera nor microphone
  | 'answered_elsewhere' // (visitor tabs only) another tab of this visitor took the call
  | 'interrupted'; // (records only) the server stopped during the call

export interface CallMedia {
  audio: boolean;
  video: boolean;
}
/** Why a visitor is sending less than was asked for (told to the agent). */
export type MediaProblem = 'camera_denied' | 'camera_missing' | 'microphone_denied' | 'microphone_missing';
/** What a party is sending right now (mute, camera off, screen share). */
export interface CallMediaState {
  audio: boolean;
  video: boolean;
  screen?: boolean;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
/** ICE configuration for one call; TURN credentials in it are minted for this call only. */
export interface IceConfig {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
}

export interface CallInvite {
  callId: string;
  agent: { name: string; initials: string };
  company: string;
  /** The agent asks for a video call (false: audio only). */
  video: boolean;
  /** When the invitation stops ringing (server epoch ms). */
  expiresAt: number;
}

/** A WebRTC signal: an opaque string (JSON from the peer library) relayed byte for byte. */
export interface CallSignal {
  callId: string;
  data: string;
}

export interface CallEnd {
  callId: string;
  outcome: CallOutcome;
  reason: CallEndReason;
  by: CallParty;
  durationMs: number | null; // from answer to end; null when never answered
}

/** What the agent's dashboard knows about its own call. */
export interface AgentCall {
  callId: string;
  siteId: string;
  visitorId: string;
  video: boolean;
  phase: CallPhase;
  createdAt: number;
  expiresAt: number;
}

/** One stored call, for the calls history and the visitor panel. */
export interface CallRecord {
  id: string;
  siteId: string;
  siteName?: string;
  visitorId: string;
  visitorName: string | null;
  agentId: string;
  agentName: string;
  video: boolean;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  outcome: CallOutcome | null; // null while the call is going on
  endedBy: CallParty | null;
  reason: CallEndReason | null;
}

export interface AgentClientEvents {
  'site:watch': (p: { siteId: string }, ack: AckFn<{ visitors: LiveVisitor[]; history: PresencePoint[]; at: number }>) => void;
  'site:unwatch': (p: { siteId: string }, ack?: AckFn) => void;
  'visitor:details': (p: { siteId: string; visitorId: string }, ack: AckFn<{ details: VisitorDetails }>) => void;
  /** Ring a visitor who is online now. Fails with 'busy' if they (or this agent) are in a call. */
  'call:start': (p: { siteId: string; visitorId: string; video: boolean }, ack: AckFn<{ call: AgentCall }>) => void;
  'call:cancel': (p: { callId: string }, ack?: AckFn) => void;
  'call:signal': (p: CallSignal, ack?: AckFn) => void;
  'call:connected': (p: { callId: string }, ack?: AckFn) => void;
  'call:media': (p: { callId: string } & CallMediaState, ack?: AckFn) => void;
  'call:hangup': (p: { callId: string }, ack?: AckFn) => void;
}

export interface AgentServerEvents {
  'presence:diff': (diff: PresenceDiff) => void;
  'presence:point': (p: { siteId: string; point: PresencePoint }) => void;
  /** The visitor clicked accept; their browser may be asking them for camera/microphone. It now rings `ringsForMs` longer at most. */
  'call:answering': (p: { callId: string; ringsForMs: number }) => void;
  /** The visitor accepted: create the (answering) peer with this ICE configuration. */
  'call:accepted': (p: { callId: string; ice: IceConfig; media: CallMedia; problems: MediaProblem[] }) => void;
  /** The visitor's page is navigating or reconnecting: the call waits for their next page. */
  'call:away': (p: { callId: string }) => void;
  /** The visitor's next page took the call over: drop the old peer, answer a new one. */
  'call:rejoined': (p: { callId: string; ice: IceConfig; media: CallMedia; problems: MediaProblem[] }) => void;
  'call:signal': (p: CallSignal) => void;
  'call:media': (p: { callId: string } & CallMediaState) => void;
  'call:ended': (p: CallEnd) => void;
}

export const NAMESPACES = { visitor: '/visitor', agent: '/agent' } as const;
