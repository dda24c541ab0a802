'use client';
// A conversation's header: who, where, who is assigned, Close / Reopen, and the visitor details button.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { AgentAttention, ConversationSummary, LiveVisitor } from '../../server/protocol';
import { initialsOf } from '../../server/initials';
import { AttentionFaces } from '../live/attention-faces';
import { STATUS_LABEL, clip } from '../live/format';
import { AssigneePicker } from './assignee-picker';
import { BackIcon, InfoIcon } from './icons';
import { avatarColor } from './inbox-shell';

interface Props {
  conversation: ConversationSummary;
  /** The visitor's name when known, and what to call them otherwise. */
  name: string | null;
  label: string;
  /** Their live row, kept once they left; `online` while they are on the site. */
  visitor: LiveVisitor | null;
  online: boolean;
  attention: readonly AgentAttention[];
  meId: string;
  busy: boolean;
  onStatus(to: 'close' | 'reopen'): void;
  showInfo: boolean;
  onToggleInfo(): void;
}

export function ConversationHeader({ conversation: c, name, label, visitor, online, attention, meId, busy, onStatus, showInfo, onToggleInfo }: Props) {
  const params = useSearchParams();
  const qs = params.toString();
  const assignee = c.assignee ? (c.assignee.id === meId ? 'you' : c.assignee.name) : null;
  return (
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
        <AttentionFaces agents={attention} />
        <AssigneePicker conversation={c} meId={meId} />
        {c.status === 'open' ? (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => onStatus('close')} data-testid="conversation-close">
            Close
          </button>
        ) : (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => onStatus('reopen')} data-testid="conversation-reopen">
            Reopen
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-sm btn-icon convo-info-btn"
          aria-pressed={showInfo}
          aria-label="Visitor details"
          title="Visitor details"
          onClick={onToggleInfo}
          data-testid="conversation-info"
        >
          <InfoIcon />
        </button>
      </div>
    </header>
  );
}
