// The outbox: what the visitor sent that the server has not acknowledged yet. Pure functions
// over a plain array, kept in sessionStorage by the session (persist.ts), so a message typed
// just before a click to the next page, a reload or a dropped connection is resent (same id,
// which the server stores once) instead of lost. An entry leaves the outbox only when the
// server's copy is in the thread (the ack, a live chat:message or a chat:sync brought it).
import { CHAT_MAX_LENGTH } from '../../../server/protocol/chat';
import { holds, type Thread } from '../../../server/chat/thread';
import { cleanEmail } from './email';

export interface OutboxEntry {
  /** The message id chosen here; the server stores a resend of it only once. */
  id: string;
  /** A text message (chat:send) or a call request (chat:request-call). */
  kind: 'text' | 'call';
  text: string;
  /** The address for a reply by email, sent with the message when nobody was online. */
  email?: string;
  /** When the visitor sent it (epoch ms, this browser's clock). */
  at: number;
  /** The server refused it (an error code): shown as "Not sent · Retry", not resent by itself. */
  failed?: string;
}

export type Outbox = readonly OutboxEntry[];

/** At most this many unsent messages are kept (a visitor offline for long, typing on). */
export const OUTBOX_MAX = 50;

export const enqueue = (box: Outbox, entry: OutboxEntry): Outbox => (box.some((e) => e.id === entry.id) ? box : [...box, entry].slice(-OUTBOX_MAX));

export const remove = (box: Outbox, id: string): Outbox => (box.some((e) => e.id === id) ? box.filter((e) => e.id !== id) : box);

export const markFailed = (box: Outbox, id: string, code: string): Outbox => box.map((e) => (e.id === id ? { ...e, failed: code } : e));

/** Back in line to be sent (the visitor clicked Retry). */
export const markRetry = (box: Outbox, id: string): Outbox =>
  box.map((e) => {
    if (e.id !== id || !e.failed) return e;
    const { failed: _failed, ...rest } = e;
    return rest;
  });

/** The next entry to send: the oldest that has not failed (messages go out in order). */
export const nextToSend = (box: Outbox): OutboxEntry | undefined => box.find((e) => !e.failed);

/** Without the entries whose message the thread holds now. */
export function withoutDelivered(box: Outbox, thread: Thread): Outbox {
  const left = box.filter((e) => !holds(thread, e.id));
  return left.length === box.length ? box : left;
}

/** The outbox as read back from storage, which any script on the page can write: valid entries only. */
export function parseOutbox(raw: unknown): OutboxEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: OutboxEntry[] = [];
  for (const r of raw.slice(-OUTBOX_MAX)) {
    if (!r || typeof r !== 'object') continue;
    const { id, kind, text, email, at, failed } = r as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[\w-]{8,64}$/.test(id) || (kind !== 'text' && kind !== 'call')) continue;
    if (typeof text !== 'string' || text.length > CHAT_MAX_LENGTH || (kind === 'text' && !text.trim())) continue;
    const entry: OutboxEntry = { id, kind, text: kind === 'call' ? '' : text, at: typeof at === 'number' && isFinite(at) ? at : 0 };
    const mail = typeof email === 'string' ? cleanEmail(email) : null;
    if (mail) entry.email = mail;
    if (typeof failed === 'string' && failed) entry.failed = failed.slice(0, 32);
    if (!out.some((e) => e.id === id)) out.push(entry);
  }
  return out;
}
