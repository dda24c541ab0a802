'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { can, type Role } from '../../server/access/access';
import { initialsOf } from '../../server/initials';
import type { TeamMember } from '../../server/team/team-types';
import { ROLE_LABEL, formatDay, formatExact, relativeTime, roleInSentence } from './format';
import { teamRequest } from './team-api';
import './team.css';

type Notice = { kind: 'ok' | 'error'; text: string } | null;
type MemberRole = Exclude<Role, 'owner'>;

interface Props {
  members: TeamMember[];
  myRole: Role;
  /** From the server's TeamView: whether the viewer may change roles and remove people at all. */
  canManage: boolean;
  /** The server's render time: relative times are computed from it on both sides. */
  now: number;
}

/** The workspace's members; role select and Remove for those the viewer may manage. */
export function TeamMembers({ members, myRole, canManage, now }: Props) {
  const [notice, setNotice] = useState<Notice>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const showActions = canManage && members.some((m) => mayRemove(myRole, m) || mayChangeRole(myRole, m));

  return (
    <section className="card team-card" aria-labelledby="members-title" data-testid="team-members">
      <div className="card-header">
        <div>
          <h2 id="members-title" ref={headingRef} tabIndex={-1}>
            Members
          </h2>
          <p>
            {members.length} {members.length === 1 ? 'person' : 'people'} in this workspace.
          </p>
        </div>
      </div>
      <div className="team-notice" role="status" aria-live="polite">
        {notice?.kind === 'ok' && <div className="alert alert-success">{notice.text}</div>}
      </div>
      {notice?.kind === 'error' && (
        <div className="team-notice">
          <div className="alert alert-error" role="alert">
            {notice.text}
          </div>
        </div>
      )}
      <div className="team-table-wrap">
        <table className="team-table" data-testid="members-table">
          <caption className="sr-only">Workspace members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Last active</th>
              <th scope="col">Joined</th>
              {showActions && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow
                key={m.userId}
                member={m}
                myRole={myRole}
                canManage={canManage}
                showActions={showActions}
                now={now}
                onNotice={setNotice}
                onRemoved={() => headingRef.current?.focus()}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function mayChangeRole(myRole: Role, m: TeamMember): boolean {
  return can(myRole, 'member:change-role', { role: m.role, self: m.you, newRole: m.role === 'admin' ? 'agent' : 'admin' });
}

function mayRemove(myRole: Role, m: TeamMember): boolean {
  return can(myRole, 'member:remove', { role: m.role, self: m.you });
}

function nameOf(m: TeamMember): string {
  return m.name.trim() || m.email;
}

interface RowProps {
  member: TeamMember;
  myRole: Role;
  canManage: boolean;
  showActions: boolean;
  now: number;
  onNotice: (n: Notice) => void;
  onRemoved: () => void;
}

function MemberRow({ member: m, myRole, canManage, showActions, now, onNotice, onRemoved }: RowProps) {
  const router = useRouter();
  const name = nameOf(m);
  // The role just chosen here, shown until the server's data says otherwise.
  const [override, setOverride] = useState<{ from: Role; to: Role } | null>(null);
  const role: Role = override && override.from === m.role ? override.to : m.role;
  const [busy, setBusy] = useState<'role' | 'remove' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [removed, setRemoved] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Focus follows the inline confirmation: into it when it opens, back to Remove when it is cancelled.
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) removeRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const editableRole = canManage && mayChangeRole(myRole, m);
  const removable = canManage && mayRemove(myRole, m);

  async function changeRole(next: MemberRole) {
    setOverride({ from: m.role, to: next });
    setBusy('role');
    onNotice(null);
    const res = await teamRequest<{ member: TeamMember }>(`/api/team/members/${encodeURIComponent(m.userId)}`, 'PATCH', { role: next });
    setBusy(null);
    if (!res.ok) {
      setOverride(null);
      onNotice({ kind: 'error', text: `Could not change the role of ${name}: ${res.message}` });
      return;
    }
    setOverride({ from: m.role, to: res.member.role });
    onNotice({ kind: 'ok', text: `${name} is now ${roleInSentence(res.member.role)}.` });
    router.refresh();
  }

  async function remove() {
    setBusy('remove');
    onNotice(null);
    const res = await teamRequest<object>(`/api/team/members/${encodeURIComponent(m.userId)}`, 'DELETE');
    setBusy(null);
    if (!res.ok) {
      setConfirming(false);
      onNotice({ kind: 'error', text: `Could not remove ${name}: ${res.message}` });
      return;
    }
    setRemoved(true);
    onNotice({ kind: 'ok', text: `${name} was removed from the workspace.` });
    onRemoved();
    router.refresh();
  }

  if (removed) return null;

  return (
    <tr data-testid="member-row" data-user-id={m.userId} data-role={role}>
      <td className="team-name-cell" data-label="Name">
        <div className="team-name">
          <span className="team-avatar" aria-hidden="true">
            {initialsOf(name)}
          </span>
          <span className="team-name-text">
            <strong>{name}</strong>
            {m.you && <span className="muted"> (you)</span>}
          </span>
        </div>
      </td>
      <td className="team-email" data-label="Email">
        <span className="team-clip" title={m.email}>
          {m.email}
        </span>
      </td>
      <td data-label="Role">
        {editableRole ? (
          <select
            className="select select-sm team-role-select"
            aria-label={`Role of ${name}`}
            value={role}
            disabled={busy !== null || confirming}
            onChange={(e) => void changeRole(e.target.value === 'admin' ? 'admin' : 'agent')}
            data-testid="member-role"
          >
            <option value="admin">{ROLE_LABEL.admin}</option>
            <option value="agent">{ROLE_LABEL.agent}</option>
          </select>
        ) : (
          <span className={`badge role-badge role-${role}`} data-testid="member-role-text">
            {ROLE_LABEL[role]}
          </span>
        )}
      </td>
      <td data-label="Last active">
        {m.availability !== 'offline' ? (
          <span className={`member-availability is-${m.availability}`} data-testid="member-availability">
            <span className="availability-dot" aria-hidden="true" />
            {m.availability === 'online' ? 'Online now' : 'Away'}
          </span>
        ) : m.lastActiveAt === null ? (
          <span className="muted">never</span>
        ) : (
          <time dateTime={new Date(m.lastActiveAt).toISOString()} title={formatExact(m.lastActiveAt)}>
            {relativeTime(m.lastActiveAt, now)}
          </time>
        )}
      </td>
      <td data-label="Joined">
        <time dateTime={new Date(m.joinedAt).toISOString()} title={formatExact(m.joinedAt)}>
          {formatDay(m.joinedAt)}
        </time>
      </td>
      {showActions && (
        <td className="team-actions" data-label="">
          {removable &&
            (confirming ? (
              <span
                className="team-confirm"
                role="group"
                aria-label={`Confirm removing ${name}`}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setConfirming(false);
                }}
              >
                <span className="team-confirm-q">Remove {name}?</span>
                <button
                  type="button"
                  className="btn btn-sm btn-danger"
                  onClick={() => void remove()}
                  disabled={busy !== null}
                  data-testid="confirm-remove"
                >
                  {busy === 'remove' ? 'Removing…' : 'Yes, remove'}
                </button>
                <button ref={cancelRef} type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(false)} disabled={busy !== null}>
                  Cancel
                </button>
              </span>
            ) : (
              <button
                ref={removeRef}
                type="button"
                className="btn btn-sm btn-ghost team-remove"
                aria-label={`Remove ${name}`}
                onClick={() => setConfirming(true)}
                disabled={busy !== null}
                data-testid="remove-member"
              >
                Remove
              </button>
            ))}
        </td>
      )}
    </tr>
  );
}
