// The messages processes exchange about calls (server/transport/call-events.ts): operations
// carried out where a call is held, and the directory every process keeps of calls elsewhere.
import type { CallInvite, CallMedia, ErrorCode, IceConfig, MediaProblem } from '../protocol';
import type { Party, VisitorParty } from './call-book';

/** What every process knows about a visitor's call, wherever it is held. */
export interface CallSummary {
  siteId: string;
  visitorId: string;
  invite: CallInvite;
  /** Set once a tab accepted. */
  tabId: string | null;
  acceptedAt: number | null;
  media: CallMedia | null;
}

/** A call operation, carried out where the call is held (this process or another). */
export type CallOp =
  | { op: 'accept'; callId: string; party: VisitorParty; media: CallMedia; problems: MediaProblem[] }
  | { op: 'rejoin'; callId: string; party: VisitorParty; resumeToken: string; media: CallMedia; problems: MediaProblem[] }
  | { op: 'decline' | 'navigating' | 'answering'; callId: string; party: VisitorParty }
  | { op: 'connected' | 'hangup'; callId: string; party: Party }
  | { op: 'cancel'; callId: string; party: { userId: string; socketId: string } }
  | { op: 'signal'; callId: string; party: Party; data: string }
  | { op: 'media'; callId: string; party: Party; audio: boolean; video: boolean; screen?: boolean };
export type OpResult = { ok: true; ice?: IceConfig; resumeToken?: string } | { ok: false; code: ErrorCode; message?: string };

