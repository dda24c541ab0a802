'use client';
// The top of a visitor's profile: avatar, name, whether they are on the site, new or returning,
// tabs and call, the action buttons, and (in the side sheet) the close button.
import { useEffect, useRef, type ReactNode } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { initialsOf } from '../../server/initials';
import { STATUS_LABEL, clip, displayName, ordinal } from './format';

interface Props {
  visitorId: string;
  visitor: LiveVisitor | null;
  online: boolean;
  identity: LiveVisitor['identity'];
  visitCount: number;
  actions?: ReactNode;
  fallbackName?: string;
  onClose?: () => void;
  focusOnOpen: boolean;
}

export function ProfileHeader({ visitorId, visitor: v, online, identity, visitCount, actions, fallbackName, onClose, focusOnOpen }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const name = displayName({ identity });

  // Focus moves into the panel when it opens on another visitor.
  useEffect(() => {
    if (focusOnOpen) headingRef.current?.focus();
  }, [visitorId, focusOnOpen]);

  return (
    <div className="panel-head">
      <span className="avatar" aria-hidden="true" style={{ width: 40, height: 40, fontSize: 14, background: name ? 'var(--primary)' : '#98a1b0' }}>
        {initialsOf(name || fallbackName || '?')}
      </span>
      <div className="who">
        <h2 id="panel-title" ref={headingRef} tabIndex={-1}>
          {name ? clip(name, 80) : (fallbackName ?? 'Anonymous visitor')}
        </h2>
        {identity.email && identity.name && <div className="muted">{clip(identity.email, 80)}</div>}
        <div className="meta">
          {online && v ? (
            <span className={`badge status-${v.status}`} data-testid="visitor-online">
              <span className={`dot dot-${v.status}`} aria-hidden="true" />
              {STATUS_LABEL[v.status]}
            </span>
          ) : (
            <span className="badge badge-warn" data-testid="visitor-offline">
              {v ? 'Left the site' : 'Not on the site now'}
            </span>
          )}
          {visitCount > 1 ? <span className="badge badge-returning">Returning · {ordinal(visitCount)} visit</span> : visitCount === 1 ? <span className="badge badge-new">New visitor</span> : null}
          {v && v.tabs > 1 && online && <span className="badge">{v.tabs} tabs open</span>}
          {v?.call && online && (
            <span className={`badge call-tag call-tag-${v.call.phase}`}>
              {v.call.phase === 'ringing' ? `Ringing (${clip(v.call.agentName, 40)})` : `In call with ${clip(v.call.agentName, 40)}`}
            </span>
          )}
        </div>
        {actions}
      </div>
      {onClose && (
        <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close visitor details" data-testid="panel-close">
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
          </svg>
        </button>
      )}
    </div>
  );
}
