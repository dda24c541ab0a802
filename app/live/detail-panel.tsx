'use client';
// The live page's visitor panel: the shared visitor profile (visitor-profile.tsx) in a side sheet,
// with call and chat buttons, that Escape closes.
import { useEffect } from 'react';
import type { AgentAttention, LiveVisitor } from '../../server/protocol';
import { useVisitorFocus } from '../lib/use-visitor-focus';
import { AttentionList } from './attention-faces';
import { PanelCallButtons } from '../call/call-buttons';
import { PanelChatButton } from '../chat/chat-buttons';
import type { DetailsResult } from './use-live-site';
import { VisitorProfile } from './visitor-profile';

interface Props {
  siteId: string;
  visitor: LiveVisitor;
  /** False once the visitor has left the site (the panel keeps their last known state). */
  online: boolean;
  /** Server time now. */
  now: number;
  /** Colleagues on this visitor now. */
  attention: readonly AgentAttention[];
  requestDetails: (visitorId: string) => Promise<DetailsResult>;
  onClose: () => void;
}

export function DetailPanel({ siteId, visitor: v, online, now, attention, requestDetails, onClose }: Props) {
  // Colleagues see on the row that this agent has the visitor open.
  useVisitorFocus('viewing', siteId, v.id);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="panel" aria-labelledby="panel-title" data-testid="visitor-panel">
      <VisitorProfile
        visitorId={v.id}
        visitor={v}
        online={online}
        now={now}
        requestDetails={requestDetails}
        onClose={onClose}
        actions={
          <>
            <AttentionList agents={attention} />
            <PanelCallButtons siteId={siteId} visitor={v} online={online}>
              <PanelChatButton siteId={siteId} visitor={v} online={online} />
            </PanelCallButtons>
          </>
        }
      />
    </aside>
  );
}
