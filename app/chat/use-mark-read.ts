// Marks the conversation read while its thread is on screen and the tab is visible (again after a reconnect).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Thread } from '../../server/chat/thread';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import type { ChatActions } from './chat-context';

export function useMarkRead(c: ConversationSummary, thread: Thread | undefined, messages: readonly ChatMessage[], connected: boolean, actions: ChatActions): void {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === 'visible');
    on();
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  const lastVisitorSeq = useMemo(() => {
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.from !== 'agent') return messages[i]!.seq;
    return 0;
  }, [messages]);
  const readSent = useRef(0);
  const heldSeq = thread?.lastSeq ?? 0;
  useEffect(() => {
    if (!visible || !thread || !connected) return;
    const unreadHere = c.unread > 0 || lastVisitorSeq > c.agentReadSeq;
    if (!unreadHere || heldSeq <= readSent.current && c.unread === 0) return;
    readSent.current = heldSeq;
    actions.markRead(c.id, heldSeq);
  }, [visible, thread, heldSeq, c.unread, c.agentReadSeq, c.id, lastVisitorSeq, connected, actions]);
  // A reconnect may have lost the read: allow sending it again.
  useEffect(() => {
    if (!connected) readSent.current = 0;
  }, [connected]);
}
