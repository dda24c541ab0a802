'use client';
// Buttons that start a call with a visitor: one per row of the live table, two in the visitor panel.
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { displayName } from '../live/format';
import { useCallActions } from './call-provider';
import { CameraIcon, PhoneIcon } from './icons';

/** How the dock and the history name a visitor: their name or email, else a short id. */
export function visitorLabel(v: Pick<LiveVisitor, 'id' | 'identity'>): string {
  return displayName(v) || `Visitor ${v.id.slice(0, 6)}`;
}

/** Why a call cannot start now, as a tooltip; null when it can. */
export function callBlockedReason(v: Pick<LiveVisitor, 'call'>, agentBusy: boolean, online = true): string | null {
  if (!online) return 'This visitor has left';
  if (v.call) return `In a call with ${v.call.agentName}`;
  if (agentBusy) return 'You are already in a call';
  return null;
}

const stop = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();

/** The row's video call button (the row itself opens the visitor panel: clicks stop here). */
export function RowCallButton({ siteId, visitor }: { siteId: string; visitor: LiveVisitor }) {
  const calls = useCallActions();
  if (!calls) return null;
  const label = visitorLabel(visitor);
  const blocked = callBlockedReason(visitor, calls.busy);
  return (
    <button
      type="button"
      className="btn btn-sm btn-icon call-btn"
      disabled={!!blocked}
      title={blocked ?? `Video call ${label}`}
      aria-label={blocked ? `Video call ${label} (${blocked})` : `Video call ${label}`}
      data-testid="call-button"
      tabIndex={-1}
      onClick={(e) => {
        e.stopPropagation();
        calls.startCall({ siteId, visitorId: visitor.id, label, video: true });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') stop(e);
      }}
    >
      <CameraIcon />
    </button>
  );
}

/** "Video call" and "Audio call" in the visitor panel (and `children`, more buttons on the same line). */
export function PanelCallButtons({ siteId, visitor, online, children }: { siteId: string; visitor: Pick<LiveVisitor, 'id' | 'identity' | 'call'>; online: boolean; children?: ReactNode }) {
  const calls = useCallActions();
  if (!calls) return children ? <div className="panel-calls">{children}</div> : null;
  const label = visitorLabel(visitor);
  const blocked = callBlockedReason(visitor, calls.busy, online);
  const start = (video: boolean) => calls.startCall({ siteId, visitorId: visitor.id, label, video });
  return (
    <div className="panel-calls">
      <button type="button" className="btn btn-sm btn-primary" disabled={!!blocked} title={blocked ?? `Video call ${label}`} onClick={() => start(true)} data-testid="panel-call-video">
        <CameraIcon /> Video call
      </button>
      <button type="button" className="btn btn-sm" disabled={!!blocked} title={blocked ?? `Audio call ${label}`} onClick={() => start(false)} data-testid="panel-call-audio">
        <PhoneIcon /> Audio call
      </button>
      {children}
    </div>
  );
}
