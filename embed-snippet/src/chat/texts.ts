// Every sentence the visitor reads in the chat widget, in one place. Names and message texts come
// from the server and go into the page only through textContent (or linkify parts).
import type { AgentBrief, ChatEventCode, ErrorCode } from '../../../server/protocol';

export const T = {
  launcher: 'Chat with us',
  title: (team: string) => (team ? `Chat with ${team}` : 'Chat'),
  fallbackTeam: 'Chat',
  minimise: 'Minimise chat',
  expand: 'Open chat',
  close: 'Close chat',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  placeholderOffline: 'Write your message…',
  send: 'Send',
  requestCall: 'Request a video call',
  sending: 'Sending…',
  notSent: 'Not sent',
  retry: 'Retry',
  seen: 'Seen',
  email: 'Your email',
  emailPlaceholder: 'Your email address',
  emailInvalid: 'Please enter a valid email address so we can reply.',
  offline: 'Nobody is online right now. Leave a message and your email, and we’ll reply by email.',
  offlineKnown: (email: string) => `Nobody is online right now. We’ll reply to ${email}.`,
  privacy: 'Nothing you type is shared until you send it.',
  dismiss: 'Dismiss',
  connecting: 'Connecting…',
};

/** "Ana is online", "Ana and Ben are online", "Ana, Ben and 2 others are online"; offline: by email. */
export function presenceLine(agents: readonly AgentBrief[] | null): string {
  if (!agents) return '';
  const names = agents.map((a) => firstName(a.name));
  if (names.length === 0) return 'We’ll reply by email';
  if (names.length === 1) return `${names[0]} is online`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are online`;
  const rest = names.length - 2;
  return `${names[0]}, ${names[1]} and ${rest} other${rest > 1 ? 's' : ''} are online`;
}

export function typingLine(agents: readonly AgentBrief[]): string {
  const names = agents.map((a) => firstName(a.name));
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
}

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] || name;

/** A system line of the thread, worded for the visitor ('' for codes this widget does not know). */
export function eventLine(event: ChatEventCode | null): string {
  if (event === 'call_requested') return 'You asked for a video call';
  if (event === 'closed') return 'This conversation was closed';
  if (event === 'reopened') return 'This conversation was reopened';
  return '';
}

/** The short error near the composer for a refused send. */
export function sendError(code: ErrorCode | 'timeout'): string {
  if (code === 'rate_limited') return 'You’re sending messages too quickly. Wait a moment, then send again.';
  if (code === 'bad_request') return 'This message could not be sent. Check it and try again.';
  return 'Your message could not be sent. Try again.';
}

export const unreadLabel = (n: number): string => (n === 1 ? '1 unread message' : `${n} unread messages`);

/** The first ~80 characters of a message, on one line, for the preview bubble. */
export function previewText(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  // Not half of a surrogate pair (an emoji) at the cut.
  const cut = line.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '') + '…';
}

/** "14:05" in the visitor's locale. */
export function clock(at: number): string {
  try {
    return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  } catch {
    return '';
  }
}
