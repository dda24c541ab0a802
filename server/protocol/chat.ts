// Chat: one conversation per visitor (per browser) and site, a thread of messages numbered by
// the server. Delivery rule: a message is stored, numbered (`seq`: 1, 2, 3... per conversation)
// and committed before it is acknowledged or fanned out. Live events may arrive out of order
// or not at all (a dropped connection, another process); a receiver keeps messages by seq and
// asks for everything after the last seq it holds (`chat:sync`) on every (re)connect and
// whenever it sees a gap. The sender's id makes a resend idempotent.

export type ConversationStatus = 'open' | 'closed';
export type MessageSender = 'visitor' | 'agent' | 'system';
/** What a system line in a thread says, as a code (each client words it in its own language). */
export type ChatEventCode =
  | 'call_requested' // the visitor asked for a video call from the chat panel
  | 'closed' // an agent closed the conversation
  | 'reopened'; // an agent reopened it (a visitor's message reopens it silently)

export interface AgentBrief {
  id: string;
  name: string;
  initials: string;
  /**
   * The agent's picture: a path on the Porchlight server, `/avatars/<userId>?v=<hash>` (resolved
   * against the server's address: the widget's snippet base, the dashboard's origin), or null
   * without one. Filled where the agent is known from their dashboard connection (agents online,
   * typing, call invites); taken when that connection opens, so a changed picture reaches
   * visitors with the agent's next connection (a reload of the dashboard). Absent where it is
   * not known (e.g. authors of stored messages): show initials, or the face of the agents online.
   */
  avatar?: string | null;
}

/** A member a conversation can be handed to. */
export interface Assignee extends AgentBrief {
  online: boolean;
}

export interface ChatMessage {
  /** Chosen by the sender (a random id); unique within its conversation. */
  id: string;
  conversationId: string;
  seq: number;
  from: MessageSender;
  /** The agent who wrote it (or did what a system line says). */
  agent: AgentBrief | null;
  /** '' for system lines. */
  text: string;
  event: ChatEventCode | null;
  /** Server epoch ms. */
  at: number;
}

/** One row of the dashboard's inbox. */
export interface ConversationSummary {
  id: string;
  siteId: string;
  siteName: string;
  visitorId: string;
  /** From identify(); null for anonymous visitors (the dashboard shows a friendly name). */
  visitorName: string | null;
  visitorEmail: string | null;
  status: ConversationStatus;
  /** The visitor's last message has no answer yet. */
  waiting: boolean;
  /** Left while no agent was online: the visitor expects an answer by email. */
  offline: boolean;
  assignee: AgentBrief | null;
  lastMessage: Pick<ChatMessage, 'from' | 'text' | 'event' | 'at'> | null;
  lastSeq: number;
  /** Visitor messages no agent has read yet. */
  unread: number;
  /** The highest seq each side has read ("Seen"). */
  visitorReadSeq: number;
  agentReadSeq: number;
  createdAt: number;
  updatedAt: number;
}

/** What the live table shows of a visitor's conversation. */
export interface LiveChat {
  conversationId: string;
  status: ConversationStatus;
  assigneeName: string | null;
  /** Visitor messages no agent has read yet. */
  unread: number;
}

/** What the chat panel needs when it opens. */
export interface VisitorChatInfo {
  /** The team's name as the visitor sees it (the site's name). */
  team: string;
  greeting: string;
  /** Agents online now; none means the panel asks for an email ("we'll reply by email"). */
  agents: AgentBrief[];
  /** Whether agents see what the visitor types before it is sent. */
  sneakPeek: boolean;
  /** The visitor's conversation on this site, if they have one. */
  conversationId: string | null;
  lastSeq: number;
  /** The highest seq of the visitor's messages an agent has read. */
  agentReadSeq: number;
  /** Agent messages this visitor has not read yet. */
  unread: number;
  /** An email the visitor gave before (offline capture), so the panel does not ask again. */
  email: string | null;
}

/** A page of a thread: messages after a seq, oldest first. */
export interface ChatPage {
  messages: ChatMessage[];
  /** More messages follow: ask again after the last seq of this page. */
  more: boolean;
}

export type InboxStatus = 'open' | 'waiting' | 'closed' | 'all';
export type InboxOwner = 'mine' | 'unassigned' | 'all';
export interface InboxFilter {
  siteId?: string;
  visitorId?: string;
  status?: InboxStatus;
  owner?: InboxOwner;
  /** Paging: conversations updated before this (epoch ms). */
  before?: number;
  limit?: number;
}

/** Max length of a message, in UTF-16 code units (what String.length counts). */
export const CHAT_MAX_LENGTH = 5000;
