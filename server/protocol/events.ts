// The event maps of every namespace, and of the events processes send each other. The server
// creates socket.io with them (server/transport/io.ts), so a handler or an emit that drifts from
// the protocol does not compile; clients type their sockets with the same maps.
// Server-to-server messages carry server types; browsers never import them (type-only).
import type { CallOp, CallSummary, OpResult } from '../calls/call-ops';
import type { AckFn } from './common';
import type { AgentCall, CallEnd, CallInvite, CallMedia, CallMediaState, CallSignal, IceConfig, MediaProblem } from './calls';
import type { ChatMessage, ChatPage, ConversationSummary, InboxFilter, LiveChat, AgentBrief, Assignee, VisitorChatInfo } from './chat';
import type { AttentionDoing, LiveCall, LiveVisitor, PageRef, PresenceDiff, PresencePoint, TabState, VisitorAttention, VisitorDetails } from './presence';
import type { WidgetLook } from './widget';

/** Why dashboards are asked to take a fresh snapshot. */
/** Why a dashboard takes a fresh snapshot; 'incomplete': a process did not answer for the last one in time. */
export type ResyncReason = 'process-left' | 'process-joined' | 'reconnected' | 'incomplete';

export const NAMESPACES = { visitor: '/visitor', agent: '/agent' } as const;

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
  // Chat. The conversation is always this browser's own (from the handshake's token): no payload names one.
  /** The panel opened: team, greeting, who is online; this socket now hears when that changes. */
  'chat:hello': (p: Record<string, never>, ack: AckFn<{ chat: VisitorChatInfo }>) => void;
  /** Everything after `after` in this visitor's conversation. */
  'chat:sync': (p: { after: number }, ack: AckFn<ChatPage>) => void;
  /** Stored, numbered and committed before the ack; resending the same id returns the stored message. */
  'chat:send': (p: { id: string; text: string; email?: string }, ack: AckFn<{ message: ChatMessage }>) => void;
  /** Adds a "requested a video call" line the agents can answer with one click. */
  'chat:request-call': (p: { id: string }, ack: AckFn<{ message: ChatMessage }>) => void;
  /**
   * `text` is the draft, sent only when the site allows sneak peek (the server drops it otherwise).
   * Ignored before the visitor's first message: agents have no conversation to show it in yet.
   */
  'chat:typing': (p: { typing: boolean; text?: string }, ack?: AckFn) => void;
  'chat:read': (p: { seq: number }, ack?: AckFn) => void;
}

export interface VisitorServerEvents {
  /** First contact: keep this token beside the visitor id and send it in every handshake. */
  'visitor:token': (p: { token: string }) => void;
  /** Sent first on every connection: how the widget looks and its language (the launcher waits for it). */
  'visitor:look': (look: WidgetLook) => void;
  /** An agent is calling: show the invitation (nothing touches camera or microphone yet). */
  'call:invite': (invite: CallInvite) => void;
  /** This tab was in a call before it navigated: rejoin it (emit call:rejoin) without asking again. */
  'call:ongoing': (call: CallInvite & { acceptedAt: number; media: CallMedia }) => void;
  'call:signal': (p: CallSignal) => void;
  'call:media': (p: { callId: string } & CallMediaState) => void;
  'call:ended': (p: CallEnd) => void;
  /** A new message in this visitor's conversation (an agent's, or their own from another tab). */
  'chat:message': (m: ChatMessage) => void;
  /** Sent on connect when agent messages are unread (loads the chat part: badge and preview). */
  'chat:unread': (p: { count: number; last: ChatMessage | null }) => void;
  'chat:typing': (p: { typing: boolean; agent: AgentBrief }) => void;
  /** An agent read up to `seq` ("Seen"). */
  'chat:read': (p: { seq: number }) => void;
  /** Who is online changed (only to sockets whose panel said chat:hello). */
  'chat:agents': (p: { agents: AgentBrief[] }) => void;
}

export interface AgentClientEvents {
  /** `attention`: who of the team is on which visitor now (see visitor:attention). */
  'site:watch': (p: { siteId: string }, ack: AckFn<{ visitors: LiveVisitor[]; history: PresencePoint[]; at: number; attention: VisitorAttention[] }>) => void;
  'site:unwatch': (p: { siteId: string }, ack?: AckFn) => void;
  /**
   * What this tab has open, per kind (`visitor` null: nothing any more). Colleagues see it on the
   * visitor's row; it lasts as long as the socket, so a reconnecting tab says it again.
   */
  'visitor:focus': (p: { doing: AttentionDoing; visitor: { siteId: string; visitorId: string } | null }, ack?: AckFn) => void;
  'visitor:details': (p: { siteId: string; visitorId: string }, ack: AckFn<{ details: VisitorDetails }>) => void;
  /** Ring a visitor who is online now. Fails with 'busy' if they (or this agent) are in a call. */
  'call:start': (p: { siteId: string; visitorId: string; video: boolean }, ack: AckFn<{ call: AgentCall }>) => void;
  'call:cancel': (p: { callId: string }, ack?: AckFn) => void;
  'call:signal': (p: CallSignal, ack?: AckFn) => void;
  'call:connected': (p: { callId: string }, ack?: AckFn) => void;
  'call:media': (p: { callId: string } & CallMediaState, ack?: AckFn) => void;
  'call:hangup': (p: { callId: string }, ack?: AckFn) => void;
  // Chat, across the agent's own workspaces only.
  /** The inbox, newest first, plus the unread total of every conversation the agent can see. */
  'chat:list': (p: InboxFilter, ack: AckFn<{ conversations: ConversationSummary[]; unreadTotal: number }>) => void;
  /** One conversation and its messages after `after`. */
  'chat:sync': (p: { conversationId: string; after: number }, ack: AckFn<ChatPage & { conversation: ConversationSummary }>) => void;
  /** Proactive chat: the visitor's conversation (created when they have none yet); they must be online to start one. */
  'chat:start': (p: { siteId: string; visitorId: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  'chat:send': (p: { conversationId: string; id: string; text: string }, ack: AckFn<{ message: ChatMessage; conversation: ConversationSummary }>) => void;
  'chat:typing': (p: { conversationId: string; typing: boolean }, ack?: AckFn) => void;
  'chat:read': (p: { conversationId: string; seq: number }, ack?: AckFn) => void;
  'chat:close': (p: { conversationId: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  'chat:reopen': (p: { conversationId: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  /** Take the conversation over (`to` is yourself), hand it to another member, or unassign it (null). */
  'chat:assign': (p: { conversationId: string; to: string | null }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  /** The members of the conversation's workspace, and who is online. */
  'chat:assignees': (p: { conversationId: string }, ack: AckFn<{ agents: Assignee[] }>) => void;
  /**
   * `away`: the agent's choice, for all their tabs (kept until changed). `idle`: this tab has been
   * hidden for the idle time (or is back). The ack says what holds now.
   */
  'agent:availability': (p: { away?: boolean; idle?: boolean }, ack: AckFn<{ away: boolean }>) => void;
}

export interface AgentServerEvents {
  'presence:diff': (diff: PresenceDiff) => void;
  'presence:point': (p: { siteId: string; point: PresencePoint }) => void;
  /**
   * The picture this dashboard holds may be wrong (a server process died or joined, or the link
   * between processes was down): take a fresh snapshot (site:watch again).
   */
  'presence:resync': (p: { reason: ResyncReason }) => void;
  /** Who of the team is on this visitor now (to every dashboard of the workspace). */
  'visitor:attention': (p: VisitorAttention & { siteId: string }) => void;
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
  /** A new message in a conversation of one of the agent's workspaces, with the conversation as it is now. */
  'chat:message': (p: { message: ChatMessage; conversation: ConversationSummary }) => void;
  /** A conversation changed without a message (read, assigned, closed). */
  'chat:conversation': (p: { conversation: ConversationSummary }) => void;
  /** Someone is typing; `text` is the visitor's draft when the site allows sneak peek. */
  'chat:typing': (p: { conversationId: string; typing: boolean; from: 'visitor' | AgentBrief; text?: string }) => void;
  /** A conversation was given to this agent (by a colleague, or by the rotation when `by` is null). */
  'chat:assigned': (p: { conversation: ConversationSummary; by: AgentBrief | null }) => void;
  /** The agent's Away choice, on connect and whenever any of their tabs changes it. */
  'agent:availability': (p: { away: boolean }) => void;
}

/**
 * What processes say to each other (socket.io's serverSideEmit over the Redis adapter). The last
 * parameter of an event with a reply is the callback.
 */
export interface InterServerEvents {
  /** Another process asks for the visitors of a site this process holds. */
  'presence:snapshot': (siteId: string, reply: (visitors: LiveVisitor[]) => void) => void;
  /**
   * Another process is about to drop these visitors (their last tab there closed): the reply
   * names those with a tab open here, whose rows this process sends out again.
   */
  'presence:holding': (visitors: { siteId: string; visitorId: string }[], reply: (held: { siteId: string; visitorId: string }[]) => void) => void;
  /** A call operation for the process holding the call (see server/transport/call-events.ts). */
  'call:op': (op: CallOp, reply: (r: OpResult | { notMine: true }) => void) => void;
  'call:visitor-closed': (p: { socketId: string; closedByPage: boolean }) => void;
  'call:visitor-gone': (p: { siteId: string; visitorId: string }) => void;
  'call:directory': (p: { siteId: string; visitorId: string; callId: string; summary: CallSummary | null; holder: string; lock: { key: string; value: string } | null }) => void;
  /** A visitor's conversation changed: the process holding their live row updates it. */
  'chat:live': (p: { siteId: string; visitorId: string; chat: LiveChat | null }) => void;
  /**
   * These sites are gone (their workspace was deleted) or changed (origins, key rotation): every
   * process drops their cached keys. `retiring`: rotated-out keys; sockets still open on one close
   * at its `until` (epoch ms), on every process (server/transport/site-keys.ts).
   */
  'sites:forget': (p: { siteIds: string[]; retiring?: { siteId: string; key: string; until: number }[] }) => void;
  /** An agent chose Away or Online: each process updates that agent's sockets it holds. */
  'agent:away': (p: { userId: string; away: boolean }) => void;
}

/** What a live row shows of a call (re-exported for the transport). */
export type { LiveCall };
