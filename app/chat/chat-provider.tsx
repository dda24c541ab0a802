'use client';
// Chat for every page of the dashboard shell, on the tab's one /agent socket: mounted in the
// (app) layout next to the call provider. It holds the inbox (the unread total for the title and
// the nav badge), the threads this tab opened, and the outbox; it alerts the agent (chime and
// desktop notification) when a visitor writes where the agent is not looking.
//
// Delivery: on every (re)connect it re-lists, re-syncs the open threads after the last seq they
// hold, and resends the outbox with the same message ids (the server stores each id once).
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { Ack, ChatMessage, ConversationSummary, ErrorCode } from '../../server/protocol';
import { visitorLabel } from '../../server/chat/friendly-name';
import { useAgentSocket } from '../lib/agent-socket';
import {
  loadMuted,
  newMessageId,
  notificationPermission,
  playChime,
  requestNotificationPermission,
  saveMuted,
  showNotification,
  unlockAudioOnGesture,
  type Permission,
} from './alerts';
import { chatReducer, initialChat, type ChatState } from './chat-store';
import { alerts, systemText, titleWithUnread, toFilter, viewKey, type InboxView } from './inbox';
import { due, parseOutbox, serializeOutbox } from './outbox';

const ACK_TIMEOUT_MS = 10_000;
/** A send waits this long for its ack before it goes again (same id: never twice). */
const SEND_TIMEOUT_MS = 15_000;
const RETRY_MS = 3_000;
export const PAGE_SIZE = 30;
const RECENT_SIZE = 50;
/** The recent conversations every page of the shell knows (for alerts and the unread total). */
const RECENT_KEY = '__recent';
const RECENT_VIEW: InboxView = { site: null, status: 'all', owner: 'all' };
/** Typing events may be dropped: an indicator with no news for this long goes away. */
const TYPING_TTL_MS = 8_000;
const OUTBOX_KEY = 'porchlight.chat.outbox';
/** At most one chime per conversation in this window, however many messages it gets. */
const CHIME_GAP_MS = 1_500;

export interface ChatMe {
  id: string;
  name: string;
}

export interface TypingInfo {
  /** The visitor is typing; `text` is their draft when the site allows sneak peek. */
  visitor: { text: string | null; until: number } | null;
  /** Other agents typing in this conversation. */
  agents: { id: string; name: string; until: number }[];
}

export interface Rejection {
  /** The text of the messages the server refused, to give back to the composer. */
  text: string;
  message: string;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; message: string };

export interface ChatActions {
  /** Loads the first page of a list (or, with `more`, the next one). */
  loadList(view: InboxView, more?: boolean): void;
  /** A thread is on screen: keep it synced. Returns the release function. */
  openThread(conversationId: string): () => void;
  send(conversationId: string, text: string): void;
  /** The composer took the refused text back. */
  clearRejection(conversationId: string): void;
  start(siteId: string, visitorId: string): Promise<Result<{ conversation: ConversationSummary }>>;
  setStatus(conversationId: string, to: 'close' | 'reopen'): Promise<Result<object>>;
  markRead(conversationId: string, seq: number): void;
  setTyping(conversationId: string, typing: boolean): void;
  toggleMute(): void;
  enableNotifications(): Promise<void>;
  notify(message: string): void;
}

export interface ChatContextValue {
  me: ChatMe;
  state: ChatState;
  connected: boolean;
  typing: ReadonlyMap<string, TypingInfo>;
  loadingLists: ReadonlySet<string>;
  listError: string | null;
  threadErrors: ReadonlyMap<string, string>;
  rejections: ReadonlyMap<string, Rejection>;
  muted: boolean;
  permission: Permission;
  notice: string | null;
}

const StateCtx = createContext<ChatContextValue | null>(null);
const ActionsCtx = createContext<ChatActions | null>(null);

const ERROR_TEXT: Partial<Record<ErrorCode, string>> = {
  rate_limited: 'You are sending messages too fast. Wait a moment, then send again.',
  forbidden: 'This conversation is not available to your account.',
  not_found: 'This conversation no longer exists.',
  bad_request: 'This message could not be sent (it may be too long).',
  invalid_state: 'This conversation cannot take messages right now.',
  unauthorized: 'Your session has expired. Log in again.',
};

export function errorText(res: { code: ErrorCode; message?: string }, fallback: string): string {
  return ERROR_TEXT[res.code] ?? fallback;
}

export function ChatProvider({ me, children }: { me: ChatMe; children: ReactNode }) {
  const { socket } = useAgentSocket();
  const router = useRouter();
  const pathname = usePathname();
  const [state, dispatch] = useReducer(chatReducer, initialChat);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [connected, setConnected] = useState(false);
  const [typing, setTypingMap] = useState<ReadonlyMap<string, TypingInfo>>(new Map());
  const [loadingLists, setLoadingLists] = useState<ReadonlySet<string>>(new Set());
  const [listError, setListError] = useState<string | null>(null);
  const [threadErrors, setThreadErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [rejections, setRejections] = useState<ReadonlyMap<string, Rejection>>(new Map());
  const [muted, setMuted] = useState(false);
  const [permission, setPermission] = useState<Permission>('default');
  const [notice, setNotice] = useState<string | null>(null);

  /** Bumped on every disconnect: acks of an older connection change nothing. */
  const gen = useRef(0);
  /** Threads on screen (a count per conversation: two views may show one). */
  const viewing = useRef(new Map<string, number>());
  const syncing = useRef(new Set<string>());
  const syncAgain = useRef(new Set<string>());
  const listing = useRef(new Set<string>());
  const mutedRef = useRef(false);
  const lastChime = useRef(new Map<string, number>());
  const routerRef = useRef(router);
  routerRef.current = router;
  const pathRef = useRef(pathname);
  pathRef.current = pathname;

  useEffect(() => {
    const m = loadMuted();
    mutedRef.current = m;
    setMuted(m);
    setPermission(notificationPermission());
    return unlockAudioOnGesture();
  }, []);

  // The outbox outlives a reload of the tab: what was typed offline still goes out (same ids).
  const outboxLoaded = useRef(false);
  useEffect(() => {
    let saved: string | null = null;
    try {
      saved = window.sessionStorage.getItem(OUTBOX_KEY);
    } catch {
      // storage unavailable: the outbox lives in memory only
    }
    for (const entry of parseOutbox(saved, Date.now())) dispatch({ type: 'queue', entry });
    outboxLoaded.current = true;
  }, []);
  useEffect(() => {
    if (!outboxLoaded.current) return;
    try {
      if (state.outbox.length) window.sessionStorage.setItem(OUTBOX_KEY, serializeOutbox(state.outbox));
      else window.sessionStorage.removeItem(OUTBOX_KEY);
    } catch {
      // see above
    }
  }, [state.outbox]);

  // ---- thread sync ----
  const sync = useCallback(
    (conversationId: string) => {
      if (!socket?.connected) return;
      if (syncing.current.has(conversationId)) {
        syncAgain.current.add(conversationId);
        return;
      }
      syncing.current.add(conversationId);
      const g = gen.current;
      const done = () => {
        syncing.current.delete(conversationId);
        if (syncAgain.current.delete(conversationId)) sync(conversationId);
      };
      const step = (after: number) => {
        socket.timeout(ACK_TIMEOUT_MS).emit('chat:sync', { conversationId, after }, (err, res) => {
          if (g !== gen.current) return;
          if (err) {
            syncing.current.delete(conversationId);
            setTimeout(() => {
              if (viewing.current.has(conversationId)) sync(conversationId);
            }, RETRY_MS);
            return;
          }
          if (!res.ok && (res.code === 'rate_limited' || res.code === 'internal')) {
            syncing.current.delete(conversationId);
            setTimeout(() => {
              if (viewing.current.has(conversationId)) sync(conversationId);
            }, RETRY_MS);
            return;
          }
          if (!res.ok) {
            syncing.current.delete(conversationId);
            const message =
              res.code === 'not_found' || res.code === 'forbidden'
                ? 'This conversation does not exist, or it belongs to a workspace you are not in.'
                : errorText(res, 'Could not load this conversation.');
            setThreadErrors((m) => new Map(m).set(conversationId, message));
            return;
          }
          setThreadErrors((m) => {
            if (!m.has(conversationId)) return m;
            const copy = new Map(m);
            copy.delete(conversationId);
            return copy;
          });
          dispatch({ type: 'synced', conversation: res.conversation, messages: res.messages });
          const last = res.messages.length ? res.messages[res.messages.length - 1]!.seq : after;
          if (res.more && last > after) step(last);
          else done();
        });
      };
      step(stateRef.current.threads.get(conversationId)?.lastSeq ?? 0);
    },
    [socket],
  );

  // A live message beyond the last seq held (one was missed): fetch what is missing.
  useEffect(() => {
    for (const id of viewing.current.keys()) {
      if (state.threads.get(id)?.gap) sync(id);
    }
  }, [state.threads, sync]);

  // ---- lists ----
  const loadList = useCallback(
    (view: InboxView, more = false, key = viewKey(view), limit = PAGE_SIZE) => {
      if (!socket?.connected || listing.current.has(key)) return;
      const win = stateRef.current.inbox.lists.get(key);
      if (more && (!win || !win.more || win.floor === null)) return;
      listing.current.add(key);
      setLoadingLists(new Set(listing.current));
      const g = gen.current;
      socket.timeout(ACK_TIMEOUT_MS).emit('chat:list', toFilter(view, more ? win!.floor! : undefined, limit), (err, res) => {
        if (g !== gen.current) return;
        listing.current.delete(key);
        setLoadingLists(new Set(listing.current));
        if (err || !res.ok) {
          setListError(err || res.ok ? 'The server did not answer. Retrying…' : errorText(res, 'Could not load conversations.'));
          setTimeout(() => {
            if (g === gen.current) loadList(view, more, key, limit);
          }, RETRY_MS);
          return;
        }
        setListError(null);
        dispatch({ type: 'listed', key, conversations: res.conversations, unreadTotal: res.unreadTotal, more: res.conversations.length >= limit, append: more });
      });
    },
    [socket],
  );

  // An unknown conversation changed without a message: ask for the total again.
  useEffect(() => {
    if (!state.inbox.totalStale || !connected || !socket) return;
    const t = setTimeout(() => {
      const g = gen.current;
      socket.timeout(ACK_TIMEOUT_MS).emit('chat:list', { status: 'all', owner: 'all', limit: 1 }, (err, res) => {
        if (g === gen.current && !err && res.ok) dispatch({ type: 'total', unreadTotal: res.unreadTotal });
      });
    }, 300);
    return () => clearTimeout(t);
  }, [state.inbox.totalStale, connected, socket]);

  // ---- socket events ----
  useEffect(() => {
    if (!socket) return;
    const onConnect = () => {
      setConnected(true);
      dispatch({ type: 'reconnected' });
      loadList(RECENT_VIEW, false, RECENT_KEY, RECENT_SIZE);
      for (const id of viewing.current.keys()) sync(id);
    };
    const onDisconnect = () => {
      gen.current++;
      syncing.current.clear();
      syncAgain.current.clear();
      listing.current.clear();
      setLoadingLists(new Set());
      setConnected(false);
      dispatch({ type: 'unanswered' });
    };
    const onMessage = ({ message, conversation }: { message: ChatMessage; conversation: ConversationSummary }) => {
      dispatch({ type: 'message', message, conversation });
      clearTyping(message);
      if (!alerts(message)) return;
      const looking = document.visibilityState === 'visible' && viewing.current.has(conversation.id);
      if (looking || mutedRef.current) return;
      const now = Date.now();
      if (now - (lastChime.current.get(conversation.id) ?? 0) > CHIME_GAP_MS) {
        lastChime.current.set(conversation.id, now);
        playChime();
      }
      const label = visitorLabel(conversation.visitorId, conversation.visitorName);
      const body = message.from === 'system' ? systemText(message.event, null, label) : message.text.slice(0, 200);
      showNotification(label, body, `porchlight-chat-${conversation.id}`, () => routerRef.current.push(`/conversations/${conversation.id}`));
    };
    const onConversation = ({ conversation }: { conversation: ConversationSummary }) => dispatch({ type: 'upsert', conversation });
    const onTyping = (p: { conversationId: string; typing: boolean; from: 'visitor' | { id: string; name: string }; text?: string }) => {
      const until = Date.now() + TYPING_TTL_MS;
      setTypingMap((cur) => {
        const prev = cur.get(p.conversationId) ?? { visitor: null, agents: [] };
        let next: TypingInfo;
        if (p.from === 'visitor') {
          next = { ...prev, visitor: p.typing ? { text: typeof p.text === 'string' && p.text.trim() ? p.text : null, until } : null };
        } else {
          const from = p.from;
          if (from.id === me.id) return cur;
          const agents = prev.agents.filter((a) => a.id !== from.id);
          if (p.typing) agents.push({ id: from.id, name: from.name, until });
          next = { ...prev, agents };
        }
        const copy = new Map(cur);
        if (!next.visitor && next.agents.length === 0) copy.delete(p.conversationId);
        else copy.set(p.conversationId, next);
        return copy;
      });
    };
    const clearTyping = (m: ChatMessage) => {
      setTypingMap((cur) => {
        const t = cur.get(m.conversationId);
        if (!t) return cur;
        const next: TypingInfo =
          m.from === 'visitor' ? { ...t, visitor: null } : m.from === 'agent' && m.agent ? { ...t, agents: t.agents.filter((a) => a.id !== m.agent!.id) } : t;
        if (next === t) return cur;
        const copy = new Map(cur);
        if (!next.visitor && next.agents.length === 0) copy.delete(m.conversationId);
        else copy.set(m.conversationId, next);
        return copy;
      });
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('chat:message', onMessage);
    socket.on('chat:conversation', onConversation);
    socket.on('chat:typing', onTyping);
    if (socket.connected) onConnect();
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('chat:message', onMessage);
      socket.off('chat:conversation', onConversation);
      socket.off('chat:typing', onTyping);
    };
  }, [socket, loadList, sync, me.id]);

  // Typing indicators expire (a "stopped typing" may never come).
  useEffect(() => {
    if (typing.size === 0) return;
    const t = setInterval(() => {
      const now = Date.now();
      setTypingMap((cur) => {
        let changed = false;
        const copy = new Map<string, TypingInfo>();
        for (const [id, info] of cur) {
          const visitor = info.visitor && info.visitor.until > now ? info.visitor : null;
          const agents = info.agents.filter((a) => a.until > now);
          if (visitor !== info.visitor || agents.length !== info.agents.length) changed = true;
          if (visitor || agents.length) copy.set(id, { visitor, agents });
        }
        return changed ? copy : cur;
      });
    }, 1_000);
    return () => clearInterval(t);
  }, [typing.size]);

  // ---- outbox: send what is due whenever connected ----
  useEffect(() => {
    if (!connected || !socket) return;
    const list = due(state.outbox);
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
        if (res.code === 'rate_limited' || res.code === 'internal') {
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
  }, [connected, socket, state.outbox]);

  // ---- the unread total in the tab title ----
  // React (Next's metadata) owns the page's <title>; touching its text could break hydration of a
  // page still streaming in. The count goes into a <title> of our own, first in <head> (the one
  // the browser shows), made from React's and kept in step with it.
  const unread = state.inbox.unreadTotal;
  useEffect(() => {
    const apply = () => {
      const own = document.head.querySelector<HTMLTitleElement>('title[data-unread]');
      const page = [...document.head.querySelectorAll('title')].find((t) => !t.hasAttribute('data-unread'));
      const base = titleWithUnread(page?.textContent ?? '', 0);
      if (unread <= 0 || !base) {
        own?.remove();
        return;
      }
      const want = titleWithUnread(base, unread);
      const el = own ?? document.createElement('title');
      if (!own) el.setAttribute('data-unread', '');
      if (el.textContent !== want) el.textContent = want;
      if (document.head.firstChild !== el) document.head.insertBefore(el, document.head.firstChild);
    };
    apply();
    const obs = new MutationObserver(apply);
    obs.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      obs.disconnect();
      document.head.querySelector('title[data-unread]')?.remove();
    };
  }, [unread, pathname]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 6_000);
    return () => clearTimeout(t);
  }, [notice]);

  // ---- actions ----
  const actions = useMemo<ChatActions>(
    () => ({
      loadList: (view, more = false) => loadList(view, more),
      openThread(conversationId) {
        const n = viewing.current.get(conversationId) ?? 0;
        viewing.current.set(conversationId, n + 1);
        if (n === 0) sync(conversationId);
        return () => {
          const left = (viewing.current.get(conversationId) ?? 1) - 1;
          if (left <= 0) viewing.current.delete(conversationId);
          else viewing.current.set(conversationId, left);
        };
      },
      send(conversationId, text) {
        dispatch({ type: 'queue', entry: { id: newMessageId(), conversationId, text, createdAt: Date.now() } });
      },
      clearRejection(conversationId) {
        setRejections((m) => {
          if (!m.has(conversationId)) return m;
          const copy = new Map(m);
          copy.delete(conversationId);
          return copy;
        });
      },
      start: (siteId, visitorId) =>
        new Promise((resolve) => {
          if (!socket?.connected) return resolve({ ok: false, message: 'Not connected to Porchlight. Try again in a moment.' });
          socket.timeout(ACK_TIMEOUT_MS).emit('chat:start', { siteId, visitorId }, (err, res) => {
            if (err) return resolve({ ok: false, message: 'The server did not answer in time. Try again.' });
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
          if (!socket?.connected) return resolve({ ok: false, message: 'Not connected to Porchlight. Try again in a moment.' });
          socket.timeout(ACK_TIMEOUT_MS).emit(to === 'close' ? 'chat:close' : 'chat:reopen', { conversationId }, (err, res) => {
            if (err) return resolve({ ok: false, message: 'The server did not answer in time. Try again.' });
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
      toggleMute() {
        const next = !mutedRef.current;
        mutedRef.current = next;
        saveMuted(next);
        setMuted(next);
      },
      async enableNotifications() {
        setPermission(await requestNotificationPermission());
      },
      notify: (message) => setNotice(message),
    }),
    [socket, loadList, sync],
  );

  const value = useMemo<ChatContextValue>(
    () => ({ me, state, connected, typing, loadingLists, listError, threadErrors, rejections, muted, permission, notice }),
    [me, state, connected, typing, loadingLists, listError, threadErrors, rejections, muted, permission, notice],
  );

  return (
    <ActionsCtx.Provider value={actions}>
      <StateCtx.Provider value={value}>
        {children}
        {notice && (
          <div className="chat-toast" role="status" data-testid="chat-toast">
            {notice}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
      </StateCtx.Provider>
    </ActionsCtx.Provider>
  );
}

/** The chat state; null outside the dashboard shell. */
export function useChat(): ChatContextValue | null {
  return useContext(StateCtx);
}

export function useChatActions(): ChatActions | null {
  return useContext(ActionsCtx);
}

/** The unread total (0 outside the shell), for the nav badge. */
export function useUnreadTotal(): number {
  return useContext(StateCtx)?.state.inbox.unreadTotal ?? 0;
}
