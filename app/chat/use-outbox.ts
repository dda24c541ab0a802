// The outbox's I/O (outbox.ts is the pure part). It outlives a reload of the tab, in
// sessionStorage, so what was typed offline still goes out; whenever the socket is connected,
// what is due goes on the wire with its id, and what the server refuses for good goes back to
// the composer as a rejection.
import { useCallback, useEffect, useRef, useState, type Dispatch, type RefObject } from 'react';
import type { Ack, ChatMessage, ConversationSummary } from '../../server/protocol';
import type { AgentSocket } from '../lib/agent-socket';
import { withoutKey } from '../lib/maps';
import { RETRY_MS, SEND_TIMEOUT_MS, errorText, isTransient } from './acks';
import { newMessageId } from './alerts';
import type { Rejection } from './chat-context';
import type { ChatAction } from './chat-store';
import { due, parseOutbox, serializeOutbox, type Outbox } from './outbox';

const OUTBOX_KEY = 'porchlight.chat.outbox';

interface Options {
  socket: AgentSocket | null;
  connected: boolean;
  /** The connection generation (use-chat-sync): an ack from an older one changes nothing. */
  gen: RefObject<number>;
  outbox: Outbox;
  dispatch: Dispatch<ChatAction>;
}

export interface OutboxControls {
  /** Rejected text by conversation id. */
  rejections: ReadonlyMap<string, Rejection>;
  /** Queues a message (a new id, kept for every attempt). */
  send(conversationId: string, text: string): void;
  /** The composer took the refused text back. */
  clearRejection(conversationId: string): void;
}

export function useOutbox({ socket, connected, gen, outbox, dispatch }: Options): OutboxControls {
  const [rejections, setRejections] = useState<ReadonlyMap<string, Rejection>>(new Map());

  const loaded = useRef(false);
  useEffect(() => {
    let saved: string | null = null;
    try {
      saved = window.sessionStorage.getItem(OUTBOX_KEY);
    } catch {
      // storage unavailable: the outbox lives in memory only
    }
    for (const entry of parseOutbox(saved, Date.now())) dispatch({ type: 'queue', entry });
    loaded.current = true;
  }, [dispatch]);
  useEffect(() => {
    if (!loaded.current) return;
    try {
      if (outbox.length) window.sessionStorage.setItem(OUTBOX_KEY, serializeOutbox(outbox));
      else window.sessionStorage.removeItem(OUTBOX_KEY);
    } catch {
      // see above
    }
  }, [outbox]);

  // Send what is due whenever connected.
  useEffect(() => {
    if (!connected || !socket) return;
    const list = due(outbox);
    if (list.length === 0) return;
    dispatch({ type: 'sending', ids: list.map((e) => e.id) });
    const g = gen.current;
    for (const e of list) {
      socket.timeout(SEND_TIMEOUT_MS).emit('chat:send', { conversationId: e.conversationId, id: e.id, text: e.text }, (err, res: Ack<{ message: ChatMessage; conversation: ConversationSummary }>) => {
        if (g !== gen.current) return; // the disconnect already put it back in line
        if (err) {
          dispatch({ type: 'unanswered', ids: [e.id] });
          return;
        }
        if (res.ok) {
          dispatch({ type: 'message', message: res.message, conversation: res.conversation });
          return;
        }
        if (isTransient(res.code)) {
          setTimeout(() => dispatch({ type: 'unanswered', ids: [e.id] }), RETRY_MS);
          return;
        }
        dispatch({ type: 'rejected', id: e.id });
        const message = errorText(res, 'The message could not be sent. Try again.');
        setRejections((m) => {
          const prev = m.get(e.conversationId);
          return new Map(m).set(e.conversationId, { text: prev ? `${prev.text}\n${e.text}` : e.text, message });
        });
      });
    }
  }, [connected, socket, outbox, gen, dispatch]);

  const send = useCallback(
    (conversationId: string, text: string) => dispatch({ type: 'queue', entry: { id: newMessageId(), conversationId, text, createdAt: Date.now() } }),
    [dispatch],
  );
  const clearRejection = useCallback((conversationId: string) => setRejections((m) => withoutKey(m, conversationId)), []);

  return { rejections, send, clearRejection };
}
