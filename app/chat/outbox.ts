// The agent's outbox: messages typed but not yet stored by the server. Each keeps the id chosen
// when it was typed, so sending it again (after a reconnect, after an ack that never came) can
// never make it twice: the server stores a message once per id. Pure; use-outbox.ts does the I/O.
import { CHAT_MAX_LENGTH } from '../../server/protocol/chat';

export interface OutboxEntry {
  /** The message id (crypto.randomUUID()), the same for every attempt. */
  id: string;
  conversationId: string;
  text: string;
  /** Client clock, for ordering and "Sending…" under the bubble. */
  createdAt: number;
  /** An attempt is on the wire and its ack has not come back. */
  inFlight: boolean;
  attempts: number;
}

export type Outbox = readonly OutboxEntry[];

/** The text as it is sent: trailing blank lines and spaces trimmed; null when there is nothing to send. */
export function cleanText(raw: string): string | null {
  const text = raw.replace(/^\s*\n/, '').replace(/\s+$/, '');
  if (!text.trim()) return null;
  return text;
}

/** Whether a draft is over the limit (what String.length counts: UTF-16 code units, as the server). */
export const tooLong = (text: string): boolean => text.length > CHAT_MAX_LENGTH;

export type OutboxAction =
  | { type: 'queue'; entry: Pick<OutboxEntry, 'id' | 'conversationId' | 'text' | 'createdAt'> }
  /** Attempts went on the wire. */
  | { type: 'sending'; ids: string[] }
  /** Stored by the server (its ack, or the message seen in the thread): done. */
  | { type: 'stored'; ids: string[] }
  /** The server refused it for good (the UI gives the text back to the composer). */
  | { type: 'rejected'; id: string }
  /** No answer (timeout) or the connection dropped: it goes again with the next attempt. */
  | { type: 'unanswered'; ids?: string[] };

export function outboxReducer(box: Outbox, a: OutboxAction): Outbox {
  switch (a.type) {
    case 'queue':
      if (box.some((e) => e.id === a.entry.id)) return box;
      return [...box, { ...a.entry, inFlight: false, attempts: 0 }];
    case 'sending': {
      const ids = new Set(a.ids);
      if (!box.some((e) => ids.has(e.id) && !e.inFlight)) return box;
      return box.map((e) => (ids.has(e.id) && !e.inFlight ? { ...e, inFlight: true, attempts: e.attempts + 1 } : e));
    }
    case 'stored': {
      const ids = new Set(a.ids);
      return box.some((e) => ids.has(e.id)) ? box.filter((e) => !ids.has(e.id)) : box;
    }
    case 'rejected':
      return box.some((e) => e.id === a.id) ? box.filter((e) => e.id !== a.id) : box;
    case 'unanswered': {
      const ids = a.ids ? new Set(a.ids) : null;
      if (!box.some((e) => e.inFlight && (!ids || ids.has(e.id)))) return box;
      return box.map((e) => (e.inFlight && (!ids || ids.has(e.id)) ? { ...e, inFlight: false } : e));
    }
  }
}

/** What to put on the wire now (when connected): every entry without an attempt in flight, oldest first. */
export function due(box: Outbox): OutboxEntry[] {
  return box.filter((e) => !e.inFlight).sort((a, b) => a.createdAt - b.createdAt);
}

/** The entries of one conversation not yet in its thread ("Sending…" bubbles), oldest first. */
export function pendingFor(box: Outbox, conversationId: string, held: (id: string) => boolean): OutboxEntry[] {
  return box.filter((e) => e.conversationId === conversationId && !held(e.id)).sort((a, b) => a.createdAt - b.createdAt);
}

/** Entries kept across a reload of the tab (sessionStorage), at most this old. */
const KEEP_MS = 24 * 3_600_000;

/** The outbox as stored: what is needed to send each entry again. */
export function serializeOutbox(box: Outbox): string {
  return JSON.stringify(box.map(({ id, conversationId, text, createdAt }) => ({ id, conversationId, text, createdAt })));
}

/** Entries read back from storage; anything malformed or stale is dropped. */
export function parseOutbox(raw: string | null, now: number): Pick<OutboxEntry, 'id' | 'conversationId' | 'text' | 'createdAt'>[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: Pick<OutboxEntry, 'id' | 'conversationId' | 'text' | 'createdAt'>[] = [];
  for (const e of data as Record<string, unknown>[]) {
    if (!e || typeof e !== 'object') continue;
    const { id, conversationId, text, createdAt } = e;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) continue;
    if (typeof conversationId !== 'string' || typeof text !== 'string' || !text.trim() || tooLong(text)) continue;
    if (typeof createdAt !== 'number' || now - createdAt > KEEP_MS) continue;
    out.push({ id, conversationId, text, createdAt });
  }
  return out;
}
