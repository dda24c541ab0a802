// Access that ends at once: removing a member, lowering a role, signing out and revoking a
// session close that user's open dashboard sockets; when they reconnect they get only what they
// may still see. Real server, real sockets, both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { randomUUID } from 'node:crypto';
import type { Ack, ChatMessage, ConversationSummary } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { agentSocket, ask, connected, must, signUp, startTestServer, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from '../support/server';

describe.each(testDatabases())('team access ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let owner: Account;
  let siteId: string;
  const open: AgentSocket[] = [];
  const dashboard = async (a: Account, workspaceId?: string) => {
    const s = agentSocket(server.url, a.cookie, server.url, workspaceId);
    open.push(s);
    await connected(s);
    return s;
  };
  const watch = (s: AgentSocket) => new Promise<Ack>((resolve) => s.emit('site:watch', { siteId }, (r: Ack) => resolve(r)));
  /** Resolves with how long the server took to close the socket after `at`. */
  const closedBy = (s: AgentSocket, at: () => number) =>
    new Promise<{ reason: string; ms: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket stayed open')), 5000);
      s.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve({ reason, ms: Date.now() - at() });
      });
    });
  /** A new member of the owner's workspace, through an invitation link. */
  const join = async (name: string, role: 'admin' | 'agent') => {
    const a = await signUp(server.url, name);
    const { link } = await server.services.team.invite(owner.userId, { email: a.email, role });
    await server.services.team.accept(a.userId, link.split('/invite/')[1]!);
    return a;
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    owner = await signUp(server.url, 'Olive');
    siteId = (await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] })).id;
  });
  const visitors: VisitorSocket[] = [];
  afterAll(async () => {
    for (const s of visitors) s.disconnect();
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('a removed member’s open dashboard is closed, and watching the site is refused after', async () => {
    const ana = await join('Ana', 'agent');
    const s = await dashboard(ana);
    expect(await watch(s)).toMatchObject({ ok: true });
    let t0 = 0;
    const closed = closedBy(s, () => t0);
    t0 = Date.now();
    await server.services.team.remove(owner.userId, ana.userId);
    const { reason, ms } = await closed;
    expect(reason).toBe('io server disconnect');
    console.log(`[team-access] removal closed the socket after ${ms} ms`);
    // The session itself is still valid (they may have other workspaces): the socket comes back,
    // but this site is no longer theirs.
    const again = await dashboard(ana);
    expect(await watch(again)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('lowering a role closes the sockets so they are judged again; other users are not touched', async () => {
    const ada = await join('Ada', 'admin');
    const mine = await dashboard(ada);
    const ownerSocket = await dashboard(owner);
    let t0 = 0;
    const closed = closedBy(mine, () => t0);
    t0 = Date.now();
    await server.services.team.changeRole(owner.userId, ada.userId, 'agent');
    expect((await closed).reason).toBe('io server disconnect');
    expect(ownerSocket.connected).toBe(true);
    // An agent still watches the live table.
    expect(await watch(await dashboard(ada))).toMatchObject({ ok: true });
  });

  it('signing out closes that session’s sockets, and the cookie no longer opens one', async () => {
    const ben = await join('Ben', 'agent');
    const s = await dashboard(ben);
    let t0 = 0;
    const closed = closedBy(s, () => t0);
    t0 = Date.now();
    const res = await fetch(`${server.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: ben.cookie, origin: server.url, 'content-type': 'application/json' }, body: '{}' });
    expect(res.ok).toBe(true);
    const { reason, ms } = await closed;
    expect(reason).toBe('io server disconnect');
    console.log(`[team-access] sign-out closed the socket after ${ms} ms`);
    await expect(dashboard(ben)).rejects.toThrow('unauthorized');
  });

  it('revoking one session closes only that session’s sockets', async () => {
    const cy = await join('Cy', 'agent');
    // A second sign-in: another browser, another session.
    const res = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: cy.email, password: 'correct-horse-battery' }) });
    expect(res.ok).toBe(true);
    const laptop = { ...cy, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
    const phoneSocket = await dashboard(cy);
    const laptopSocket = await dashboard(laptop);
    const sessions = (await (await fetch(`${server.url}/api/auth/list-sessions`, { headers: { cookie: laptop.cookie } })).json()) as { token: string; id: string }[];
    expect(sessions).toHaveLength(2);
    const closed = closedBy(phoneSocket, () => 0);
    // From the laptop, sign the other session (the phone) out.
    const current = (await (await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: laptop.cookie } })).json()) as { session: { id: string } };
    const other = sessions.find((x) => x.id !== current.session.id)!;
    const revoke = await fetch(`${server.url}/api/auth/revoke-session`, { method: 'POST', headers: { cookie: laptop.cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ token: other.token }) });
    expect(revoke.ok).toBe(true);
    expect((await closed).reason).toBe('io server disconnect');
    expect(laptopSocket.connected).toBe(true);
  });

  it('changing the password and signing out the other browsers closes their sockets, and their cookie opens none', async () => {
    const flo = await join('Flo', 'agent');
    const res = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: flo.email, password: 'correct-horse-battery' }) });
    const laptop = { ...flo, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
    const phoneSocket = await dashboard(flo);
    const closed = closedBy(phoneSocket, () => 0);
    const change = await fetch(`${server.url}/api/auth/change-password`, {
      method: 'POST',
      headers: { cookie: laptop.cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: 'correct-horse-battery', newPassword: 'lantern-harbour-42-river', revokeOtherSessions: true }),
    });
    expect(change.ok).toBe(true);
    expect((await closed).reason).toBe('io server disconnect');
    await expect(dashboard(flo)).rejects.toThrow('unauthorized');
    // The browser that changed it carries on with the new session the answer set.
    const renewed = { ...flo, cookie: change.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || laptop.cookie };
    expect(await watch(await dashboard(renewed))).toMatchObject({ ok: true });
  });

  it('a dashboard socket works in the one workspace its page names, never across workspaces', async () => {
    // Dana has her own workspace (from sign-up) and joins the owner's, which becomes her current one.
    const dana = await join('Dana', 'agent');
    const own = (await server.services.team.workspaces(dana.userId)).find((w) => !w.current)!;
    const shop = (await server.services.team.workspaceOf(owner.userId))!;
    expect((await server.services.team.workspaceOf(dana.userId))?.id).toBe(shop.id);

    // A visitor of the owner's site starts a conversation.
    const site = (await server.services.sites.getForUser(owner.userId, siteId))!;
    const v = visitorSocket(server.url, { key: site.publicKey });
    visitors.push(v);
    await connected(v);
    await must(ask<{ message: ChatMessage }>(v, 'chat:send', { id: randomUUID(), text: 'Is anyone there?' }));

    // A tab showing the shop's workspace (named, or the current one by default) sees both.
    for (const tab of [await dashboard(dana, shop.id), await dashboard(dana)]) {
      expect(await watch(tab)).toMatchObject({ ok: true });
      const inbox = await must(ask<{ conversations: ConversationSummary[] }>(tab, 'chat:list', { status: 'all', owner: 'all', limit: 20 }));
      expect(inbox.conversations.map((c) => c.siteId)).toContain(siteId);
    }

    // A tab showing her own workspace sees neither the site nor the conversation, by any id.
    const mine = await dashboard(dana, own.id);
    expect(await watch(mine)).toMatchObject({ ok: false, code: 'not_found' });
    const inbox = await must(ask<{ conversations: ConversationSummary[] }>(mine, 'chat:list', { status: 'all', owner: 'all', limit: 20 }));
    expect(inbox.conversations).toEqual([]);
    const shopTab = await dashboard(dana, shop.id);
    const convo = (await must(ask<{ conversations: ConversationSummary[] }>(shopTab, 'chat:list', { status: 'all', owner: 'all', limit: 20 }))).conversations[0]!;
    expect(await ask(mine, 'chat:sync', { conversationId: convo.id, after: 0 })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ask(mine, 'chat:start', { siteId, visitorId: convo.visitorId })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ask(mine, 'call:start', { siteId, visitorId: convo.visitorId, video: false })).toMatchObject({ ok: false, code: 'not_found' });

    // A workspace she is not a member of is refused at the handshake, so the page can say so.
    const stranger = await signUp(server.url, 'Eve');
    const eves = (await server.services.team.workspaceOf(stranger.userId))!;
    await expect(dashboard(dana, eves.id)).rejects.toThrow('not_member');
    await expect(dashboard(dana, randomUUID())).rejects.toThrow('not_member');
  });
});
