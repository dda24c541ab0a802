// Everything the widget shows, as one value, and the only way it changes: reduce(state, action).
// Pure (no DOM, no socket, no clock), so every rule the visitor can see is unit-tested:
// ordering and dedupe (server/chat/thread.ts), the outbox, unread counting, "Seen", typing, modes.
import type { AgentBrief, ChatEventCode, ChatMessage, VisitorChatInfo } from '../../../server/protocol';
import { emptyThread, mergeMessages, type Thread } from '../../../server/chat/thread';
import { enqueue, markFailed, markRetry, remove, withoutDelivered, type Outbox, type OutboxEntry } from './outbox';

/** closed: only the launcher; open: the panel; min: the panel folded to its header. */
export type PanelState = 'closed' | 'open' | 'min';

export interface ChatState {
  panel: PanelState;
  /**
   * Porchlight('chat:hide'): no launcher, badge or preview. An open panel stays (the visitor
   * may be mid-conversation) and chat:open still opens it: the page can offer its own button.
   */
  hidden: boolean;
  /** The tab is visible (document.visibilityState). */
  visible: boolean;
  connected: boolean;
  /** From chat:hello (null until the panel has said hello). */
  info: VisitorChatInfo | null;
  thread: Thread;
  outbox: Outbox;
  /** The highest seq an agent has read ("Seen"). */
  agentReadSeq: number;
  /** Agent messages the visitor has not seen (launcher badge). */
  unread: number;
  /** The newest unseen agent message, for the preview bubble (null: none, or dismissed). */
  preview: ChatMessage | null;
  /** Previews up to this seq were dismissed. */
  dismissedSeq: number;
  /** Agents typing now. */
  typing: AgentBrief[];
  /**
   * Pictures of the agents this page has heard of (id -> avatar path), from the agents online,
   * typing and messages: stored messages carry none, so their faces come from here.
   */
  faces: Record<string, string>;
  /** The short error near the composer ('' for none). */
  error: string;
  /** The email field was sent with an invalid address. */
  emailError: boolean;
  /** The highest seq this visitor told the server they read (chat:read). */
  readSeq: number;
  /** Agent messages up to this seq are counted in `unread` (or were read) already. */
  countedSeq: number;
}

export type Action =
  | { type: 'panel'; panel: PanelState }
  | { type: 'hidden'; hidden: boolean }
  | { type: 'visible'; visible: boolean }
  | { type: 'connected'; connected: boolean }
  | { type: 'hello'; info: VisitorChatInfo }
  | { type: 'agents'; agents: AgentBrief[] }
  /** `live`: a chat:message now (counts as unread when nobody sees it); else a sync page or an ack. */
  | { type: 'messages'; messages: ChatMessage[]; live: boolean }
  | { type: 'unread'; count: number; last: ChatMessage | null }
  | { type: 'queue'; entry: OutboxEntry }
  | { type: 'failed'; id: string; code: string; error: string }
  | { type: 'retry'; id: string }
  /** An entry taken back out of the outbox (its text went back to the composer). */
  | { type: 'drop'; id: string; error: string }
  | { type: 'agent-read'; seq: number }
  | { type: 'typing'; agent: AgentBrief; typing: boolean }
  | { type: 'error'; error: string; email?: boolean }
  | { type: 'dismiss' }
  | { type: 'read'; seq: number }
  | { type: 'email'; email: string };

export function initialState(o: Partial<Pick<ChatState, 'panel' | 'hidden' | 'visible' | 'outbox' | 'dismissedSeq'>> = {}): ChatState {
  return {
    panel: o.panel ?? 'closed',
    hidden: o.hidden ?? false,
    visible: o.visible ?? true,
    connected: false,
    info: null,
    thread: emptyThread,
    outbox: o.outbox ?? [],
    agentReadSeq: 0,
    unread: 0,
    preview: null,
    dismissedSeq: o.dismissedSeq ?? 0,
    typing: [],
    faces: {},
    error: '',
    emailError: false,
    readSeq: 0,
    countedSeq: 0,
  };
}

/** The visitor is looking at the thread now: new agent messages are read, not unread. */
export const seesThread = (s: ChatState): boolean => s.panel === 'open' && s.visible;

/** Nobody is online (after hello): the panel asks for an email and promises a reply by email. */
export const isOffline = (s: ChatState): boolean => !!s.info && s.info.agents.length === 0;

/** The email field shows: offline and no address known yet. */
export const needsEmail = (s: ChatState): boolean => isOffline(s) && !s.info?.email;

export function reduce(s: ChatState, a: Action): ChatState {
  switch (a.type) {
    case 'panel':
      return a.panel === s.panel ? s : { ...s, panel: a.panel, error: a.panel === 'open' ? s.error : '' };
    case 'hidden':
      return { ...s, hidden: a.hidden };
    case 'visible':
      return { ...s, visible: a.visible };
    case 'connected':
      // Typing marks do not survive a lost connection (their "stopped" may never come).
      return { ...s, connected: a.connected, typing: a.connected ? s.typing : [] };
    case 'hello':
      return { ...s, info: a.info, agentReadSeq: Math.max(s.agentReadSeq, a.info.agentReadSeq), faces: withFaces(s.faces, a.info.agents) };
    case 'agents':
      return s.info ? { ...s, info: { ...s.info, agents: a.agents }, faces: withFaces(s.faces, a.agents) } : s;
    case 'messages':
      return withMessages(s, a.messages, a.live);
    case 'unread': {
      if (seesThread(s)) return s;
      const last = a.last && a.last.seq > s.dismissedSeq ? a.last : null;
      return { ...s, unread: Math.max(0, a.count), preview: last ?? s.preview, countedSeq: Math.max(s.countedSeq, a.last?.seq ?? 0) };
    }
    case 'queue':
      return { ...s, outbox: enqueue(s.outbox, a.entry), error: '', emailError: false };
    case 'failed':
      return { ...s, outbox: markFailed(s.outbox, a.id, a.code), error: a.error };
    case 'retry':
      return { ...s, outbox: markRetry(s.outbox, a.id), error: '' };
    case 'drop':
      return { ...s, outbox: remove(s.outbox, a.id), error: a.error };
    case 'agent-read':
      return a.seq > s.agentReadSeq ? { ...s, agentReadSeq: a.seq } : s;
    case 'typing': {
      const others = s.typing.filter((t) => t.id !== a.agent.id);
      return { ...s, typing: a.typing ? [...others, a.agent] : others, faces: withFaces(s.faces, [a.agent]) };
    }
    case 'error':
      return { ...s, error: a.error, emailError: !!a.email };
    case 'dismiss':
      return s.preview ? { ...s, preview: null, dismissedSeq: Math.max(s.dismissedSeq, s.preview.seq) } : s;
    case 'read':
      return { ...s, readSeq: Math.max(s.readSeq, a.seq), unread: 0, preview: null, dismissedSeq: Math.max(s.dismissedSeq, a.seq), countedSeq: Math.max(s.countedSeq, a.seq) };
    case 'email':
      return s.info ? { ...s, info: { ...s.info, email: a.email } } : s;
  }
}

function withMessages(s: ChatState, messages: ChatMessage[], live: boolean): ChatState {
  const thread = mergeMessages(s.thread, messages);
  const outbox = withoutDelivered(s.outbox, thread);
  // A live agent message is unread once, when nobody sees it, even if a sync page that raced it
  // (the part loading on the agent's typing) put it in the thread first.
  const fresh = live ? messages.filter((m) => m.from === 'agent' && m.seq > s.countedSeq && thread.messages.some((x) => x.seq === m.seq)) : [];
  const unseen = seesThread(s) ? [] : fresh;
  if (thread === s.thread && outbox === s.outbox && !fresh.length) return s;
  const next: ChatState = { ...s, thread, outbox, faces: withFaces(s.faces, messages.map((m) => m.agent)) };
  // Messages new to this thread; an agent's message ends their typing.
  const added = thread === s.thread ? [] : messages.filter((m) => !s.thread.messages.some((x) => x.seq === m.seq) && thread.messages.includes(m));
  const fromAgents = added.filter((m) => m.from === 'agent');
  if (fromAgents.length) {
    next.typing = s.typing.filter((t) => !fromAgents.some((m) => m.agent?.id === t.id));
    // An agent's reply means they read the thread up to it (the server records it so, without a chat:read).
    next.agentReadSeq = Math.max(s.agentReadSeq, ...fromAgents.map((m) => m.seq));
  }
  if (fresh.length) next.countedSeq = Math.max(s.countedSeq, ...fresh.map((m) => m.seq));
  if (unseen.length) {
    next.unread = s.unread + unseen.length;
    next.preview = unseen[unseen.length - 1]!;
  }
  return next;
}

/** The faces map with what these briefs say of pictures (null: the agent has none now); the same object when nothing changed. */
export function withFaces(faces: Record<string, string>, agents: readonly (AgentBrief | null)[]): Record<string, string> {
  let out = faces;
  for (const a of agents) {
    if (!a || a.avatar === undefined || (a.avatar ?? undefined) === faces[a.id]) continue;
    if (out === faces) out = { ...faces };
    if (typeof a.avatar === 'string') out[a.id] = a.avatar;
    else delete out[a.id];
  }
  return out;
}

/** An agent as shown in the thread or the preview: with the picture this page knows of them. */
export const withFace = (s: ChatState, agent: AgentBrief | null): AgentBrief | null => (agent && agent.avatar == null && s.faces[agent.id] ? { ...agent, avatar: s.faces[agent.id] } : agent);

/** What to tell the server the visitor has read now (chat:read), or 0 for nothing new. */
export function readToSend(s: ChatState): number {
  if (!seesThread(s) || !s.connected) return 0;
  const unseen = s.thread.messages.some((m) => m.seq > s.readSeq && m.from !== 'visitor');
  return unseen && s.thread.lastSeq > s.readSeq ? s.thread.lastSeq : 0;
}

/** One row of the thread as the visitor sees it. */
export interface Item {
  /** The message id (stable across the outbox entry and the stored message). */
  key: string;
  who: 'me' | 'agent' | 'system';
  text: string;
  agent: AgentBrief | null;
  event: ChatEventCode | null;
  at: number;
  /** First of a run of messages from the same sender (shows their name and face). */
  first: boolean;
  status: '' | 'sending' | 'failed' | 'seen';
}

/** The thread's rows: stored messages by seq, then the unsent ones in the order they were written. */
export function items(s: ChatState): Item[] {
  const out: Item[] = [];
  // "Seen" goes under the visitor's last message an agent has read.
  let seenSeq = 0;
  for (const m of s.thread.messages) if (m.from === 'visitor' && m.seq <= s.agentReadSeq) seenSeq = m.seq;
  const push = (it: Omit<Item, 'first'>): void => {
    const prev = out[out.length - 1];
    const first = !prev || prev.who !== it.who || it.who === 'system' || (it.who === 'agent' && prev.agent?.id !== it.agent?.id);
    out.push({ ...it, first });
  };
  for (const m of s.thread.messages) {
    if (m.from === 'system') {
      if (m.event) push({ key: m.id, who: 'system', text: '', agent: m.agent, event: m.event, at: m.at, status: '' });
      continue;
    }
    const who = m.from === 'visitor' ? 'me' : 'agent';
    push({ key: m.id, who, text: m.text, agent: withFace(s, m.agent), event: null, at: m.at, status: who === 'me' && m.seq === seenSeq ? 'seen' : '' });
  }
  for (const e of s.outbox) {
    const status = e.failed ? 'failed' : 'sending';
    if (e.kind === 'call') push({ key: e.id, who: 'system', text: '', agent: null, event: 'call_requested', at: e.at, status });
    else push({ key: e.id, who: 'me', text: e.text, agent: null, event: null, at: e.at, status });
  }
  return out;
}
