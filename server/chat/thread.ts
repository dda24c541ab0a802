// A client's copy of a thread (the widget's and the dashboard's): messages kept by seq, each
// once, in order, whatever order live events and replays arrive in. Browser-safe, pure.
//
// The rule both clients follow: on every (re)connect, and whenever `gap` says messages are
// missing, ask the server for everything after `lastSeq` (chat:sync) and merge the answer.
import type { ChatMessage } from '../protocol';

export interface Thread {
  /** Messages in seq order, no seq twice. */
  messages: ChatMessage[];
  /** The highest seq held such that every seq up to it is held too (what to sync after). */
  lastSeq: number;
  /** Some seq above lastSeq arrived first: lastSeq+1.. is missing and must be fetched. */
  gap: boolean;
}

export const emptyThread: Thread = { messages: [], lastSeq: 0, gap: false };

/** The thread with these messages merged in (a duplicate seq is ignored; the stored copy wins). */
export function mergeMessages(thread: Thread, incoming: readonly ChatMessage[]): Thread {
  if (incoming.length === 0) return thread;
  const bySeq = new Map<number, ChatMessage>();
  for (const m of thread.messages) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    if (!Number.isInteger(m.seq) || m.seq < 1 || bySeq.has(m.seq)) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  if (!changed) return thread;
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { messages, ...contiguity(messages, thread.lastSeq) };
}

/** How far the thread is complete, given it was complete up to `from` already. */
function contiguity(messages: readonly ChatMessage[], from: number): { lastSeq: number; gap: boolean } {
  const held = new Set(messages.map((m) => m.seq));
  let last = from;
  while (held.has(last + 1)) last++;
  const max = messages.length ? messages[messages.length - 1]!.seq : 0;
  return { lastSeq: last, gap: max > last };
}

/**
 * A thread that starts at `base` because older messages were not loaded (the dashboard opens
 * long threads at their end): everything up to base counts as held.
 */
export function threadFrom(base: number): Thread {
  return { messages: [], lastSeq: Math.max(0, base), gap: false };
}

/** Whether a message (by its sender's id) is in the thread yet: an outbox entry is done once it is. */
export function holds(thread: Thread, messageId: string): boolean {
  return thread.messages.some((m) => m.id === messageId);
}
