// The owner's two powers over the workspace itself, against a real server with real sockets, on
// both databases: transferring ownership (roles swap in one step, both people's open dashboards
// reconnect) and deleting the workspace (everything it owns goes; its members' dashboards and its
// visitors' sockets close; its site keys stop working at once; other workspaces are untouched).
import { eq } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import { conversation, site, visit, visitor, workspace, workspaceMember } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { Ack } from '../../server/protocol';
import { TeamError } from '../../server/team/team-service';
import { testDatabases } from '../support/db';
import { agentSocket, connected, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from '../support/server';

const ORIGIN = 'https://shop.example';

describe.each(testDatabases())('team ownership ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  const open: (AgentSocket | VisitorSocket)[] = [];

  const dashboard = async (a: Account) => {
    const s = agentSocket(server.url, a.cookie);
    open.push(s);
    await connected(s);
    return s;
  };
  const visitorOf = async (key: string) => {
    const s = visitorSocket(server.url, { key, origin: ORIGIN });
    open.push(s);
    await connected(s);
    return s;
  };
  const watch = (s: AgentSocket, siteId: string) => new Promise<Ack>((resolve) => s.emit('site:watch', { siteId }, (r: Ack) => resolve(r)));
  const closed = (s: Socket) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket stayed open')), 5000);
      s.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof TeamError ? e.code : `thrown: ${String(e)}`));
  const team = () => server.services.team;
  const roleIn = async (a: Account, workspaceId: string) => (await team().workspaces(a.userId)).find((w) => w.id === workspaceId)?.role ?? null;

  /** A new owner (their workspace from sign-up), one site with a key, and members joined by invitation. */
  const newTeam = async (ownerName: string, members: [string, 'admin' | 'agent'][] = []) => {
    const owner = await signUp(server.url, ownerName);
    const ws = (await team().workspaceOf(owner.userId))!;
    const s = await server.services.sites.create(owner.userId, { name: `${ownerName}'s shop`, allowedOrigins: [ORIGIN] });
    const joined: Account[] = [];
    for (const [name, role] of members) {
      const a = await signUp(server.url, name);
      const { link } = await team().invite(owner.userId, { email: a.email, role });
      await team().accept(a.userId, link.split('/invite/')[1]!);
      joined.push(a);
    }
    return { owner, ws, site: s, members: joined };
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('transferring ownership swaps the roles and reconnects both people’s dashboards; a bystander stays connected', async () => {
    const t = await newTeam('Olive', [['Ana', 'agent'], ['Ben', 'agent']]);
    const [ana, ben] = t.members as [Account, Account];
    const [ownerSocket, anaSocket, benSocket] = await Promise.all([dashboard(t.owner), dashboard(ana), dashboard(ben)]);
    const ownerClosed = closed(ownerSocket);
    const anaClosed = closed(anaSocket);

    expect(await team().transferOwnership(t.owner.userId, ana.userId)).toEqual({ workspaceId: t.ws.id });

    expect(await ownerClosed).toBe('io server disconnect');
    expect(await anaClosed).toBe('io server disconnect');
    expect(benSocket.connected).toBe(true);
    expect(await roleIn(ana, t.ws.id)).toBe('owner');
    expect(await roleIn(t.owner, t.ws.id)).toBe('admin');
    expect(await roleIn(ben, t.ws.id)).toBe('agent');
    // Reconnected, both still watch the site; the former owner now acts as an admin.
    expect(await watch(await dashboard(t.owner), t.site.id)).toMatchObject({ ok: true });
    expect(await watch(await dashboard(ana), t.site.id)).toMatchObject({ ok: true });
    expect(await code(team().transferOwnership(t.owner.userId, ben.userId))).toBe('forbidden');
    expect(await code(team().deleteWorkspace(t.owner.userId, t.ws.id, t.ws.name))).toBe('forbidden');
  });

  it('a non-owner may not transfer, and ownership only goes to a member; nothing changes and no socket closes', async () => {
    const t = await newTeam('Pia', [['Ada', 'admin'], ['Abe', 'agent']]);
    const [ada, abe] = t.members as [Account, Account];
    const stranger = await newTeam('Stan');
    const sockets = await Promise.all([dashboard(t.owner), dashboard(ada), dashboard(abe)]);

    expect(await code(team().transferOwnership(ada.userId, abe.userId))).toBe('forbidden');
    expect(await code(team().transferOwnership(abe.userId, abe.userId))).toBe('forbidden');
    expect(await code(team().transferOwnership(t.owner.userId, stranger.owner.userId))).toBe('not_found');
    // Someone of another workspace cannot reach this one at all: their own current workspace is acted on.
    expect(await code(team().transferOwnership(stranger.owner.userId, ada.userId))).toBe('not_found');

    await sleep(150);
    expect(sockets.every((s) => s.connected)).toBe(true);
    expect(await roleIn(t.owner, t.ws.id)).toBe('owner');
    expect(await roleIn(ada, t.ws.id)).toBe('admin');
    expect(await roleIn(stranger.owner, stranger.ws.id)).toBe('owner');
  });

  it('deleting is refused without the exact name, for admins and agents, and for outsiders; nothing closes', async () => {
    const t = await newTeam('Quin', [['Ray', 'admin'], ['Sue', 'agent']]);
    const [ray, sue] = t.members as [Account, Account];
    const outsider = await newTeam('Tom');
    const v = await visitorOf(t.site.publicKey);
    const sockets = [await dashboard(t.owner), await dashboard(ray)];

    for (const wrong of ['', t.ws.name.toUpperCase(), `${t.ws.name} `, 'delete']) {
      expect(await code(team().deleteWorkspace(t.owner.userId, t.ws.id, wrong))).toBe('confirm_mismatch');
    }
    expect(await code(team().deleteWorkspace(ray.userId, t.ws.id, t.ws.name))).toBe('forbidden');
    expect(await code(team().deleteWorkspace(sue.userId, t.ws.id, t.ws.name))).toBe('forbidden');
    expect(await code(team().deleteWorkspace(outsider.owner.userId, t.ws.id, t.ws.name))).toBe('not_found');

    await sleep(150);
    expect(v.connected).toBe(true);
    expect(sockets.every((s) => s.connected)).toBe(true);
    expect(await server.services.sites.getForUser(t.owner.userId, t.site.id)).not.toBeNull();
  });

  it('deleting removes the sites (their key is refused at once), closes members’ and visitors’ sockets, and leaves other workspaces alone', async () => {
    const doomed = await newTeam('Uma', [['Vera', 'agent']]);
    const kept = await newTeam('Walt');
    const [vera] = doomed.members as [Account];

    // Visitors on both sites (the doomed key is now in the handshake cache), dashboards watching both.
    const doomedVisitor = await visitorOf(doomed.site.publicKey);
    const keptVisitor = await visitorOf(kept.site.publicKey);
    const [umaSocket, veraSocket, waltSocket] = await Promise.all([dashboard(doomed.owner), dashboard(vera), dashboard(kept.owner)]);
    expect(await watch(umaSocket, doomed.site.id)).toMatchObject({ ok: true });
    expect(await watch(waltSocket, kept.site.id)).toMatchObject({ ok: true });
    // History and a conversation exist for the doomed site, so there is something to take with it.
    await server.history.flush();
    await database.db.insert(conversation).values({ id: `conv-${doomed.site.id}`, siteId: doomed.site.id, visitorKey: 'v', visitorToken: 't', createdAt: new Date(), updatedAt: new Date() });
    expect((await database.db.select().from(visit).where(eq(visit.siteId, doomed.site.id))).length).toBe(1);

    const closes = [closed(umaSocket), closed(veraSocket), closed(doomedVisitor)];
    await team().deleteWorkspace(doomed.owner.userId, doomed.ws.id, doomed.ws.name);
    expect(await Promise.all(closes)).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);

    // The key stops working at once (not after the 30 s handshake cache): a new visitor is refused.
    const late = visitorSocket(server.url, { key: doomed.site.publicKey, origin: ORIGIN });
    open.push(late);
    await expect(connected(late)).rejects.toThrow();

    // Nothing of the doomed workspace is left in the database.
    expect(await database.db.select().from(workspace).where(eq(workspace.id, doomed.ws.id))).toEqual([]);
    expect(await database.db.select().from(workspaceMember).where(eq(workspaceMember.workspaceId, doomed.ws.id))).toEqual([]);
    expect(await database.db.select().from(site).where(eq(site.id, doomed.site.id))).toEqual([]);
    expect(await database.db.select().from(visit).where(eq(visit.siteId, doomed.site.id))).toEqual([]);
    expect(await database.db.select().from(visitor).where(eq(visitor.siteId, doomed.site.id))).toEqual([]);
    expect(await database.db.select().from(conversation).where(eq(conversation.siteId, doomed.site.id))).toEqual([]);
    // The people remain, in their own workspaces; the doomed site is no longer theirs to watch.
    expect((await team().workspaces(vera.userId)).map((w) => w.id)).not.toContain(doomed.ws.id);
    expect((await team().workspaces(vera.userId)).length).toBe(1);
    expect(await team().workspaceOf(doomed.owner.userId)).toBeNull();
    const refused = await watch(await dashboard(vera), doomed.site.id);
    expect(refused.ok).toBe(false);
    expect(['forbidden', 'not_found']).toContain(refused.ok ? 'ok' : refused.code);

    // The other workspace is untouched: its visitor and dashboard stay, its key still opens sockets.
    expect(keptVisitor.connected).toBe(true);
    expect(waltSocket.connected).toBe(true);
    await visitorOf(kept.site.publicKey);
    expect(await server.services.sites.getForUser(kept.owner.userId, kept.site.id)).not.toBeNull();
    expect(await roleIn(kept.owner, kept.ws.id)).toBe('owner');
    await server.history.flush();
    expect((await database.db.select().from(visit).where(eq(visit.siteId, kept.site.id))).length).toBe(2);
  });
});
