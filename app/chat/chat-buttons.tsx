'use client';
// Proactive chat: a Chat button on each live-table row and in the visitor panel. It opens the
// visitor's conversation (chat:start creates it when they have none) in the inbox, where the
// agent's first message goes straight to the visitor's page.
import { useRouter } from 'next/navigation';
import { useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { useChatActions } from './chat-context';
import { ChatIcon } from './icons';

type ChatTarget = Pick<LiveVisitor, 'id' | 'chat'>;

/** Opens the visitor's conversation; returns [open, pending]. */
function useOpenChat(siteId: string, visitor: ChatTarget) {
  const actions = useChatActions();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const open = async () => {
    if (!actions || pending) return;
    // An open conversation is one click away; otherwise ask for it (the server returns theirs if they have one).
    if (visitor.chat && visitor.chat.status === 'open') {
      router.push(`/conversations/${visitor.chat.conversationId}`);
      return;
    }
    setPending(true);
    const res = await actions.start(siteId, visitor.id);
    setPending(false);
    if (!res.ok) {
      actions.notify(res.message);
      return;
    }
    router.push(`/conversations/${res.conversation.id}`);
  };
  return { open, pending, available: !!actions };
}

const stop = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();

/** The row's chat button (the row itself opens the visitor panel: clicks stop here). */
export function RowChatButton({ siteId, visitor, label }: { siteId: string; visitor: ChatTarget; label: string }) {
  const { open, pending, available } = useOpenChat(siteId, visitor);
  if (!available) return null;
  const chatting = visitor.chat?.status === 'open';
  const title = chatting ? `Open the conversation with ${label}` : `Chat with ${label}`;
  return (
    <button
      type="button"
      className={`btn btn-sm btn-icon chat-btn${visitor.chat && visitor.chat.unread > 0 ? ' has-unread' : ''}`}
      title={title}
      aria-label={title}
      aria-busy={pending || undefined}
      disabled={pending}
      data-testid="chat-button"
      tabIndex={-1}
      onClick={(e) => {
        e.stopPropagation();
        void open();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') stop(e);
      }}
    >
      <ChatIcon />
    </button>
  );
}

/** "Chat" in the visitor panel. */
export function PanelChatButton({ siteId, visitor, online }: { siteId: string; visitor: ChatTarget; online: boolean }) {
  const { open, pending, available } = useOpenChat(siteId, visitor);
  if (!available) return null;
  const chatting = visitor.chat?.status === 'open';
  const blocked = !online && !visitor.chat ? 'This visitor has left' : null;
  return (
    <button
      type="button"
      className="btn btn-sm"
      disabled={pending || !!blocked}
      title={blocked ?? (chatting ? 'Open the conversation' : 'Start a chat')}
      onClick={() => void open()}
      data-testid="panel-chat"
    >
      <ChatIcon /> {chatting ? 'Open chat' : 'Chat'}
    </button>
  );
}
