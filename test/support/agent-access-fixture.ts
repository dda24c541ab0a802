// Workspace W over the /agent namespace for the access-matrix tests: its owner, an admin and an
// agent, each on a dashboard socket; a colleague in a standing call; site S with a visitor who
// chats (conversation C) and one the members call; and an outsider who owns workspace X and site T.
// Everything pushed to the outsider's, the colleague's and the visitors' sockets is kept, to look
// for leaks. Real server, real sockets; registers the describe block's beforeAll/afterAll.
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { Ack, AgentCall, ChatMessage } from '../../server/protocol';
import type { TestDbKind } from './db';
import { ask, connected, handshake, signUp, startTestServer, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from './server';

export const ORIGIN = 'https://shop.example';
export type Member = 'owner' | 'admin' | 'agent';
export const MEMBERS: readonly Member[] = ['owner', 'admin', 'agent'];

/** What the matrix works with: W's people, site, visitors, conversation and a live call; X's outsider. */
export interface Fixture {
  server: Porchlight;
  accounts: Record<Member | 'outsider' | 'caller', Person>;
  sockets: Record<Member | 'outsider', AgentSocket>;
  /** A W colleague's dashboard, to see what members' actions look like to the team. */
  colleague: AgentSocket;
  workspaceW: string;
  workspaceX: string;
  siteS: { id: string; publicKey: string; name: string };
  siteT: { id: string };
  /** A visitor of S who chats: their conversation is C. */
  chatVisitor: { id: string; socket: VisitorSocket };
  conversationC: string;
  /** A visitor of S the members call in their cells (free between cells). */
  callVisitor: { id: string; socket: VisitorSocket };
  /** A call of W, answered and connected, between a colleague (caller) and another visitor of S. */
  callW: string;
  /** The visitor in that call. */
  fixVisitorId: string;
  /** Everything of W the outsider must never see. */
  secrets: string[];
}

/** An account and the name it signed up with (what colleagues and visitors see). */
export type Person = Account & { name: string };

export function expectOk<T extends object>(r: Ack<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: refused with ${r.code} ${r.message ?? ''}`);
  return r;
}

/** What the visitor of S wrote: W's conversation C holds it. */
export const SECRET_TEXT = `the parcel code is ${randomUUID()}`;

type Heard = { event: string; args: unknown[] }[];
type DashboardOptions = { workspaceId?: string; listen?: (event: string, args: unknown[]) => void };

export interface AgentAccess {
  /** There once beforeAll has run. */
  readonly f: Fixture;
  /** Everything pushed to the outsider's and the visitors' sockets, to look for leaks at the end. */
  heardByOutsider: Heard;
  heardByVisitors: Heard;
  heardByColleague: Heard;
  /** A dashboard socket of `a`, closed in afterAll. */
  dashboard(server: Porchlight, a: Account, o?: DashboardOptions): Promise<AgentSocket>;
  /** Closes the socket in afterAll. */
  track<T extends { disconnect(): void }>(s: T): T;
}

export function useAgentAccess(kind: TestDbKind): AgentAccess {
  let database: Database;
  let f: Fixture | undefined;
  const open: { disconnect(): void }[] = [];
  const heardByOutsider: Heard = [];
  const heardByVisitors: Heard = [];
  const heardByColleague: Heard = [];

  const dashboard = async (server: Porchlight, a: Account, o: DashboardOptions = {}): Promise<AgentSocket> => {
    const s: AgentSocket = connect(`${server.url}/agent`, { transports: ['websocket'], extraHeaders: { cookie: a.cookie, origin: server.url }, auth: o.workspaceId ? { workspaceId: o.workspaceId } : {}, reconnection: false, forceNew: true });
    open.push(s);
    const listen = o.listen;
    // Before connecting: the server says things (availability) right on connect.
    if (listen) s.onAny((event: string, ...args: unknown[]) => listen(event, args));
    await connected(s);
    return s;
  };
  const person = async (server: Porchlight, name: string): Promise<Person> => ({ ...(await signUp(server.url, name)), name });
  const visitor = async (server: Porchlight, key: string) => {
    const auth = handshake();
    const socket = visitorSocket(server.url, { key, origin: ORIGIN, auth });
    open.push(socket);
    socket.onAny((event: string, ...args: unknown[]) => heardByVisitors.push({ event, args }));
    await connected(socket);
    return { id: auth.visitorId, socket };
  };

  beforeAll(async () => {
    database = await kind.open();
    const server = await startTestServer(database);
    const owner = await person(server, 'Olive Owner');
    const siteName = `Lumen Lamps ${randomUUID().slice(0, 8)}`;
    const site = await server.services.sites.create(owner.userId, { name: siteName, allowedOrigins: [ORIGIN] });
    const workspaceW = (await server.services.team.workspaceOf(owner.userId))!.id;
    const join = async (name: string, role: 'admin' | 'agent') => {
      const a = await person(server, name);
      const { link } = await server.services.team.invite(owner.userId, { email: a.email, role });
      await server.services.team.accept(a.userId, link.split('/invite/')[1]!);
      return a;
    };
    const admin = await join('Ada Admin', 'admin');
    const agent = await join('Abe Agent', 'agent');
    const caller = await join('Cal Colleague', 'agent');
    const outsider = await person(server, 'Otto Outsider');
    const siteT = await server.services.sites.create(outsider.userId, { name: 'Elsewhere Ltd', allowedOrigins: [ORIGIN] });
    const workspaceX = (await server.services.team.workspaceOf(outsider.userId))!.id;

    const sockets = {
      owner: await dashboard(server, owner),
      admin: await dashboard(server, admin),
      agent: await dashboard(server, agent),
      outsider: await dashboard(server, outsider, { listen: (event, args) => heardByOutsider.push({ event, args }) }),
    };
    const callerSocket = await dashboard(server, caller, { listen: (event, args) => heardByColleague.push({ event, args }) });

    const chatVisitor = await visitor(server, site.publicKey);
    expectOk(await ask(chatVisitor.socket, 'visitor:identify', { name: 'Vera Visible', email: 'vera@shop.example' }), 'identify');
    const sent = expectOk(await ask<{ message: ChatMessage }>(chatVisitor.socket, 'chat:send', { id: randomUUID(), text: SECRET_TEXT }), 'visitor chat:send');
    const callVisitor = await visitor(server, site.publicKey);

    // W's standing call: a colleague calls a third visitor, who answers; both report connected.
    const fixVisitor = await visitor(server, site.publicKey);
    const started = expectOk(await ask<{ call: AgentCall }>(callerSocket, 'call:start', { siteId: site.id, visitorId: fixVisitor.id, video: false }), 'fixture call:start');
    const callW = started.call.callId;
    expectOk(await ask(fixVisitor.socket, 'call:accept', { callId: callW, media: { audio: true, video: false } }), 'fixture call:accept');
    expectOk(await ask(callerSocket, 'call:connected', { callId: callW }), 'fixture call:connected');

    for (const s of Object.values(sockets).slice(0, 3)) expectOk(await ask(s, 'site:watch', { siteId: site.id }), 'site:watch');

    const accounts = { owner, admin, agent, caller, outsider };
    f = {
      server,
      accounts,
      sockets,
      colleague: callerSocket,
      workspaceW,
      workspaceX,
      siteS: { id: site.id, publicKey: site.publicKey, name: siteName },
      siteT: { id: siteT.id },
      chatVisitor,
      conversationC: sent.message.conversationId,
      callVisitor,
      callW,
      fixVisitorId: fixVisitor.id,
      secrets: [siteName, site.publicKey, 'Vera Visible', 'vera@shop.example', SECRET_TEXT, chatVisitor.id, callVisitor.id, fixVisitor.id, sent.message.conversationId, ...[owner, admin, agent, caller].flatMap((a) => [a.email, a.name, a.userId])],
    };
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await f?.server.close();
    await database?.close();
  });

  return {
    get f() {
      if (!f) throw new Error('the access fixture is not set up');
      return f;
    },
    heardByOutsider,
    heardByVisitors,
    heardByColleague,
    dashboard,
    track: (s) => (open.push(s), s),
  };
}
