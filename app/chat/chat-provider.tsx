'use client';
// Chat for every page of the dashboard shell, on the tab's one /agent socket: mounted in the
// (app) layout next to the call provider. It holds the inbox (the unread total for the title and
// the nav badge), the threads this tab opened, and the outbox; it alerts the agent (chime and
// desktop notification) when a visitor writes where the agent is not looking. The parts live in
// their own hooks; this file puts them together and offers them through chat-context.ts.
//
// Delivery: on every (re)connect it re-lists, re-syncs the open threads after the last seq they
// hold, and resends the outbox with the same message ids (the server stores each id once).
import { useMemo, useReducer, useRef, type ReactNode } from 'react';
import { useAgentSocket } from '../lib/agent-socket';
import { ACK_TIMEOUT_MS, errorText } from './acks';
import { ActionsCtx, StateCtx, type ChatActions, type ChatContextValue, type ChatMe } from './chat-context';
import { chatReducer, initialChat } from './chat-store';
import { ChatToast, useNotice } from './chat-toast';
import { useChatAlerts } from './use-chat-alerts';
import { useChatSync } from './use-chat-sync';
import { useOutbox } from './use-outbox';
import { useTypingIndicators } from './use-typing';
import { useUnreadTitle } from './use-unread-title';

const OFFLINE = { ok: false, message: 'Not connected to Porchlight. Try again in a moment.' } as const;
const NO_ANSWER = { ok: false, message: 'The server did not answer in time. Try again.' } as const;

export function ChatProvider({ me, children }: { me: ChatMe; children: ReactNode }) {
  const { socket } = useAgentSocket();
  const [state, dispatch] = useReducer(chatReducer, initialChat);
  const stateRef = useRef(state);
  stateRef.current = state;

  const { connected, loadingLists, listError, threadErrors, gen, sync, loadList, openThread, isOpen } = useChatSync(socket, state, dispatch);
  const typing = useTypingIndicators(socket, me.id);
  const { muted, permission, toggleMute, enableNotifications } = useChatAlerts(socket, isOpen);
  const { rejections, send, clearRejection } = useOutbox({ socket, connected, gen, outbox: state.outbox, dispatch });
  useUnreadTitle(state.inbox.unreadTotal);
  const [notice, setNotice] = useNotice();

  const actions = useMemo<ChatActions>(
    () => ({
      loadList: (view, more = false) => loadList(view, more),
      openThread,
      send,
      clearRejection,
      start: (siteId, visitorId) =>
        new Promise((resolve) => {
          if (!socket?.connected) return resolve(OFFLINE);
          socket.timeout(ACK_TIMEOUT_MS).emit('chat:start', { siteId, visitorId }, (err, res) => {
            if (err) return resolve(NO_ANSWER);
            if (!res.ok) {
              const gone = res.code === 'not_found' || res.code === 'gone' || res.code === 'invalid_state';
              return resolve({ ok: false, message: gone ? 'This visitor has left the site: a chat needs them online.' : errorText(res, 'Could not start a chat.') });
            }
            dispatch({ type: 'upsert', conversation: res.conversation });
            resolve({ ok: true, conversation: res.conversation });
          });
        }),
      setStatus: (conversationId, to) =>
        new Promise((resolve) => {
          if (!socket?.connected) return resolve(OFFLINE);
          socket.timeout(ACK_TIMEOUT_MS).emit(to === 'close' ? 'chat:close' : 'chat:reopen', { conversationId }, (err, res) => {
            if (err) return resolve(NO_ANSWER);
            if (!res.ok) return resolve({ ok: false, message: errorText(res, `Could not ${to} the conversation.`) });
            dispatch({ type: 'upsert', conversation: res.conversation });
            sync(conversationId); // the system line ("closed") is in the thread now
            resolve({ ok: true });
          });
        }),
      markRead(conversationId, seq) {
        const c = stateRef.current.inbox.conversations.get(conversationId);
        if (!socket?.connected || !c) return;
        socket.emit('chat:read', { conversationId, seq });
        // Shown at once; the server's chat:conversation confirms it for every agent.
        if (seq >= c.lastSeq && (c.unread > 0 || c.agentReadSeq < seq)) {
          dispatch({ type: 'upsert', conversation: { ...c, unread: 0, agentReadSeq: Math.max(c.agentReadSeq, seq) } });
        }
      },
      setTyping(conversationId, isTyping) {
        if (socket?.connected) socket.emit('chat:typing', { conversationId, typing: isTyping });
      },
      toggleMute,
      enableNotifications,
      notify: (message) => setNotice(message),
    }),
    [socket, loadList, sync, openThread, send, clearRejection, toggleMute, enableNotifications, setNotice],
  );

  const value = useMemo<ChatContextValue>(
    () => ({ me, state, connected, typing, loadingLists, listError, threadErrors, rejections, muted, permission, notice }),
    [me, state, connected, typing, loadingLists, listError, threadErrors, rejections, muted, permission, notice],
  );

  return (
    <ActionsCtx.Provider value={actions}>
      <StateCtx.Provider value={value}>
        {children}
        {notice && <ChatToast notice={notice} onDismiss={() => setNotice(null)} />}
      </StateCtx.Provider>
    </ActionsCtx.Provider>
  );
}
