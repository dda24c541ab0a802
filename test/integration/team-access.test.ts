// Access that ends at once: removing a member, lowering a role, signing out and revoking a
// session close that user's open dashboard sockets; when they reconnect they get only what they
// may still see. Real server, real sockets, both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { Ack } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { agentSocket, connected, signUp, startTestServer, type Account, type AgentSocket } from '../support/server';

describe.each(testDatabases())('team access ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let owner: Account;
  let siteId: string;
  const open: AgentSocket[] = [];
  const dashboard = async (a: Account) => {
    const s = agentSocket(server.url, a.cookie);
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
  afterAll(async () => {
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
    expect(await watch(again)).toMatchObject({ ok: false, code: 'forbidden' });
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
});
