'use client';
import { useState } from 'react';
import type { Role } from '../../server/access/access';
import type { InvitationView } from '../../server/team/team-types';
import { InvitationsList } from './invitations-list';
import { InviteForm, type SentInvitation } from './invite-form';
import './team.css';

/** The invite form and the pending list side by side; a link shown by the form goes away once it stops working. */
export function TeamInvites({ roles, invitations, now }: { roles: Exclude<Role, 'owner'>[]; invitations: InvitationView[]; now: number }) {
  const [sent, setSent] = useState<SentInvitation | null>(null);
  return (
    <div className="team-invites">
      <InviteForm roles={roles} sent={sent} onSent={setSent} />
      <InvitationsList invitations={invitations} now={now} onLinkChanged={(id) => setSent((s) => (s?.invitation.id === id ? null : s))} />
    </div>
  );
}
