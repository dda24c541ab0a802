'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import type { Role } from '../../server/access/access';
import type { InvitationView } from '../../server/team/team-types';
import { ROLE_HINT, ROLE_LABEL } from './format';
import { InviteLink } from './invite-link';
import { teamRequest } from './team-api';
import './team.css';

type InviteRole = Exclude<Role, 'owner'>;
type FieldErrors = { email?: string; role?: string };
export type SentInvitation = { invitation: InvitationView; link: string };

interface Props {
  roles: InviteRole[];
  /** The invitation just created here, with its link (null once it was resent or revoked). */
  sent: SentInvitation | null;
  onSent: (s: SentInvitation) => void;
}

/** Invite someone by email: the server answers with a link to share (and emails it when it can). */
export function InviteForm({ roles, sent, onSent }: Props) {
  const router = useRouter();
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InviteRole>(roles.includes('agent') ? 'agent' : (roles[0] ?? 'agent'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setErrors({ email: 'Enter a valid email address.' });
      return;
    }
    setErrors({});
    setBusy(true);
    const res = await teamRequest<{ invitation: InvitationView; link: string }>('/api/team/invitations', 'POST', { email: address, role });
    setBusy(false);
    if (!res.ok) {
      const fields: FieldErrors = { email: res.fields?.email, role: res.fields?.role };
      setErrors(fields);
      if (!fields.email && !fields.role) setFormError(res.message);
      return;
    }
    onSent({ invitation: res.invitation, link: res.link });
    setEmail('');
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="invite-title" data-testid="invite-card">
      <div className="card-header">
        <div>
          <h2 id="invite-title">Invite someone</h2>
          <p>They get a link to join this workspace with the role you pick.</p>
        </div>
      </div>
      <div className="card-body">
        <form className="form" onSubmit={submit} noValidate data-testid="invite-form">
          <div className="field">
            <label className="label" htmlFor={`${id}-email`}>
              Email address
            </label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              className="input"
              autoComplete="off"
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
                if (errors.email) setErrors((x) => ({ ...x, email: undefined }));
              }}
              placeholder="ana@example.com"
              maxLength={254}
              aria-invalid={!!errors.email}
              aria-describedby={errors.email ? `${id}-email-error` : undefined}
            />
            {errors.email && (
              <span className="field-error" id={`${id}-email-error`} role="alert">
                {errors.email}
              </span>
            )}
          </div>
          <div className="field">
            <label className="label" htmlFor={`${id}-role`}>
              Role
            </label>
            <select
              id={`${id}-role`}
              name="role"
              className="select"
              value={role}
              onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'agent')}
              aria-invalid={!!errors.role}
              aria-describedby={`${id}-role-hint${errors.role ? ` ${id}-role-error` : ''}`}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
            <span className="hint" id={`${id}-role-hint`}>
              {ROLE_HINT[role]}
            </span>
            {errors.role && (
              <span className="field-error" id={`${id}-role-error`} role="alert">
                {errors.role}
              </span>
            )}
          </div>
          {formError && (
            <div className="alert alert-error" role="alert">
              {formError}
            </div>
          )}
          <div className="form-actions">
            <button className="btn btn-primary" type="submit" disabled={busy}>
              {busy ? 'Sending…' : 'Send invitation'}
            </button>
          </div>
        </form>
        <div role="status" aria-live="polite">
          {sent && <InviteLink invitation={sent.invitation} link={sent.link} title={`Invitation created for ${sent.invitation.email}.`} />}
        </div>
      </div>
    </section>
  );
}
