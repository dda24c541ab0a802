'use client';
// One conversation: its header (who, where, who is assigned, Close / Reopen), the thread, the
// visitor's typing (and draft, with sneak peek), the composer, and beside it the visitor's live
// context (the live page's visitor profile, fed by watching their site).
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationSummary, LiveVisitor } from '../../server/protocol';
import { visitorLabel } from '../../server/chat/friendly-name';
import { PanelCallButtons, callBlockedReason } from '../call/call-buttons';
import { useCallActions } from '../call/call-provider';
import { NOBODY } from '../live/row-attention';
import { VisitorProfile } from '../live/visitor-profile';
import { useVisitorFocus } from '../lib/use-visitor-focus';
import { clip } from '../live/format';
import { useLiveSite, useNow } from '../live/use-live-site';
import { useChat, useChatActions } from './chat-context';
import { pendingBubbles } from './chat-store';
import { Composer } from './composer';
import { ConversationHeader } from './conversation-header';
import { BackIcon } from './icons';
import { MessageList } from './message-list';
import { TypingLine } from './typing-line';
import { useMarkRead } from './use-mark-read';
import { useThreadScroll } from './use-thread-scroll';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const chat = useChat();
  const actions = useChatActions();

  useEffect(() => actions?.openThread(conversationId), [actions, conversationId]);

  if (!chat || !actions) return null;
  const conversation = chat.state.inbox.conversations.get(conversationId);
  const error = chat.threadErrors.get(conversationId);
  if (error && !conversation) {
    return (
      <div className="convo-empty" data-testid="conversation-error">
        <h2>Conversation not available</h2>
        <p className="muted">{error}</p>
        <Link className="btn btn-sm" href="/conversations">
          Back to conversations
        </Link>
      </div>
    );
  }
  if (!conversation) {
    return (
      <div className="convo-loading" aria-busy="true" aria-label="Loading the conversation">
        <div className="skeleton" style={{ height: 56 }} />
        <div className="skeleton" style={{ height: 40, width: '60%' }} />
        <div className="skeleton" style={{ height: 40, width: '45%', marginLeft: 'auto' }} />
      </div>
    );
  }
  // Watching the site feeds the visitor's live context; a conversation on another site watches that one.
  return <ConversationBody key={conversation.siteId} conversation={conversation} />;
}

function ConversationBody({ conversation: c }: { conversation: ConversationSummary }) {
  const chat = useChat()!;
  const actions = useChatActions()!;
  const calls = useCallActions();
  const { state: live, attention, requestDetails } = useLiveSite(c.siteId);
  // Colleagues see on the visitor's row that this agent is in their conversation, and vice versa.
  useVisitorFocus('chatting', c.siteId, c.visitorId);
  const clientNow = useNow(30_000);
  const now = Date.now() + live.clockOffset;

  // The visitor's live row while they are on the site; kept (as "left") once they go.
  const liveVisitor = live.visitors.get(c.visitorId) ?? null;
  const lastSeen = useRef<{ id: string; v: LiveVisitor } | null>(null);
  if (liveVisitor) lastSeen.current = { id: c.visitorId, v: liveVisitor };
  const visitor = liveVisitor ?? (lastSeen.current?.id === c.visitorId ? lastSeen.current.v : null);
  const online = !!liveVisitor;

  const name = c.visitorName || liveVisitor?.identity.name?.trim() || null;
  const label = visitorLabel(c.visitorId, name);
  const thread = chat.state.threads.get(c.id);
  const messages = useMemo(() => thread?.messages ?? [], [thread]);
  const pending = useMemo(() => pendingBubbles(chat.state, c.id), [chat.state, c.id]);
  const typing = chat.typing.get(c.id);

  useMarkRead(c, thread, messages, chat.connected, actions);
  const { scrollRef, showJump, onScroll, jump } = useThreadScroll(messages.length + pending.length, typing);

  // ---- close / reopen ----
  const [busy, setBusy] = useState(false);
  const setStatus = async (to: 'close' | 'reopen') => {
    setBusy(true);
    const res = await actions.setStatus(c.id, to);
    setBusy(false);
    if (!res.ok) actions.notify(res.message);
  };

  // ---- calls from a call request ----
  const callBlocked = calls ? callBlockedReason(visitor ?? { call: null }, calls.busy, online) : 'Calls are not available here';
  const onCall = useCallback(() => {
    calls?.startCall({ siteId: c.siteId, visitorId: c.visitorId, label, video: true });
  }, [calls, c.siteId, c.visitorId, label]);

  const [showInfo, setShowInfo] = useState(false);
  // The visitor's details open over the conversation on narrow screens: Escape closes them.
  useEffect(() => {
    if (!showInfo) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) setShowInfo(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [showInfo]);

  return (
    <div className={`convo${showInfo ? ' convo-info-open' : ''}`} data-testid="conversation" data-conversation-id={c.id} data-status={c.status}>
      <div className="convo-main">
        <ConversationHeader
          conversation={c}
          name={name}
          label={label}
          visitor={visitor}
          online={online}
          attention={attention.get(c.visitorId) ?? NOBODY}
          meId={chat.me.id}
          busy={busy}
          onStatus={(to) => void setStatus(to)}
          showInfo={showInfo}
          onToggleInfo={() => setShowInfo((s) => !s)}
        />

        <div className="convo-scroll" ref={scrollRef} onScroll={onScroll}>
          {!thread ? (
            <div className="thread-loading" aria-busy="true" aria-label="Loading messages">
              <div className="skeleton" style={{ height: 38, width: '55%' }} />
              <div className="skeleton" style={{ height: 38, width: '40%', marginLeft: 'auto' }} />
            </div>
          ) : messages.length === 0 && pending.length === 0 ? (
            <div className="thread-empty" data-testid="thread-empty">
              <strong>Say hello to {clip(label, 60)}</strong>
              <span className="muted">{online ? 'Your message appears on the page they are looking at, right away.' : 'They will see your message when they come back.'}</span>
            </div>
          ) : (
            <MessageList
              messages={messages}
              pending={pending}
              visitorReadSeq={c.visitorReadSeq}
              visitorName={label}
              meId={chat.me.id}
              now={clientNow}
              connected={chat.connected}
              onCall={calls ? onCall : null}
              callBlocked={callBlocked}
            />
          )}
          <TypingLine typing={typing} label={label} />
        </div>
        {showJump && (
          <button type="button" className="jump-end" onClick={jump}>
            New messages ↓
          </button>
        )}

        {c.status === 'closed' ? (
          <div className="composer-closed" data-testid="composer-closed">
            <span>This conversation is closed.</span>
            <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void setStatus('reopen')}>
              Reopen to reply
            </button>
          </div>
        ) : (
          <Composer key={c.id} conversationId={c.id} visitorName={label} />
        )}
      </div>

      <aside className="convo-context" aria-label={`About ${label}`} data-testid="chat-visitor">
        <button type="button" className="btn btn-ghost btn-sm convo-context-close" onClick={() => setShowInfo(false)}>
          <BackIcon /> Back to the conversation
        </button>
        <VisitorProfile
          visitorId={c.visitorId}
          visitor={visitor}
          online={online}
          now={now}
          requestDetails={requestDetails}
          fallbackName={label}
          focusOnOpen={false}
          actions={visitor ? <PanelCallButtons siteId={c.siteId} visitor={visitor} online={online} /> : null}
        />
      </aside>
    </div>
  );
}

