'use client';
import { useId } from 'react';
import { CopyButton } from '../components/copy-button';
import type { InvitationView } from '../../server/team/team-types';
import './team.css';

const DAY = 86_400_000;

/** A fresh invitation link to hand over: read-only field, Copy button, and how long it works. */
export function InviteLink({ invitation, link, title }: { invitation: InvitationView; link: string; title: string }) {
  const id = useId();
  const days = Math.max(1, Math.round((invitation.expiresAt - invitation.createdAt) / DAY));
  return (
    <div className="invite-link" data-testid="invite-link">
      <p className="invite-link-title">
        <strong>{title}</strong>
      </p>
      <label className="label" htmlFor={`${id}-link`}>
        Share this link with {invitation.email}
      </label>
      <div className="invite-link-row">
        <input
          id={`${id}-link`}
          className="input mono invite-link-input"
          value={link}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${id}-note`}
          data-testid="invite-link-input"
        />
        <CopyButton text={link} label="Copy link" />
      </div>
      <p className="hint" id={`${id}-note`}>
        Valid for {days} {days === 1 ? 'day' : 'days'}. If email is set up on this server, we also sent it to {invitation.email}.
      </p>
    </div>
  );
}
