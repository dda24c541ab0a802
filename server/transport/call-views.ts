// What the parties and the other processes are shown of a call: plain conversions from the
// CallBook's Call, the same wherever the call is held.
import type { Call } from '../calls/call-book';
import type { CallSummary } from '../calls/call-ops';
import { iceFor, type IceOptions } from '../calls/ice';
import { initialsOf } from '../initials';
import type { CallInvite, IceConfig, LiveCall } from '../protocol';

export const inviteOf = (call: Call): CallInvite => ({
  callId: call.id,
  agent: { name: call.agent.name, initials: initialsOf(call.agent.name), avatar: call.agent.avatar ?? null },
  company: call.company,
  video: call.video,
  expiresAt: call.expiresAt,
});

export const summaryOf = (call: Call): CallSummary => ({
  siteId: call.siteId,
  visitorId: call.visitorId,
  invite: inviteOf(call),
  tabId: call.visitor?.tabId ?? null,
  acceptedAt: call.acceptedAt,
  media: call.visitor?.media ?? null,
});

/** The call as the dashboard's live row shows it. */
export const liveCallOf = (s: CallSummary): LiveCall => ({ callId: s.invite.callId, agentName: s.invite.agent.name, phase: s.acceptedAt === null ? 'ringing' : 'in-call' });

/** The ICE configuration of one party ('a' the agent, 'v' the visitor) of a call. */
export const partyIce = (ice: IceOptions, callId: string, party: 'a' | 'v', now: number): IceConfig => iceFor(ice, `${callId}-${party}`, now);
