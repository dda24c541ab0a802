'use client';
// One conversation: its header (who, where, who is assigned, Close / Reopen), the thread, the
// visitor's typing (and draft, with sneak peek), the composer, and beside it the visitor's live
// context (the live page's visitor profile, fed by watching their site).
import Link from 'next/link';
import { AssigneePicker } from './assignee-picker';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConversationSummary, LiveVisitor } from '../../server/protocol';
import { visitorLabel } from '../../server/chat/friendly-name';
import { initialsOf } from '../../server/initials';
import { PanelCallButtons, callBlockedReason } from '../call/call-buttons';
import { useCallActions } from '../call/call-provider';
import { AttentionFaces } from '../live/attention-faces';
import { NOBODY } from '../live/row-attention';
import { VisitorProfile } from '../live/visitor-profile';
import { useVisitorFocus } from '../lib/use-visitor-focus';
import { STATUS_LABEL, clip } from '../live/format';
import { useLiveSite, useNow } from '../live/use-live-site';
import { useChat, useChatActions, type TypingInfo } from './chat-context';
import { pendingBubbles } from './chat-store';
import { Composer } from './composer';
import { BackIcon, InfoIcon } from './icons';
import { avatarColor } from './inbox-shell';
import { MessageList } from './message-list';

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
  const params = useSearchParams();
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

  // ---- read: the thread is on screen and the tab is visible ----
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
    if (!visible || !thread || !chat.connected) return;
    const unreadHere = c.unread > 0 || lastVisitorSeq > c.agentReadSeq;
    if (!unreadHere || heldSeq <= readSent.current && c.unread === 0) return;
    readSent.current = heldSeq;
    actions.markRead(c.id, heldSeq);
  }, [visible, thread, heldSeq, c.unread, c.agentReadSeq, c.id, lastVisitorSeq, chat.connected, actions]);
  // A reconnect may have lost the read: allow sending it again.
  useEffect(() => {
    if (!chat.connected) readSent.current = 0;
  }, [chat.connected]);

  // ---- scrolling: open at the end; follow new messages when already at the end ----
  const scrollRef = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const count = messages.length + pending.length;
  const typingShown = !!typing?.visitor || !!typing?.agents.length;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (atEnd.current) el.scrollTop = el.scrollHeight;
    else setShowJump(true);
  }, [count, typingShown, typing?.visitor?.text]);
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (atEnd.current) setShowJump(false);
  };
  const jump = () => {
    const el = scrollRef.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atEnd.current = true;
    setShowJump(false);
  };

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
  const qs = params.toString();
  const assignee = c.assignee ? (c.assignee.id === chat.me.id ? 'you' : c.assignee.name) : null;

  return (
    <div className={`convo${showInfo ? ' convo-info-open' : ''}`} data-testid="conversation" data-conversation-id={c.id} data-status={c.status}>
      <div className="convo-main">
        <header className="convo-head">
          <Link href={`/conversations${qs ? `?${qs}` : ''}`} className="btn btn-ghost btn-sm btn-icon convo-back" aria-label="Back to conversations" data-testid="conversation-back">
            <BackIcon />
          </Link>
          <span className={`conv-avatar convo-avatar${name ? ' known' : ''}`} aria-hidden="true" style={name ? undefined : { background: avatarColor(c.visitorId) }}>
            {initialsOf(label)}
            <span className={`presence-dot${online ? ` dot-${visitor!.status}` : ''}`} />
          </span>
          <div className="convo-who">
            <h2 data-testid="conversation-title">{clip(label, 80)}</h2>
            <div className="convo-sub">
              <span className="convo-presence" data-testid="conversation-presence">
                {online ? `${STATUS_LABEL[visitor!.status]} on ${clip(visitor!.page.path, 80)}` : 'Not on the site now'}
              </span>
              <span aria-hidden="true">·</span>
              <span className="convo-site">{clip(c.siteName, 40)}</span>
            </div>
          </div>
          <div className="convo-actions">
            {/* Said for screen readers; the picker beside it shows the same to the eye. */}
            <span className={`assignee sr-only${assignee ? '' : ' assignee-none'}`}>
              {assignee && (
                <span className="assignee-avatar" aria-hidden="true">
                  {initialsOf(c.assignee!.name)}
                </span>
              )}
              <span data-testid="conversation-assignee">{assignee ? `Assigned to ${clip(assignee, 30)}` : 'Unassigned'}</span>
            </span>
            <AttentionFaces agents={attention.get(c.visitorId) ?? NOBODY} />
            <AssigneePicker conversation={c} meId={chat.me.id} />
            {c.status === 'open' ? (
              <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void setStatus('close')} data-testid="conversation-close">
                Close
              </button>
            ) : (
              <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void setStatus('reopen')} data-testid="conversation-reopen">
                Reopen
              </button>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-sm btn-icon convo-info-btn"
              aria-pressed={showInfo}
              aria-label="Visitor details"
              title="Visitor details"
              onClick={() => setShowInfo((s) => !s)}
              data-testid="conversation-info"
            >
              <InfoIcon />
            </button>
          </div>
        </header>

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

/** "Amber Fox is typing: “how much is the…”" (the draft only with sneak peek), and other agents typing. */
function TypingLine({ typing, label }: { typing: TypingInfo | undefined; label: string }) {
  if (!typing?.visitor && !typing?.agents.length) return <div className="typing-slot" aria-hidden="true" />;
  return (
    <div className="typing-slot" aria-live="polite">
      {typing.visitor && (
        <div className="typing" data-testid="typing-indicator">
          <span className="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          <span>
            {clip(label, 40)} is typing
            {typing.visitor.text ? (
              <>
                :{' '}
                <em className="sneak" data-testid="sneak-peek" title="What they are typing, before they send it (sneak peek)">
                  “{clip(typing.visitor.text, 400)}”
                </em>
              </>
            ) : (
              '…'
            )}
          </span>
        </div>
      )}
      {typing.agents.map((a) => (
        <div className="typing typing-agent" key={a.id} data-testid="agent-typing">
          <span>{clip(a.name, 40)} is typing a reply…</span>
        </div>
      ))}
    </div>
  );
}
