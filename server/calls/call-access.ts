// Who may act on a call. Parties are identified by what the server itself knows about their
// sockets (user id, or site + visitor + tab from the handshake) plus the socket id, never by
// anything in a payload. Once a visitor tab accepts, only that tab (on whichever socket it has
// now, after a navigation) is the visitor party.
import { fail, type AgentParty, type Call, type CallResult, type Party, type VisitorParty } from './call-types';

/**
 * How closely a visitor tab must match the call:
 * - 'any-tab': any tab of the visitor while it rings (accept, decline); after answer, only the tab in the call;
 * - 'bound-tab': the tab that accepted, on whichever socket (hang-up, rejoin);
 * - 'bound-socket': the tab that accepted, on the socket it is in the call with now (signals).
 */
export type VisitorMatch = 'any-tab' | 'bound-tab' | 'bound-socket';

/** The call if it is this agent's, on this socket. */
export function agentCall(call: Call | undefined, p: AgentParty): CallResult {
  if (!call) return fail('gone', 'The call has ended');
  if (call.agent.userId !== p.userId || call.agent.socketId !== p.socketId) return fail('forbidden', 'Not your call');
  return { ok: true, call };
}

/** The call if this visitor tab may act on it (see VisitorMatch). */
export function visitorCall(call: Call | undefined, p: VisitorParty, mode: VisitorMatch): CallResult {
  if (!call) return fail('gone', 'The call has ended');
  if (call.siteId !== p.siteId || call.visitorId !== p.visitorId) return fail('forbidden', 'Not your call');
  if (!call.visitor) return mode === 'any-tab' ? { ok: true, call } : fail('invalid_state', 'The call is not answered');
  if (call.visitor.tabId !== p.tabId) return fail(mode === 'any-tab' ? 'invalid_state' : 'forbidden', mode === 'any-tab' ? 'The call was answered in another tab' : 'Not your call');
  if (mode === 'bound-socket' && call.visitor.socketId !== p.socketId) return fail('forbidden', 'Not your call');
  return { ok: true, call };
}

/** The call if this party is in it on the very socket it is in the call with (signals, media). */
export function partyCall(call: Call | undefined, p: Party): CallResult {
  return p.kind === 'agent' ? agentCall(call, p) : visitorCall(call, p, 'bound-socket');
}
