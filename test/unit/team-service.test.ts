// Teams without HTTP: invitation links (expiry, single use, revocation, re-send), roles and
// removal, transferring ownership and deleting a workspace, with an injected clock, on a real
// database (PGlite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import { eq, inArray } from 'drizzle-orm';
import { call, chatMessage, conversation, invitation, pageView, site, user, visit, visitor, workspace, workspaceMember } from '../../drizzle/schema';
import { EventBus, type DomainEvents } from '../../server/events/bus';
import { TeamService, TeamError, INVITATION_TTL_MS } from '../../server/team/team-service';
import { TeamStore } from '../../server/team/team-store';

describe('team domain', () => {
  let database: Database;
  let team: TeamService;
  let now = Date.UTC(2026, 10, 29, 9, 0, 0);
  const changed: DomainEvents['access:changed'][] = [];
  const invited: DomainEvents['team:invited'][] = [];
  const deleted: DomainEvents['workspace:deleted'][] = [];
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
    bus.subscribe('workspace:deleted', (e) => void deleted.push(e));
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

  /** A member of `ws` through an invitation link, as the Team page makes them. */
  const joinAs = async (ws: { owner: string }, name: string, role: 'admin' | 'agent') => {
    const id = await addUser(name);
    await team.accept(id, tokenOf((await team.invite(ws.owner, { email: `${name.toLowerCase()}-${id}@example.com`, role })).link));
    return id;
  };
  const rolesIn = async (viewer: string) => (await team.view(viewer))?.members.map((m) => [m.name, m.role]);

  it('the owner transfers ownership to a member: they become the owner, the owner an admin, both reconnect', async () => {
    const ws = await newWorkspace('Quinn');
    const admin = await joinAs(ws, 'Ros', 'admin');
    const agent = await joinAs(ws, 'Sol', 'agent');

    // Only the owner; not to themselves; only to a member of this workspace.
    expect(await code(team.transferOwnership(admin, agent))).toBe('forbidden');
    expect(await code(team.transferOwnership(agent, admin))).toBe('forbidden');
    expect(await code(team.transferOwnership(ws.owner, ws.owner))).toBe('invalid_state');
    const outsider = (await newWorkspace('Uma')).owner;
    expect(await code(team.transferOwnership(ws.owner, outsider))).toBe('not_found');
    expect(await code(team.transferOwnership(ws.owner, 'no-such-user'))).toBe('not_found');
    expect(await rolesIn(ws.owner)).toEqual([['Quinn', 'owner'], ['Ros', 'admin'], ['Sol', 'agent']]);

    changed.length = 0;
    expect(await team.transferOwnership(ws.owner, agent)).toEqual({ workspaceId: ws.id });
    expect(await rolesIn(ws.owner)).toEqual([['Quinn', 'admin'], ['Ros', 'admin'], ['Sol', 'owner']]);
    expect(changed).toEqual([
      { userId: agent, reason: 'role-changed' },
      { userId: ws.owner, reason: 'role-changed' },
    ]);
    // The former owner is an admin now: no second transfer, and the new owner is out of their reach.
    expect(await code(team.transferOwnership(ws.owner, admin))).toBe('forbidden');
    expect(await code(team.remove(ws.owner, agent))).toBe('forbidden');
    expect(await code(team.deleteWorkspace(ws.owner, ws.id, "Quinn's team"))).toBe('forbidden');
    // The new owner can hand it on (back, here).
    await team.transferOwnership(agent, ws.owner);
    expect(await rolesIn(ws.owner)).toEqual([['Quinn', 'owner'], ['Ros', 'admin'], ['Sol', 'admin']]);
  });

  it('two transfers at once: exactly one wins, and the workspace keeps exactly one owner', async () => {
    const ws = await newWorkspace('Vic');
    const a = await joinAs(ws, 'Wes', 'agent');
    const b = await joinAs(ws, 'Xia', 'agent');
    const results = await Promise.all([code(team.transferOwnership(ws.owner, a)), code(team.transferOwnership(ws.owner, b))]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok')[0]).toMatch(/^(forbidden|invalid_state)$/);
    const roles = (await rolesIn(ws.owner)) ?? [];
    expect(roles.filter(([, r]) => r === 'owner')).toHaveLength(1);
    expect(roles.find(([n]) => n === 'Vic')?.[1]).toBe('admin');
  });

  it('deleting a workspace: only its owner, only with its exact name, and it takes everything it owns', async () => {
    const ws = await newWorkspace('Yara');
    const admin = await joinAs(ws, 'Zoe', 'admin');
    const agent = await joinAs(ws, 'Abi', 'agent');
    await team.invite(ws.owner, { email: 'pending@example.com', role: 'agent' });
    const other = await newWorkspace('Bo');
    // One site per workspace, each with a visitor, a visit with a page view, a call, a conversation and a message.
    const seed = async (workspaceId: string, siteId: string) => {
      const at = new Date(now);
      await database.db.insert(site).values({ id: siteId, workspaceId, name: siteId, publicKey: `pk_${siteId}`, allowedOrigins: ['https://shop.example'] });
      await database.db.insert(visitor).values({ siteId, visitorKey: 'v1', firstSeenAt: at, lastSeenAt: at });
      await database.db.insert(visit).values({ id: `visit-${siteId}`, siteId, visitorKey: 'v1', visitKey: 'k1', startedAt: at, lastSeenAt: at, landingUrl: 'https://shop.example/', referrer: '', source: 'direct', deviceType: 'desktop', browser: 'Chrome', os: 'macOS' });
      await database.db.insert(pageView).values({ visitId: `visit-${siteId}`, url: 'https://shop.example/', title: 'Home', at });
      await database.db.insert(call).values({ id: `call-${siteId}`, siteId, visitorKey: 'v1', agentId: 'x', agentName: 'X', video: false, startedAt: at });
      await database.db.insert(conversation).values({ id: `conv-${siteId}`, siteId, visitorKey: 'v1', visitorToken: 't', createdAt: at, updatedAt: at });
      await database.db.insert(chatMessage).values({ conversationId: `conv-${siteId}`, seq: 1, clientId: 'c1', sender: 'visitor', body: 'Hi', at });
    };
    await seed(ws.id, `site-${ws.id}`);
    await seed(other.id, `site-${other.id}`);
    const name = "Yara's team";

    expect(await code(team.deleteWorkspace(other.owner, ws.id, name))).toBe('not_found');
    expect(await code(team.deleteWorkspace(ws.owner, 'no-such-workspace', name))).toBe('not_found');
    expect(await code(team.deleteWorkspace(admin, ws.id, name))).toBe('forbidden');
    expect(await code(team.deleteWorkspace(agent, ws.id, name))).toBe('forbidden');
    for (const wrong of ['', "yara's team", ` ${name}`, `${name} `, "Yara's"]) {
      expect(await code(team.deleteWorkspace(ws.owner, ws.id, wrong))).toBe('confirm_mismatch');
    }
    expect((await team.view(admin))?.workspace.id).toBe(ws.id); // nothing happened yet

    changed.length = 0;
    deleted.length = 0;
    await team.deleteWorkspace(ws.owner, ws.id, name);
    expect(deleted).toEqual([{ workspaceId: ws.id, siteIds: [`site-${ws.id}`], memberIds: expect.arrayContaining([ws.owner, admin, agent]) }]);
    expect(deleted[0]?.memberIds).toHaveLength(3);
    expect(changed.map((c) => c.userId).sort()).toEqual([ws.owner, admin, agent].sort());
    expect(changed.every((c) => c.reason === 'removed')).toBe(true);

    for (const column of [site.id, visitor.siteId, visit.siteId, call.siteId, conversation.siteId]) {
      const rows = async (siteId: string) => (await database.db.select({ x: column }).from(column.table).where(eq(column, siteId))).length;
      expect(await rows(`site-${ws.id}`)).toBe(0);
      expect(await rows(`site-${other.id}`)).toBe(1);
    }
    expect(await database.db.select().from(pageView).where(eq(pageView.visitId, `visit-site-${ws.id}`))).toEqual([]);
    expect(await database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, `conv-site-${ws.id}`))).toEqual([]);
    expect(await database.db.select().from(chatMessage).where(eq(chatMessage.conversationId, `conv-site-${other.id}`))).toHaveLength(1);
    expect(await database.db.select().from(invitation).where(eq(invitation.workspaceId, ws.id))).toEqual([]);
    expect(await database.db.select().from(workspaceMember).where(eq(workspaceMember.workspaceId, ws.id))).toEqual([]);
    expect(await database.db.select().from(workspace).where(inArray(workspace.id, [ws.id, other.id]))).toHaveLength(1);

    // The people stay (their accounts are theirs); the workspace is simply gone for them.
    expect(await team.view(admin)).toBeNull();
    expect(await team.view(ws.owner)).toBeNull();
    expect((await team.view(other.owner))?.workspace.id).toBe(other.id);
    expect(await code(team.deleteWorkspace(ws.owner, ws.id, name))).toBe('not_found');
  });

  it('deleting the current workspace leaves its owner in their other one', async () => {
    const mine = await newWorkspace('Cleo');
    const theirs = await newWorkspace('Dan');
    // Cleo joins Dan's workspace (joining makes it current), and Dan hands it to her.
    const cleo = mine.owner;
    await team.accept(cleo, tokenOf((await team.invite(theirs.owner, { email: 'cleo@example.com', role: 'admin' })).link));
    await team.transferOwnership(theirs.owner, cleo);
    expect((await team.workspaces(cleo)).map((w) => [w.id, w.role, w.current])).toEqual([[mine.id, 'owner', false], [theirs.id, 'owner', true]]);
    await team.deleteWorkspace(cleo, theirs.id, "Dan's team");
    expect((await team.workspaces(cleo)).map((w) => [w.id, w.current])).toEqual([[mine.id, true]]);
    expect((await team.view(cleo))?.workspace.id).toBe(mine.id);
    expect(await team.view(theirs.owner)).toBeNull();
  });
});
