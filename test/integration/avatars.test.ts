// Agents' pictures reach visitors: an agent who set a picture on the Account page appears to a
// visitor's socket (chat:hello, chat:agents, the call invite) with an avatar URL on the server,
// and that URL serves the same image bytes to anyone, without cookies, cross-origin, cacheable
// for a year; an agent without a picture has none; a changed picture comes with the agent's next
// connection under a new URL. Real server, real sockets, both databases.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { eq } from 'drizzle-orm';
import type { Database } from '../../drizzle/db';
import { workspaceMember } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { AgentBrief, AgentCall, CallInvite, VisitorChatInfo } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { png, pngDataUrl } from '../support/png';
import { ask, connected, handshake, must, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

const ORIGIN = 'https://shop.example';
const RED = png(32, [220, 38, 38], [250, 204, 21]);
const BLUE = png(24, [37, 99, 235]);

describe.each(testDatabases())('agent pictures for visitors ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let ana: Account; // has a picture
  let ben: Account; // none
  let workspaceId: string;
  let site: { id: string; publicKey: string };
  let open: { disconnect(): void }[] = [];
  const track = <T extends { disconnect(): void }>(s: T) => (open.push(s), s);

  /** A dashboard socket working in Ana's workspace (where Ben is a member too). */
  const agent = async (a: Account): Promise<AgentSocket> => {
    const s: AgentSocket = track(connect(`${server.url}/agent`, { transports: ['websocket'], auth: { workspaceId }, extraHeaders: { cookie: a.cookie, origin: server.url }, reconnection: false, forceNew: true }));
    await connected(s);
    await sleep(100); // joins its workspace rooms right after connecting
    return s;
  };
  const visitor = async () => {
    const auth = handshake();
    const s = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth }));
    await connected(s);
    return { s, visitorId: auth.visitorId };
  };
  const setPicture = async (a: Account, image: string | null) => {
    const res = await fetch(`${server.url}/api/auth/update-user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie: a.cookie },
      body: JSON.stringify({ image }),
    });
    expect(res.status).toBe(200);
  };
  /** Fetched as a customer page's <img> would: another origin, no cookies. */
  const load = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { origin: ORIGIN, ...headers } });
  const byName = (agents: AgentBrief[], name: string) => agents.find((x) => x.name === name);

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    ana = await signUp(server.url, 'Ana Lima');
    ben = await signUp(server.url, 'Ben Okafor');
    site = await server.services.sites.create(ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
    workspaceId = (await server.services.sites.workspaceOf(ana.userId))!.id;
    await database.db.insert(workspaceMember).values({ workspaceId, userId: ben.userId, role: 'agent' });
    await setPicture(ana, pngDataUrl(RED));
  });
  afterEach(async () => {
    for (const s of open) s.disconnect();
    open = [];
    await sleep(50);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('chat: the agents online carry the picture URL, which serves the same image bytes; an agent without one has none', async () => {
    const v = await visitor();
    // The panel is open before the agents come: they arrive as chat:agents.
    await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}));
    const both = nextEvent<{ agents: AgentBrief[] }>(v.s, 'chat:agents', (p) => p.agents.length === 2);
    await agent(ana);
    await agent(ben);
    const { agents } = await both;
    const a = byName(agents, 'Ana Lima')!;
    expect(a.avatar).toMatch(new RegExp(`^/avatars/${ana.userId}\\?v=[A-Za-z0-9_-]{6,}$`));
    expect(byName(agents, 'Ben Okafor')!.avatar).toBeNull();
    // chat:hello says the same.
    const hello = await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}));
    expect(byName(hello.chat.agents, 'Ana Lima')!.avatar).toBe(a.avatar);
    expect(byName(hello.chat.agents, 'Ben Okafor')!.avatar).toBeNull();

    const res = await load(a.avatar!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(RED)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
    // Revalidation is cheap; HEAD has no body.
    const again = await load(a.avatar!, { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
    const head = await fetch(`${server.url}${a.avatar}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(RED.length));
  });

  it('call: the invite carries the calling agent\'s picture URL (none for an agent without one)', async () => {
    const a = await agent(ana);
    const b = await agent(ben);
    const v1 = await visitor();
    const v2 = await visitor();
    const fromAna = nextEvent<CallInvite>(v1.s, 'call:invite');
    const fromBen = nextEvent<CallInvite>(v2.s, 'call:invite');
    await must(ask<{ call: AgentCall }>(a, 'call:start', { siteId: site.id, visitorId: v1.visitorId, video: true }));
    await must(ask<{ call: AgentCall }>(b, 'call:start', { siteId: site.id, visitorId: v2.visitorId, video: false }));
    const invite = await fromAna;
    expect(invite.agent).toMatchObject({ name: 'Ana Lima', initials: 'AL' });
    expect(invite.agent.avatar).toMatch(new RegExp(`^/avatars/${ana.userId}\\?v=`));
    const res = await load(invite.agent.avatar!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(RED)).toBe(true);
    expect((await fromBen).agent).toMatchObject({ name: 'Ben Okafor', avatar: null });
  });

  it('a new picture comes with the agent\'s next connection, under a new URL', async () => {
    const v = await visitor();
    const dashboard = await agent(ana);
    const before = byName((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.agents, 'Ana Lima')!.avatar!;
    await setPicture(ana, pngDataUrl(BLUE));
    // The open dashboard keeps the picture it connected with; its reload brings the new one.
    const gone = nextEvent<{ agents: AgentBrief[] }>(v.s, 'chat:agents', (p) => !byName(p.agents, 'Ana Lima'));
    dashboard.disconnect();
    await gone;
    const back = nextEvent<{ agents: AgentBrief[] }>(v.s, 'chat:agents', (p) => !!byName(p.agents, 'Ana Lima'));
    await agent(ana);
    const after = byName((await back).agents, 'Ana Lima')!.avatar!;
    expect(after).not.toBe(before);
    const res = await load(after);
    expect(Buffer.from(await res.arrayBuffer()).equals(BLUE)).toBe(true);
    expect(res.headers.get('cache-control')).toContain('immutable');
    // The old URL (a visitor page still showing it) gets today's picture, not cached for long.
    const old = await load(before);
    expect(old.status).toBe(200);
    expect(Buffer.from(await old.arrayBuffer()).equals(BLUE)).toBe(true);
    expect(old.headers.get('cache-control')).toBe('no-cache');
    await setPicture(ana, pngDataUrl(RED));
  });

  it('serves nothing for users without a picture, non-members, unknown or malformed ids, and other methods', async () => {
    expect((await load(`/avatars/${ben.userId}`)).status).toBe(404);
    expect((await load('/avatars/nobody1234567890?v=abc')).status).toBe(404);
    for (const bad of ['/avatars/', '/avatars/..%2F..%2Fetc', '/avatars/a%00b', `/avatars/${'x'.repeat(65)}`, `/avatars/${ana.userId}/x`]) {
      expect((await load(bad)).status, bad).toBe(404);
    }
    expect((await fetch(`${server.url}/avatars/${ana.userId}`, { method: 'POST', headers: { origin: ORIGIN } })).status).toBe(405);

    // A picture is public only while its user is a member of some workspace.
    const carl = await signUp(server.url, 'Carl');
    await setPicture(carl, pngDataUrl(BLUE));
    expect((await load(`/avatars/${carl.userId}`)).status).toBe(200);
    await database.db.delete(workspaceMember).where(eq(workspaceMember.userId, carl.userId));
    // A different version skips the short lookup cache.
    expect((await load(`/avatars/${carl.userId}?v=other`)).status).toBe(404);
  });
});
