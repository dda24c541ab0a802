// What the chat provider offers every page of the dashboard shell: its state and its actions, in
// two contexts so that components that only act (buttons) do not re-render on every message.
import { createContext, useContext } from 'react';
import type { ConversationSummary } from '../../server/protocol';
import type { Permission } from './alerts';
import type { ChatState } from './chat-store';
import type { InboxView } from './inbox';

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

export const StateCtx = createContext<ChatContextValue | null>(null);
export const ActionsCtx = createContext<ChatActions | null>(null);

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
