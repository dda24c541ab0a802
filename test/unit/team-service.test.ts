// Teams without HTTP: invitation links (expiry, single use, revocation, re-send), roles and
// removal, with an injected clock, on a real database (PGlite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { user, workspace, workspaceMember } from '../../drizzle/schema';
import { EventBus, type DomainEvents } from '../../server/events/bus';
import { TeamService, TeamError, INVITATION_TTL_MS } from '../../server/team/team-service';
import { TeamStore } from '../../server/team/team-store';

describe('team domain', () => {
  let database: Database;
  let team: TeamService;
  let now = Date.UTC(2026, 10, 29, 9, 0, 0);
  const changed: DomainEvents['access:changed'][] = [];
  const invited: DomainEvents['team:invited'][] = [];
  let n = 0;

  const addUser = async (name: string) => {
    const id = `u-${++n}`;
    await database.db.insert(user).values({ id, name, email: `${id}@example.com` });
    return id;
  };
  /** A workspace with an owner (and its own id), as sign-up makes it. */
  const newWorkspace = async (ownerName: string) => {
    const owner = await addUser(ownerName);
    const id = `ws-${n}`;
    await database.db.insert(workspace).values({ id, name: `${ownerName}'s team` });
    await database.db.insert(workspaceMember).values({ workspaceId: id, userId: owner, role: 'owner', createdAt: new Date(now) });
    return { id, owner };
  };
  const tokenOf = (link: string) => link.split('/invite/')[1] ?? '';
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof TeamError ? e.code : 'thrown'));

  beforeAll(async () => {
    database = await openDatabase({});
    const bus = new EventBus((err) => {
      throw err;
    });
    bus.subscribe('access:changed', (e) => void changed.push(e));
    bus.subscribe('team:invited', (e) => void invited.push(e));
    team = new TeamService(new TeamStore(database.db), bus, { now: () => now }, { publicUrl: () => 'https://app.example/' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('an invitation link lets one person join once, with its role, and lands them in that workspace', async () => {
    const ws = await newWorkspace('Olive');
    const { link, invitation } = await team.invite(ws.owner, { email: ' Ana@Example.com ', role: 'agent' });
    expect(link).toMatch(/^https:\/\/app\.example\/invite\/[\w-]{20,}$/);
    expect(invitation.email).toBe('ana@example.com');
    expect(invitation.expiresAt - invitation.createdAt).toBe(INVITATION_TTL_MS);
    expect(invited.at(-1)).toMatchObject({ email: 'ana@example.com', link, workspaceName: "Olive's team", invitedByName: 'Olive', role: 'agent' });

    const ana = await addUser('Ana');
    expect(await team.invitation(tokenOf(link))).toMatchObject({ status: 'valid', workspaceName: "Olive's team", role: 'agent', invitedByName: 'Olive' });
    now += 1000;
    expect(await team.accept(ana, tokenOf(link))).toEqual({ workspaceId: ws.id });
    const view = await team.view(ana);
    expect(view?.workspace.id).toBe(ws.id);
    expect(view?.me.role).toBe('agent');
    expect(view?.members.map((m) => [m.name, m.role])).toEqual([['Olive', 'owner'], ['Ana', 'agent']]);
    expect(view?.can).toEqual({ invite: false, manageMembers: false });

    // Used: a second person (or the same one again) cannot use it.
    expect((await team.invitation(tokenOf(link))).status).toBe('used');
    expect(await code(team.accept(await addUser('Eve'), tokenOf(link)))).toBe('gone');
    expect((await team.view(ws.owner))?.invitations).toEqual([]);
  });

  it('expires after 7 days, and a made-up link is unknown', async () => {
    const ws = await newWorkspace('Paul');
    const { link } = await team.invite(ws.owner, { email: 'late@example.com', role: 'admin' });
    now += INVITATION_TTL_MS - 1;
    expect((await team.invitation(tokenOf(link))).status).toBe('valid');
    now += 1;
    expect((await team.invitation(tokenOf(link))).status).toBe('expired');
    expect(await code(team.accept(await addUser('Late'), tokenOf(link)))).toBe('gone');
    expect((await team.view(ws.owner))?.invitations).toEqual([]); // not listed as pending any more
    expect((await team.invitation('x'.repeat(32))).status).toBe('unknown');
    expect(await code(team.accept(await addUser('Guess'), 'x'.repeat(32)))).toBe('not_found');
  });

  it('revoking kills the link; re-sending replaces it with a new one for 7 more days', async () => {
    const ws = await newWorkspace('Rita');
    const first = await team.invite(ws.owner, { email: 'sam@example.com', role: 'agent' });
    now += 3 * 24 * 3600_000;
    const again = await team.resend(ws.owner, first.invitation.id);
    expect(again.link).not.toBe(first.link);
    expect(again.invitation.expiresAt).toBe(now + INVITATION_TTL_MS);
    expect((await team.invitation(tokenOf(first.link))).status).toBe('unknown');
    expect((await team.invitation(tokenOf(again.link))).status).toBe('valid');

    await team.revoke(ws.owner, again.invitation.id);
    expect((await team.invitation(tokenOf(again.link))).status).toBe('revoked');
    expect(await code(team.accept(await addUser('Sam'), tokenOf(again.link)))).toBe('gone');
    expect(await code(team.resend(ws.owner, again.invitation.id))).toBe('not_found');
  });

  it('roles: admins invite and manage agents and admins; agents manage nothing; nobody touches the owner', async () => {
    const ws = await newWorkspace('Omar');
    const join = async (name: string, role: 'admin' | 'agent') => {
      const id = await addUser(name);
      await team.accept(id, tokenOf((await team.invite(ws.owner, { email: `${name}@example.com`, role })).link));
      return id;
    };
    const admin = await join('Ada', 'admin');
    const agent = await join('Abe', 'agent');
    const agent2 = await join('Ava', 'agent');

    expect(await code(team.invite(agent, { email: 'x@example.com', role: 'agent' }))).toBe('forbidden');
    expect(await code(team.remove(agent, agent2))).toBe('forbidden');
    expect(await code(team.remove(admin, ws.owner))).toBe('forbidden');
    expect(await code(team.changeRole(admin, ws.owner, 'agent'))).toBe('forbidden');
    expect(await code(team.changeRole(admin, admin, 'agent'))).toBe('forbidden');
    expect((await team.view(admin))?.can).toEqual({ invite: true, manageMembers: true });

    changed.length = 0;
    expect((await team.changeRole(admin, agent, 'admin')).role).toBe('admin');
    expect(changed).toEqual([{ userId: agent, reason: 'role-changed' }]);
    await team.remove(admin, agent2);
    expect(changed.at(-1)).toEqual({ userId: agent2, reason: 'removed' });
    expect(await team.view(agent2)).toBeNull(); // no workspace left
    expect((await team.view(ws.owner))?.members.map((m) => m.name)).toEqual(['Omar', 'Ada', 'Abe']);
  });

  it('a member of several workspaces switches between them; not into someone else’s', async () => {
    const theirs = await newWorkspace('Tess');
    const mine = await newWorkspace('Max');
    const { link } = await team.invite(theirs.owner, { email: 'max@example.com', role: 'agent' });
    now += 1000;
    await team.accept(mine.owner, tokenOf(link));
    expect((await team.workspaces(mine.owner)).map((w) => [w.name, w.role, w.current])).toEqual([["Max's team", 'owner', false], ["Tess's team", 'agent', true]]);
    now += 1000;
    await team.switchTo(mine.owner, mine.id);
    expect((await team.view(mine.owner))?.workspace.name).toBe("Max's team");
    expect(await code(team.switchTo(mine.owner, (await newWorkspace('Zed')).id))).toBe('not_found');
    expect((await team.view(mine.owner))?.workspace.name).toBe("Max's team");
  });

  it('someone from another workspace gets not_found for this one’s members and invitations', async () => {
    const mine = await newWorkspace('Mia');
    const other = await newWorkspace('Olga');
    const inv = await team.invite(mine.owner, { email: 'z@example.com', role: 'agent' });
    expect(await code(team.revoke(other.owner, inv.invitation.id))).toBe('not_found');
    expect(await code(team.resend(other.owner, inv.invitation.id))).toBe('not_found');
    expect(await code(team.remove(other.owner, mine.owner))).toBe('not_found');
    expect(await code(team.changeRole(other.owner, mine.owner, 'agent'))).toBe('not_found');
    expect((await team.invitation(tokenOf(inv.link))).status).toBe('valid');
  });
});
