// Keeps the inbox and the threads on screen in step with the server over the tab's /agent
// socket. On every (re)connect it re-lists the recent conversations and re-syncs the open threads
// after the last seq they hold; live events update both; a thread with a gap fetches what it
// missed. Acks from before a disconnect are ignored (the reconnect redoes their work).
import { useCallback, useEffect, useRef, useState, type Dispatch, type RefObject } from 'react';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import type { AgentSocket } from '../lib/agent-socket';
import { withoutKey } from '../lib/maps';
import { ACK_TIMEOUT_MS, RETRY_MS, errorText, isTransient } from './acks';
import type { ChatAction, ChatState } from './chat-store';
import { toFilter, viewKey, type InboxView } from './inbox';

export const PAGE_SIZE = 30;
const RECENT_SIZE = 50;
/** The recent conversations every page of the shell knows (for alerts and the unread total). */
const RECENT_KEY = '__recent';
const RECENT_VIEW: InboxView = { site: null, status: 'all', owner: 'all' };

export interface ChatSync {
  connected: boolean;
  loadingLists: ReadonlySet<string>;
  listError: string | null;
  threadErrors: ReadonlyMap<string, string>;
  /** Bumped on every disconnect: acks of an older connection change nothing. */
  gen: RefObject<number>;
  /** Fetches what a thread is missing (again after the current fetch, when one is running). */
  sync(conversationId: string): void;
  /** Loads the first page of a list or, with `more`, the next one; retries until it is answered. */
  loadList(view: InboxView, more?: boolean, key?: string, limit?: number): void;
  /** A thread is on screen: keep it synced. Returns the release function. */
  openThread(conversationId: string): () => void;
  /** Whether a thread is on screen in this tab. */
  isOpen(conversationId: string): boolean;
}

export function useChatSync(socket: AgentSocket | null, state: ChatState, dispatch: Dispatch<ChatAction>): ChatSync {
  const stateRef = useRef(state);
  stateRef.current = state;
  const [connected, setConnected] = useState(false);
  const [loadingLists, setLoadingLists] = useState<ReadonlySet<string>>(new Set());
  const [listError, setListError] = useState<string | null>(null);
  const [threadErrors, setThreadErrors] = useState<ReadonlyMap<string, string>>(new Map());

  const gen = useRef(0);
  /** Threads on screen (a count per conversation: two views may show one). */
  const viewing = useRef(new Map<string, number>());
  const syncing = useRef(new Set<string>());
  const syncAgain = useRef(new Set<string>());
  const listing = useRef(new Set<string>());

  // ---- threads ----
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
          if (err || (!res.ok && isTransient(res.code))) {
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
          setThreadErrors((m) => withoutKey(m, conversationId));
          dispatch({ type: 'synced', conversation: res.conversation, messages: res.messages });
          const last = res.messages.length ? res.messages[res.messages.length - 1]!.seq : after;
          if (res.more && last > after) step(last);
          else done();
        });
      };
      step(stateRef.current.threads.get(conversationId)?.lastSeq ?? 0);
    },
    [socket, dispatch],
  );

  // A live message beyond the last seq held (one was missed): fetch what is missing.
  useEffect(() => {
    for (const id of viewing.current.keys()) {
      if (state.threads.get(id)?.gap) sync(id);
    }
  }, [state.threads, sync]);

  const openThread = useCallback(
    (conversationId: string) => {
      const n = viewing.current.get(conversationId) ?? 0;
      viewing.current.set(conversationId, n + 1);
      if (n === 0) sync(conversationId);
      return () => {
        const left = (viewing.current.get(conversationId) ?? 1) - 1;
        if (left <= 0) viewing.current.delete(conversationId);
        else viewing.current.set(conversationId, left);
      };
    },
    [sync],
  );

  const isOpen = useCallback((conversationId: string) => viewing.current.has(conversationId), []);

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
    [socket, dispatch],
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
  }, [state.inbox.totalStale, connected, socket, dispatch]);

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
    const onMessage = ({ message, conversation }: { message: ChatMessage; conversation: ConversationSummary }) => dispatch({ type: 'message', message, conversation });
    const onConversation = ({ conversation }: { conversation: ConversationSummary }) => dispatch({ type: 'upsert', conversation });
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('chat:message', onMessage);
    socket.on('chat:conversation', onConversation);
    if (socket.connected) onConnect();
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('chat:message', onMessage);
      socket.off('chat:conversation', onConversation);
    };
  }, [socket, loadList, sync, dispatch]);

  return { connected, loadingLists, listError, threadErrors, gen, sync, loadList, openThread, isOpen };
}
