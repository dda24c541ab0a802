// The chat's conversation with the server over the visitor socket: chat:hello (once per
// connection after the panel opened), chat:sync (on every connect and whenever the thread has a
// gap, page after page while `more`), and the outbox pump: the oldest unsent message goes out,
// the next only after its ack, so messages keep their order; a resend uses the same id (the
// server stores it once). Nothing is emitted while disconnected (socket.io would buffer it and
// replay it next to our own resend); everything starts again on `connect`.
import type { Ack, ChatMessage, ChatPage, ErrorCode, VisitorChatInfo } from '../../../server/protocol';
import { nextToSend, type OutboxEntry } from './outbox';
import { guard, log } from './safe';
import type { Action, ChatState } from './state';
import { isAgentList, isChatInfo, isMessage } from './validate';

/** The part of the socket.io client socket the chat uses. */
export interface ChatSocket {
  readonly connected: boolean;
  on(event: string, fn: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

/** An ack slower than this counts as lost: the message stays in the outbox and goes again. */
export const ACK_TIMEOUT_MS = 15_000;
/** After a lost ack or rate limiting, the next try. */
export const RETRY_MS = 5_000;

export interface DeliveryHooks {
  get(): ChatState;
  dispatch(a: Action): void;
  /** The server refused a message as rate limited: true when its text went back to the composer. */
  rateLimited(entry: OutboxEntry): boolean;
  refused(entry: OutboxEntry, code: ErrorCode): void;
}

export interface Delivery {
  /** The panel opened: say hello (now, or on connect). */
  hello(): void;
  sync(): void;
  pump(): void;
  connected(): void;
  disconnected(): void;
}

export function createDelivery(socket: ChatSocket, h: DeliveryHooks): Delivery {
  let gen = 0;
  let wantHello = false;
  let helloed = false;
  let syncing = false;
  let syncAgain = false;
  let synced = false;
  let inflight = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const call = <T extends object>(event: string, payload: unknown, done: (res: Ack<T> | null) => void): void => {
    socket.timeout(ACK_TIMEOUT_MS).emit(
      event,
      payload,
      guard((err: unknown, res: unknown) => {
        if (err) log('no answer to', event, err);
        done(!err && res && typeof res === 'object' && typeof (res as { ok?: unknown }).ok === 'boolean' ? (res as Ack<T>) : null);
      }),
    );
  };

  const later = (): void => {
    clearTimeout(retry);
    retry = setTimeout(guard(pump), RETRY_MS);
  };

  function hello(): void {
    wantHello = true;
    if (!socket.connected || helloed) return;
    helloed = true;
    const g = gen;
    call<{ chat: VisitorChatInfo }>('chat:hello', {}, (res) => {
      if (res?.ok && isChatInfo(res.chat)) {
        h.dispatch({ type: 'hello', info: { ...res.chat, agents: isAgentList(res.chat.agents) ? res.chat.agents : [] } });
        // The conversation has more than this thread holds (a message of another tab, say).
        if (res.chat.lastSeq > h.get().thread.lastSeq) sync();
      } else if (g === gen) helloed = false;
    });
  }

  function sync(): void {
    if (!socket.connected) return;
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    syncAgain = false;
    const g = gen;
    const after = h.get().thread.lastSeq;
    call<ChatPage>('chat:sync', { after }, (res) => {
      if (res?.ok && Array.isArray(res.messages)) h.dispatch({ type: 'messages', messages: res.messages.filter(isMessage), live: false });
      if (g !== gen) return; // the new connection syncs for itself
      syncing = false;
      synced = true;
      const t = h.get().thread;
      // Page after page; again if a gap was seen meanwhile. Only while it moves forward.
      if (res?.ok && t.lastSeq > after && (res.more || t.gap || syncAgain)) sync();
      pump();
    });
  }

  function pump(): void {
    if (inflight || !socket.connected || !synced) return;
    const entry = nextToSend(h.get().outbox);
    if (!entry) return;
    inflight = true;
    const g = gen;
    const [event, payload] =
      entry.kind === 'call' ? ['chat:request-call', { id: entry.id }] : ['chat:send', entry.email ? { id: entry.id, text: entry.text, email: entry.email } : { id: entry.id, text: entry.text }];
    call<{ message: ChatMessage }>(event, payload, (res) => {
      // Stored is stored, whichever connection heard the ack.
      if (res?.ok && isMessage(res.message)) h.dispatch({ type: 'messages', messages: [res.message], live: false });
      if (g !== gen) return;
      inflight = false;
      if (!res) return later();
      if (!res.ok) {
        if (res.code === 'rate_limited') {
          if (!h.rateLimited(entry)) return later();
        } else h.refused(entry, res.code);
      } else if (h.get().thread.gap) sync();
      pump();
    });
  }

  return {
    hello,
    sync,
    pump,
    connected() {
      gen++;
      inflight = syncing = synced = helloed = false;
      if (wantHello) hello();
      sync();
    },
    disconnected() {
      gen++;
      inflight = syncing = synced = helloed = false;
      clearTimeout(retry);
    },
  };
}
