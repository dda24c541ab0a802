// A call as the CallBook keeps it, its two parties, and what the CallBook answers and announces.
import type { CallEnd, CallMedia, CallPhase, ErrorCode, MediaProblem } from '../protocol';

export interface AgentParty {
  userId: string;
  socketId: string;
}
export interface VisitorParty {
  siteId: string;
  visitorId: string;
  tabId: string;
  socketId: string;
}
export type Party = ({ kind: 'agent' } & AgentParty) | ({ kind: 'visitor' } & VisitorParty);

export interface Call {
  id: string;
  siteId: string;
  visitorId: string;
  video: boolean;
  /** `avatar`: the agent's picture path (server/http/avatars.ts), shown on the visitor's call card. */
  agent: AgentParty & { name: string; avatar?: string | null };
  /** The name the visitor sees the call come from (the site's name). */
  company: string;
  phase: CallPhase;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  /** The tab that accepted, and the socket it is on now. */
  visitor: { tabId: string; socketId: string; media: CallMedia; problems: MediaProblem[] } | null;
  /** The visitor's page is navigating or reconnecting: waiting for call:rejoin. */
  away: boolean;
  /** The visitor said its page is about to navigate: a disconnect then means "wait", not "left". */
  navigating: boolean;
  /** The visitor clicked accept (a permission prompt may be open): the ring was extended once. */
  answering: boolean;
  /**
   * Handed to the accepting tab only: its next page must show it to take the call over, so
   * knowing a visitor's ids is not enough to hijack their call.
   */
  resumeToken: string | null;
  end: CallEnd | null;
}

/** What an agent's call:start gives the CallBook. */
export interface NewCall {
  siteId: string;
  visitorId: string;
  video: boolean;
  company: string;
  agent: Call['agent'];
}

/** A call as it starts: ringing, nobody has answered. */
export function ringingCall(id: string, p: NewCall, now: number, expiresAt: number): Call {
  return {
    id,
    siteId: p.siteId,
    visitorId: p.visitorId,
    video: p.video,
    agent: { ...p.agent },
    company: p.company,
    phase: 'ringing',
    createdAt: now,
    expiresAt,
    acceptedAt: null,
    connectedAt: null,
    endedAt: null,
    visitor: null,
    away: false,
    navigating: false,
    answering: false,
    resumeToken: null,
    end: null,
  };
}

export type CallEvent =
  | { type: 'invited'; call: Call }
  | { type: 'answering'; call: Call }
  | { type: 'accepted'; call: Call }
  | { type: 'connected'; call: Call }
  | { type: 'away'; call: Call }
  | { type: 'rejoined'; call: Call }
  | { type: 'ended'; call: Call; end: CallEnd };

export type CallResult = { ok: true; call: Call } | { ok: false; code: ErrorCode; message: string };
/** Where a party's signal (or media notice) goes: the other party's socket. */
export type RelayResult = { ok: true; call: Call; to: { kind: 'agent' | 'visitor'; socketId: string } } | { ok: false; code: ErrorCode; message: string };

/** A refusal, as CallResult and RelayResult carry it. */
export const fail = (code: ErrorCode, message: string) => ({ ok: false as const, code, message });
