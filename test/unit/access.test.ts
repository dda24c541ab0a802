// The access module: every role × action, and the rules for acting on other members.
import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, invitableRoles, type Action, type Role } from '../../server/access/access';

// What each role may do, written out by hand from the product rules (not derived from the code).
const ALLOWED: Record<Role, Action[]> = {
  owner: [...ACTIONS],
  admin: ['live:watch', 'visitor:view', 'call:place', 'chat:use', 'history:view', 'team:view', 'site:create', 'site:settings', 'workspace:settings', 'member:invite', 'member:change-role', 'member:remove'],
  agent: ['live:watch', 'visitor:view', 'call:place', 'chat:use', 'history:view', 'team:view'],
};
const anAgent = { role: 'agent' as const, self: false, newRole: 'admin' as const };

describe('access', () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = ALLOWED[role].includes(action);
      it(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        expect(can(role, action, action.startsWith('member:') && action !== 'member:invite' ? anAgent : undefined)).toBe(expected);
      });
    }
  }

  it('someone outside the workspace may do nothing at all', () => {
    for (const action of ACTIONS) expect(can(null, action, anAgent)).toBe(false);
  });

  it('nobody changes or removes the owner, or themselves, through member actions', () => {
    for (const actor of ['owner', 'admin'] as const) {
      expect(can(actor, 'member:remove', { role: 'owner', self: false })).toBe(false);
      expect(can(actor, 'member:change-role', { role: 'owner', self: false, newRole: 'agent' })).toBe(false);
      expect(can(actor, 'member:remove', { role: actor, self: true })).toBe(false);
      expect(can(actor, 'member:change-role', { role: actor, self: true, newRole: 'agent' })).toBe(false);
    }
  });

  it('an admin manages other admins and agents, but never makes anyone owner', () => {
    expect(can('admin', 'member:remove', { role: 'admin', self: false })).toBe(true);
    expect(can('admin', 'member:change-role', { role: 'admin', self: false, newRole: 'agent' })).toBe(true);
    expect(can('admin', 'member:change-role', { role: 'agent', self: false, newRole: 'owner' })).toBe(false);
    expect(can('owner', 'member:change-role', { role: 'agent', self: false, newRole: 'owner' })).toBe(false);
  });

  it('member actions without a target are refused', () => {
    expect(can('owner', 'member:remove')).toBe(false);
    expect(can('owner', 'member:change-role')).toBe(false);
  });

  it('only owners and admins hand out roles, and never ownership', () => {
    expect(invitableRoles('owner')).toEqual(['admin', 'agent']);
    expect(invitableRoles('admin')).toEqual(['admin', 'agent']);
    expect(invitableRoles('agent')).toEqual([]);
    expect(invitableRoles(null)).toEqual([]);
  });
});
