// Collision on the row: a colleague opening a visitor's panel, their conversation or a call shows
// on every dashboard of the workspace at once, in the site:watch snapshot for dashboards that come
// later, and goes when they close it or their tab goes. Real server, real sockets, both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { AgentAttention, VisitorAttention } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { agentSocket, ask, connected, handshake, must, nextEvent, signUp, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

type Update = VisitorAttention & { siteId: string };

describe.each(testDatabases())('collision on the row ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let owner: Account;
  let ana: Account;
  let site: { id: string; publicKey: string };
  const open: { disconnect(): void }[] = [];
  const dashboard = async (a: Account) => {
    const s = agentSocket(server.url, a.cookie);
    open.push(s);
    await connected(s);
    return s;
  };
  const visitor = async () => {
    const auth = handshake();
    const v = visitorSocket(server.url, { key: site.publicKey, auth });
    open.push(v);
    await connected(v);
    return auth.visitorId;
  };
  const update = (s: AgentSocket, visitorId: string, pred: (agents: AgentAttention[]) => boolean) =>
    nextEvent<Update>(s, 'visitor:attention', (u) => u.siteId === site.id && u.visitorId === visitorId && pred(u.agents));

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    owner = await signUp(server.url, 'Olive Owner');
    site = await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    ana = await signUp(server.url, 'Ana Ruiz');
    const { link } = await server.services.team.invite(owner.userId, { email: ana.email, role: 'agent' });
    await server.services.team.accept(ana.userId, link.split('/invite/')[1]!);
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('a colleague opening, calling and closing a visitor shows live on the owner’s table', async () => {
    const visitorId = await visitor();
    const olive = await dashboard(owner);
    await must(ask(olive, 'site:watch', { siteId: site.id }));
    const anaTab = await dashboard(ana);

    const viewing = update(olive, visitorId, (a) => a.length === 1);
    await must(ask(anaTab, 'visitor:focus', { doing: 'viewing', visitor: { siteId: site.id, visitorId } }));
    expect((await viewing).agents).toEqual([{ id: ana.userId, name: 'Ana Ruiz', initials: 'AR', avatar: null, doing: 'viewing' }]);

    // Calling outranks looking: one face per person, with what matters most.
    const calling = update(olive, visitorId, (a) => a[0]?.doing === 'calling');
    await must(ask(anaTab, 'visitor:focus', { doing: 'calling', visitor: { siteId: site.id, visitorId } }));
    expect((await calling).agents.map((a) => [a.name, a.doing])).toEqual([['Ana Ruiz', 'calling']]);

    // The call ends, then the panel closes: nobody is on the visitor any more.
    const looking = update(olive, visitorId, (a) => a[0]?.doing === 'viewing');
    await must(ask(anaTab, 'visitor:focus', { doing: 'calling', visitor: null }));
    await looking;
    const gone = update(olive, visitorId, (a) => a.length === 0);
    await must(ask(anaTab, 'visitor:focus', { doing: 'viewing', visitor: null }));
    await gone;
  });

  it('a dashboard opened later gets it in its snapshot, and a closed tab takes it away', async () => {
    const visitorId = await visitor();
    const anaTab = await dashboard(ana);
    await must(ask(anaTab, 'visitor:focus', { doing: 'chatting', visitor: { siteId: site.id, visitorId } }));
    const olive = await dashboard(owner);
    const snap = await must(ask<{ attention: VisitorAttention[] }>(olive, 'site:watch', { siteId: site.id }));
    expect(snap.attention.find((a) => a.visitorId === visitorId)?.agents.map((a) => [a.name, a.doing])).toEqual([['Ana Ruiz', 'chatting']]);

    const gone = update(olive, visitorId, (a) => a.length === 0);
    anaTab.disconnect();
    await gone;
  });

  it('a focus on another workspace’s site is refused and announced nowhere', async () => {
    const eve = await signUp(server.url, 'Eve');
    const eveSite = await server.services.sites.create(eve.userId, { name: 'Elsewhere', allowedOrigins: ['https://else.example'] });
    const visitorId = await visitor();
    const olive = await dashboard(owner);
    await must(ask(olive, 'site:watch', { siteId: site.id }));
    const eveTab = await dashboard(eve);
    expect(await ask(eveTab, 'visitor:focus', { doing: 'viewing', visitor: { siteId: site.id, visitorId } })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ask(eveTab, 'visitor:focus', { doing: 'staring', visitor: null })).toMatchObject({ ok: false, code: 'bad_request' });
    // Eve's own site is fine; the owner's dashboard hears nothing of it (another workspace).
    await must(ask(eveTab, 'visitor:focus', { doing: 'viewing', visitor: { siteId: eveSite.id, visitorId } }));
    await expect(nextEvent(olive, 'visitor:attention', () => true, 500)).rejects.toThrow('timed out');
  });
});
