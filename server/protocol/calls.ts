// Calls. The server owns each call's state (ringing -> accepted -> connected -> ended) and relays
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
  /** `avatar`: the agent's picture as in AgentBrief (a server path, or null without one). */
  agent: { name: string; initials: string; avatar?: string | null };
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

