'use client';
// Who a visitor is, where they are now, this visit's trail, their device, source, calls and past
// visits. Live fields come from their row; the trail and history from `visitor:details`. Shared:
// the live page shows it in a side sheet (detail-panel.tsx), the inbox beside a conversation.
import type { ReactNode } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { ProfileHeader } from './profile-header';
import { CallsSection, PastVisits } from './profile-history';
import { IdentitySection } from './profile-identity';
import { LastSeenOn, NowOn } from './profile-now';
import { LastSource, SourceAndDevice } from './profile-source';
import { VisitTrail } from './profile-trail';
import type { DetailsResult } from './use-live-site';
import { mergeIdentity, useVisitorDetails } from './use-visitor-details';

interface ProfileProps {
  visitorId: string;
  /** Their live row; null when they are not on the site now (and were not seen since the page opened). */
  visitor: LiveVisitor | null;
  online: boolean;
  /** Server time now. */
  now: number;
  requestDetails: (visitorId: string) => Promise<DetailsResult>;
  /** Shows a close button in the header. */
  onClose?: () => void;
  /** Buttons under the name (call, chat). */
  actions?: ReactNode;
  /** The name to show for an anonymous visitor (the inbox's friendly name). */
  fallbackName?: string;
  /** Moves focus to the name when the visitor changes (the live page's panel). */
  focusOnOpen?: boolean;
}

export function VisitorProfile({ visitorId, visitor: v, online, now, requestDetails, onClose, actions, fallbackName, focusOnOpen = true }: ProfileProps) {
  const { loaded, details } = useVisitorDetails(visitorId, v, online, requestDetails);
  const identity = details ? mergeIdentity(v?.identity, details) : (v?.identity ?? { attributes: {} });
  const lastVisit = !v && details ? (details.pastVisits[0] ?? null) : null;
  const visitCount = v?.visitCount ?? details?.visitCount ?? 0;

  return (
    <>
      <ProfileHeader
        visitorId={visitorId}
        visitor={v}
        online={online}
        identity={identity}
        visitCount={visitCount}
        actions={actions}
        fallbackName={fallbackName}
        onClose={onClose}
        focusOnOpen={focusOnOpen}
      />

      <div className="panel-body">
        {v ? <NowOn v={v} online={online} now={now} /> : <LastSeenOn loading={loaded.state === 'loading'} details={details} />}

        {(v || (details && details.trail.length > 0)) && <VisitTrail loaded={loaded} details={details} online={online} now={now} lastActivityAt={v?.lastActivityAt} />}

        <IdentitySection identity={identity} />

        {v ? <SourceAndDevice v={v} /> : lastVisit && <LastSource visit={lastVisit} />}

        <CallsSection loaded={loaded} details={details} now={now} />
        <PastVisits loaded={loaded} details={details} />
      </div>
    </>
  );
}
