'use client';
// A conversation's messages: the visitor's on the left, the team's on the right, system lines in
// the middle, a separator per day, "Seen" under the team's last message the visitor read, and
// "Sending…" bubbles for what is still in the outbox. Message text is untrusted: it is rendered
// as React text, with http(s) links as <a> (server/chat/links.ts), never as HTML.
import { displayText } from '../../server/text/display-text';
import { Fragment, memo, type ReactNode } from 'react';
import type { ChatMessage } from '../../server/protocol';
import { linkify } from '../../server/chat/links';
import { clip } from '../live/format';
import { dayLabel, sameDay, seenSeq, systemText } from './inbox';
import type { OutboxEntry } from './outbox';
import { CameraIcon } from '../call/icons';

/** Consecutive messages of one sender within this long form one group (one name and time). */
const GROUP_MS = 5 * 60_000;

interface Props {
  messages: readonly ChatMessage[];
  pending: readonly OutboxEntry[];
  visitorReadSeq: number;
  visitorName: string;
  meId: string;
  /** Client time now (day separators). */
  now: number;
  /** Connected to Porchlight (pending bubbles say "Sending…" or "Waiting for connection…"). */
  connected: boolean;
  /** Call the visitor back after a call request; null when calls are not possible now (with why). */
  onCall: (() => void) | null;
  callBlocked: string | null;
}

export const MessageList = memo(function MessageList({ messages, pending, visitorReadSeq, visitorName, meId, now, connected, onCall, callBlocked }: Props) {
  const seen = seenSeq(messages, visitorReadSeq);
  // The last call request is the one the button answers.
  let lastCallRequest = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.event === 'call_requested') {
      lastCallRequest = messages[i]!.seq;
      break;
    }
  }
  const items: ReactNode[] = [];
  let prev: ChatMessage | null = null;
  messages.forEach((m, i) => {
    const next = messages[i + 1] ?? null;
    if (!prev || !sameDay(new Date(prev.at), new Date(m.at))) {
      items.push(
        <div className="day-sep" key={`day-${m.seq}`} role="separator" data-testid="day-separator">
          <span>{dayLabel(m.at, now)}</span>
        </div>,
      );
    }
    if (m.from === 'system') {
      items.push(<SystemLine key={m.id || `s-${m.seq}`} m={m} visitorName={visitorName} meId={meId} onCall={m.seq === lastCallRequest ? onCall : null} callBlocked={callBlocked} />);
    } else {
      const endsGroup = !next || next.from !== m.from || next.agent?.id !== m.agent?.id || next.at - m.at > GROUP_MS || !sameDay(new Date(next.at), new Date(m.at)) || m.seq === seen;
      const startsGroup = !prev || prev.from !== m.from || prev.agent?.id !== m.agent?.id || m.at - prev.at > GROUP_MS || !sameDay(new Date(prev.at), new Date(m.at));
      items.push(
        <Bubble
          key={m.id || `m-${m.seq}`}
          m={m}
          startsGroup={startsGroup}
          endsGroup={endsGroup}
          seen={m.seq === seen}
          meId={meId}
          visitorName={visitorName}
        />,
      );
    }
    prev = m;
  });
  return (
    <div className="thread" data-testid="thread">
      {items}
      {pending.map((e, i) => (
        <div key={e.id} className={`msg msg-agent msg-pending${i === 0 && (!prev || prev.from !== 'agent') ? ' group-start' : ''}`} data-testid="message-pending" data-from="agent">
          <div className="bubble">
            <MessageText text={e.text} />
          </div>
          <div className="msg-meta" data-testid="message-status">
            {connected ? 'Sending…' : 'Waiting for connection… (sent when you are back online)'}
          </div>
        </div>
      ))}
    </div>
  );
});

function Bubble({ m, startsGroup, endsGroup, seen, meId, visitorName }: { m: ChatMessage; startsGroup: boolean; endsGroup: boolean; seen: boolean; meId: string; visitorName: string }) {
  const mine = m.from === 'agent';
  const who = mine ? (m.agent ? (m.agent.id === meId ? 'You' : m.agent.name) : 'Team') : visitorName;
  return (
    <div
      className={`msg msg-${mine ? 'agent' : 'visitor'}${startsGroup ? ' group-start' : ''}${endsGroup ? ' group-end' : ''}`}
      data-testid="message"
      data-from={m.from}
      data-seq={m.seq}
    >
      <div className="bubble" title={new Date(m.at).toLocaleString()}>
        <MessageText text={m.text} />
      </div>
      {endsGroup && (
        <div className="msg-meta">
          <span>{clip(who, 40)}</span>
          <span aria-hidden="true">·</span>
          <time dateTime={new Date(m.at).toISOString()}>{timeOf(m.at)}</time>
          {seen && (
            <span className="msg-seen" data-testid="message-seen">
              · Seen
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** Text with its links; line breaks kept by CSS (white-space: pre-wrap). */
export function MessageText({ text }: { text: string }) {
  const parts = linkify(displayText(text));
  return (
    <span className="msg-text" data-testid="message-text">
      {parts.map((p, i) =>
        p.kind === 'link' ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow">
            {p.text}
          </a>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </span>
  );
}

function SystemLine({ m, visitorName, meId, onCall, callBlocked }: { m: ChatMessage; visitorName: string; meId: string; onCall: (() => void) | null; callBlocked: string | null }) {
  const who = m.agent ? (m.agent.id === meId ? 'You' : m.agent.name) : null;
  const text = systemText(m.event, who, visitorName) || m.text;
  if (m.event === 'call_requested') {
    return (
      <div className="sys sys-call" data-testid="system-line" data-event={m.event}>
        <div className="sys-call-card">
          <span className="sys-call-icon" aria-hidden="true">
            <CameraIcon />
          </span>
          <span className="sys-call-text">
            <strong>{text}</strong>
            <span className="muted">{timeOf(m.at)}</span>
          </span>
          {onCall && (
            <button type="button" className="btn btn-sm btn-primary" onClick={onCall} disabled={!!callBlocked} title={callBlocked ?? `Video call ${visitorName}`} data-testid="call-request-button">
              <CameraIcon /> Call
            </button>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="sys" data-testid="system-line" data-event={m.event ?? ''}>
      <span>
        {text} · {timeOf(m.at)}
      </span>
    </div>
  );
}

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}
