// What the list and the window show: the tab title, badges, list previews and times, a thread's
// day separators, system lines and "Seen", and a live row's chat state. Pure, like the store in inbox.ts.
import type { ChatMessage, ConversationSummary, LiveChat } from '../../server/protocol';

/** "(3) Conversations · Porchlight"; the title itself when nothing is unread. Idempotent. */
export function titleWithUnread(title: string, unread: number): string {
  const bare = title.replace(/^\(\d+\+?\)\s+/, '');
  if (unread <= 0) return bare;
  return `(${unread > 99 ? '99+' : unread}) ${bare}`;
}

/** The badge text for an unread count ("" when none). */
export function badgeText(unread: number): string {
  return unread <= 0 ? '' : unread > 99 ? '99+' : String(unread);
}

/** The words of a system line, for a thread and a list preview. */
export function systemText(event: ChatMessage['event'], who: string | null, visitor: string): string {
  switch (event) {
    case 'call_requested':
      return `${visitor} asked for a video call`;
    case 'closed':
      return who ? `${who} closed the conversation` : 'The conversation was closed';
    case 'reopened':
      return who ? `${who} reopened the conversation` : 'The conversation was reopened';
    default:
      return '';
  }
}

/** The one-line preview of a conversation's last message: "You: " for the team's messages. */
export function previewOf(c: Pick<ConversationSummary, 'lastMessage'>, visitor: string): { prefix: string; text: string } {
  const m = c.lastMessage;
  if (!m) return { prefix: '', text: 'No messages yet' };
  if (m.from === 'system') {
    if (m.event === 'call_requested') return { prefix: '', text: 'Asked for a video call' };
    if (m.event === 'closed') return { prefix: '', text: 'Conversation closed' };
    if (m.event === 'reopened') return { prefix: '', text: 'Conversation reopened' };
    return { prefix: '', text: systemText(m.event, null, visitor) };
  }
  const text = m.text.replace(/\s+/g, ' ').trim();
  return { prefix: m.from === 'agent' ? 'You: ' : '', text: text.length > 140 ? `${text.slice(0, 139)}…` : text };
}

const DAY = 86_400_000;

/** "now", "5m", "3h", "Yesterday", "Tue", "Jun 3", "Jun 3, 2024": compact, for list rows. */
export function shortAgo(at: number, now: number): string {
  const diff = Math.max(0, now - at);
  if (diff < 60_000) return 'now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  const d = new Date(at);
  const n = new Date(now);
  if (diff < 12 * 3_600_000 || sameDay(d, n)) return `${Math.floor(diff / 3_600_000)}h`;
  const startToday = new Date(n.getFullYear(), n.getMonth(), n.getDate()).getTime();
  if (at >= startToday - DAY) return 'Yesterday';
  if (at >= startToday - 6 * DAY) return d.toLocaleDateString('en', { weekday: 'short' });
  if (d.getFullYear() === n.getFullYear()) return d.toLocaleDateString('en', { month: 'short', day: 'numeric' });
  return d.toLocaleDateString('en', { month: 'short', day: 'numeric', year: 'numeric' });
}

/** The day separator of a thread: "Today", "Yesterday", "Monday, June 3", "June 3, 2024". */
export function dayLabel(at: number, now: number): string {
  const d = new Date(at);
  const n = new Date(now);
  if (sameDay(d, n)) return 'Today';
  const y = new Date(n.getFullYear(), n.getMonth(), n.getDate() - 1);
  if (sameDay(d, y)) return 'Yesterday';
  if (d.getFullYear() === n.getFullYear()) return d.toLocaleDateString('en', { weekday: 'long', month: 'long', day: 'numeric' });
  return d.toLocaleDateString('en', { month: 'long', day: 'numeric', year: 'numeric' });
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The seq of the team's message to show "Seen" under: the last one the visitor has read. */
export function seenSeq(messages: readonly ChatMessage[], visitorReadSeq: number): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.from === 'agent' && m.seq <= visitorReadSeq) return m.seq;
  }
  return null;
}

/** Should the visitor's message (or call request) alert an agent who is not looking at it? */
export function alerts(m: ChatMessage): boolean {
  return m.from === 'visitor' || (m.from === 'system' && m.event === 'call_requested');
}

/** A live row's chat state: a tag ("Chat · 2 unread", "Chatting") and who ("with Ana"); null without one. */
export function chatStateOf(chat: LiveChat | null): { text: string; tag: string; sub: string; tone: 'unread' | 'active' | 'closed' } | null {
  if (!chat) return null;
  const name = chat.assigneeName?.trim() ?? '';
  const who = name ? `with ${name.length > 30 ? `${name.slice(0, 29)}…` : name}` : '';
  const make = (tag: string, sub: string, tone: 'unread' | 'active' | 'closed') => ({ text: sub ? `${tag} ${sub}` : tag, tag, sub, tone });
  if (chat.unread > 0 && chat.status === 'open') return make(`Chat · ${chat.unread} unread`, who, 'unread');
  if (chat.status === 'closed') return make('Chat closed', '', 'closed');
  if (who) return make('Chatting', who, 'active');
  return make('Chat open', '', 'active');
}
