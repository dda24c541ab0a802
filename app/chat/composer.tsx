'use client';
// The reply box: Enter sends, Shift+Enter starts a new line, at most CHAT_MAX_LENGTH characters
// (with a counter). A message goes into the outbox at once ("Sending…" until the server stores
// it); if the server refuses it, its text comes back here with the reason. Drafts are kept per
// conversation while the agent moves between conversations.
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { CHAT_MAX_LENGTH } from '../../server/protocol/chat';
import { useChat, useChatActions } from './chat-context';
import { SendIcon } from './icons';
import { cleanText } from './outbox';

/** Drafts by conversation, for this tab's lifetime. */
const drafts = new Map<string, string>();
/** "Typing" is re-sent this often while the agent types, and "stopped" after this long idle. */
const TYPING_EVERY_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
const COUNTER_FROM = 0.8 * CHAT_MAX_LENGTH;

export function Composer({ conversationId, visitorName, disabled }: { conversationId: string; visitorName: string; disabled?: boolean }) {
  const chat = useChat();
  const actions = useChatActions();
  const id = useId();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    drafts.set(conversationId, text);
  }, [conversationId, text]);

  // A refused message: its text comes back into the box, with the reason.
  const rejection = chat?.rejections.get(conversationId) ?? null;
  useEffect(() => {
    if (!rejection || !actions) return;
    setError(rejection.message);
    setText((cur) => (cur.trim() ? `${rejection.text}\n${cur}` : rejection.text).slice(0, CHAT_MAX_LENGTH));
    actions.clearRejection(conversationId);
  }, [rejection, actions, conversationId]);

  // Grow with the text, up to a limit (then it scrolls).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const stopTyping = () => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (typingSentAt.current) {
      typingSentAt.current = 0;
      actions?.setTyping(conversationId, false);
    }
  };
  // Leaving the conversation (or the page) ends "typing".
  useEffect(() => () => stopTyping(), [conversationId]);

  const onType = (value: string) => {
    setText(value);
    if (!actions) return;
    if (!value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typingSentAt.current > TYPING_EVERY_MS) {
      typingSentAt.current = now;
      actions.setTyping(conversationId, true);
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const send = () => {
    if (!actions || disabled) return;
    const clean = cleanText(text);
    if (!clean) return;
    actions.send(conversationId, clean.slice(0, CHAT_MAX_LENGTH));
    setText('');
    setError(null);
    stopTyping();
    ref.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const length = text.length;
  const counterClass = length >= CHAT_MAX_LENGTH ? ' at-limit' : length >= COUNTER_FROM ? ' near-limit' : '';
  const canSend = !!cleanText(text) && !disabled;

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      data-testid="composer"
    >
      {error && (
        <div className="composer-error" role="alert" data-testid="composer-error">
          <span>Not sent: {error}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setError(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {chat && !chat.connected && (
        <div className="composer-note" role="status" data-testid="composer-offline">
          Reconnecting to Porchlight… what you send now goes out as soon as the connection is back.
        </div>
      )}
      <div className="composer-box">
        <label htmlFor={id} className="sr-only">
          Reply to {visitorName}
        </label>
        <textarea
          id={id}
          ref={ref}
          className="composer-input"
          rows={1}
          value={text}
          maxLength={CHAT_MAX_LENGTH}
          placeholder={`Reply to ${visitorName}…`}
          onChange={(e) => onType(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={stopTyping}
          disabled={disabled}
          aria-describedby={`${id}-hint ${id}-count`}
          data-testid="composer-input"
        />
        <div className="composer-bar">
          <span className="composer-hint" id={`${id}-hint`}>
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </span>
          <span className={`composer-count${counterClass}`} id={`${id}-count`} data-testid="composer-count" aria-live={length >= COUNTER_FROM ? 'polite' : 'off'}>
            {length.toLocaleString('en')} / {CHAT_MAX_LENGTH.toLocaleString('en')}
          </span>
          <button type="submit" className="btn btn-primary btn-sm composer-send" disabled={!canSend} data-testid="composer-send">
            <SendIcon /> Send
          </button>
        </div>
      </div>
    </form>
  );
}
