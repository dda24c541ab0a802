// Workspace W and its people and things for the access-matrix tests, made over HTTP as users would
// (sign-up, invitations, a site, a visitor who chats, a call), an outsider who owns workspace X,
// and requests as each persona.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AgentCall, ChatMessage } from '../../server/protocol';
import type { AppProcess } from './app-process';
import { agentSocket, ask, connected, handshake, signUp, visitorSocket, type Account } from './server';

export const ORIGIN = 'https://lumen-lamps.example';
export const PERSONAS = ['owner', 'admin', 'agent', 'outsider', 'stranger'] as const;
export type Persona = (typeof PERSONAS)[number];
export type Member = 'owner' | 'admin' | 'agent';

export type Person = Account & { name: string };
export interface Fixture {
  app: AppProcess;
  people: Record<Member | 'outsider', Person>;
  workspaceW: { id: string; name: string };
  workspaceX: string;
  site: { id: string; name: string; publicKey: string };
  conversationId: string;
  /** Everything of W that must never reach the outsider or the stranger. */
  secrets: string[];
}

export interface Res {
  status: number;
  location: string | null;
  text: string;
}
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request as a persona: their session cookie (none for the stranger), a same-origin browser's headers. */
export async function request(f: Fixture, who: Persona | Person, method: Method, urlPath: string, body?: unknown): Promise<Res> {
  const cookie = who === 'stranger' ? undefined : typeof who === 'string' ? f.people[who].cookie : who.cookie;
  const res = await fetch(`${f.app.url}${urlPath}`, {
    method,
    redirect: 'manual',
    headers: { origin: f.app.url, ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

// ---- W's people and things, made over HTTP as users would ----

export async function person(f: Pick<Fixture, 'app'>, name: string): Promise<Person> {
  return { ...(await signUp(f.app.url, name)), name };
}

export async function invite(f: Fixture, by: Person, email: string, role: 'admin' | 'agent'): Promise<{ id: string; token: string }> {
  const r = await request(f, by, 'POST', '/api/team/invitations', { email, role });
  expect(r.status, r.text).toBe(201);
  const body = JSON.parse(r.text) as { invitation: { id: string }; link: string };
  return { id: body.invitation.id, token: body.link.split('/invite/')[1]! };
}

export async function accept(f: Fixture, who: Person, token: string): Promise<string> {
  const r = await request(f, who, 'POST', '/api/invitations/accept', { token });
  expect(r.status, r.text).toBe(200);
  return (JSON.parse(r.text) as { workspaceId: string }).workspaceId;
}

/** A new agent of W (a target for role changes, removal, ownership). */
export async function newMember(f: Fixture, name: string): Promise<Person> {
  const p = await person(f, name);
  await accept(f, p, (await invite(f, f.people.owner, p.email, 'agent')).token);
  return p;
}

export const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** W and X with their people, S with a visitor's conversation and a call; the sockets it leaves open go into `open`. */
export async function makeFixture(app: AppProcess, open: { disconnect(): void }[]): Promise<Fixture> {
  const base = { app } as Fixture;
  const owner = await person(base, 'Olive Owner');
  const admin = await person(base, 'Ada Admin');
  const agent = await person(base, 'Abe Agent');
  const outsider = await person(base, 'Otto Outsider');
  const siteName = `Lumen Lamps ${randomUUID().slice(0, 8)}`;
  const fx: Fixture = { app, people: { owner, admin, agent, outsider }, workspaceW: { id: '', name: '' }, workspaceX: '', site: { id: '', name: siteName, publicKey: '' }, conversationId: '', secrets: [] };

  const created = await request(fx, owner, 'POST', '/api/sites', { name: siteName, allowedOrigins: [ORIGIN] });
  expect(created.status, created.text).toBe(201);
  const site = (JSON.parse(created.text) as { site: { id: string; publicKey: string } }).site;
  fx.site = { id: site.id, name: siteName, publicKey: site.publicKey };
  fx.workspaceW.id = await accept(fx, admin, (await invite(fx, owner, admin.email, 'admin')).token);
  await accept(fx, agent, (await invite(fx, owner, agent.email, 'agent')).token);
  fx.workspaceW.name = decode(/data-testid="workspace-name">([^<]*)</.exec((await request(fx, owner, 'GET', '/team')).text)?.[1] ?? '');
  expect(fx.workspaceW.name).toContain('Olive Owner');
  // X: the outsider's own workspace (with a site of its own); its id through a member they invite.
  expect((await request(fx, outsider, 'POST', '/api/sites', { name: 'Elsewhere Ltd', allowedOrigins: ['https://elsewhere.example'] })).status).toBe(201);
  const xena = await person(fx, 'Xena X');
  fx.workspaceX = await accept(fx, xena, (await invite(fx, outsider, xena.email, 'agent')).token);

  // A visitor of S who chats (the conversation), and a call to them (the calls list).
  const auth = handshake();
  const v = visitorSocket(app.url, { key: site.publicKey, origin: ORIGIN, auth });
  open.push(v);
  await connected(v);
  const identified = await ask(v, 'visitor:identify', { name: 'Vera Visible', email: 'vera@lumen.example' });
  expect(identified.ok).toBe(true);
  const secretText = `the parcel code is ${randomUUID()}`;
  const sent = await ask<{ message: ChatMessage }>(v, 'chat:send', { id: randomUUID(), text: secretText });
  if (!sent.ok) throw new Error(sent.code);
  fx.conversationId = sent.message.conversationId;
  const dash = agentSocket(app.url, owner.cookie);
  open.push(dash);
  await connected(dash);
  const call = await ask<{ call: AgentCall }>(dash, 'call:start', { siteId: site.id, visitorId: auth.visitorId, video: false });
  if (!call.ok) throw new Error(call.code);
  expect((await ask(dash, 'call:cancel', { callId: call.call.callId })).ok).toBe(true);
  dash.disconnect();

  fx.secrets = [siteName, site.publicKey, ORIGIN, fx.workspaceW.name, 'Vera Visible', 'vera@lumen.example', secretText, auth.visitorId, ...[owner, admin, agent].flatMap((p) => [p.email, p.name])];
  return fx;
}
