// The role matrix over HTTP: every route handler under app/api (every exported method) and every
// dashboard page, tried as the owner, an admin and an agent of workspace W, as an outsider (a
// signed-in user who owns workspace X) and as a stranger (no session). Expectations follow
// server/access/access.ts; W's ids in the outsider's hands are "not found" and the answer carries
// nothing of W; the stranger gets 401 from the API and the login page instead of a page.
// The app runs as `npm start` does (the built Next app), driven over fetch: no browser needed.
// Completeness is checked against the tree: a new route file, method or page without a row fails.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentCall, ChatMessage } from '../../server/protocol';
import { startApp, type AppProcess } from '../support/app-process';
import { agentSocket, ask, connected, handshake, root, signUp, visitorSocket, type Account } from '../support/server';

const ORIGIN = 'https://lumen-lamps.example';
const PERSONAS = ['owner', 'admin', 'agent', 'outsider', 'stranger'] as const;
type Persona = (typeof PERSONAS)[number];
type Member = 'owner' | 'admin' | 'agent';
/** Order of the cells of one row: the owner last, so a destructive success (deleting W) comes after every refusal. */
const RUN_ORDER: readonly Persona[] = ['stranger', 'outsider', 'agent', 'admin', 'owner'];

type Person = Account & { name: string };
interface Fixture {
  app: AppProcess;
  people: Record<Member | 'outsider', Person>;
  workspaceW: { id: string; name: string };
  workspaceX: string;
  site: { id: string; name: string; publicKey: string };
  conversationId: string;
  /** Everything of W that must never reach the outsider or the stranger. */
  secrets: string[];
}

interface Res {
  status: number;
  location: string | null;
  text: string;
}
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request as a persona: their session cookie (none for the stranger), a same-origin browser's headers. */
async function request(f: Fixture, who: Persona | Person, method: Method, urlPath: string, body?: unknown): Promise<Res> {
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

async function person(f: Pick<Fixture, 'app'>, name: string): Promise<Person> {
  return { ...(await signUp(f.app.url, name)), name };
}

async function invite(f: Fixture, by: Person, email: string, role: 'admin' | 'agent'): Promise<{ id: string; token: string }> {
  const r = await request(f, by, 'POST', '/api/team/invitations', { email, role });
  expect(r.status, r.text).toBe(201);
  const body = JSON.parse(r.text) as { invitation: { id: string }; link: string };
  return { id: body.invitation.id, token: body.link.split('/invite/')[1]! };
}

async function accept(f: Fixture, who: Person, token: string): Promise<string> {
  const r = await request(f, who, 'POST', '/api/invitations/accept', { token });
  expect(r.status, r.text).toBe(200);
  return (JSON.parse(r.text) as { workspaceId: string }).workspaceId;
}

/** A new agent of W (a target for role changes, removal, ownership). */
async function newMember(f: Fixture, name: string): Promise<Person> {
  const p = await person(f, name);
  await accept(f, p, (await invite(f, f.people.owner, p.email, 'agent')).token);
  return p;
}

/** What a site settings change must look like to every cell (the site keeps its name unless a member changes it). */
const siteBody = (f: Fixture, name: string) => ({ name, allowedOrigins: [ORIGIN] });

/** Whether `who` can still change S's settings (an owner or admin of W): how a role change shows. */
const canEditSite = async (f: Fixture, who: Person) => (await request(f, who, 'PATCH', `/api/sites/${f.site.id}`, siteBody(f, f.site.name))).status === 200;

const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The assignment mode the Team page shows as chosen. */
const checkedMode = (html: string): string | undefined =>
  [...html.matchAll(/<input[^>]*name="assignment"[^>]*>/g)].map((m) => m[0]).filter((tag) => / checked=""/.test(tag)).map((tag) => /value="([^"]*)"/.exec(tag)?.[1])[0];

// ---- the matrix ----

/**
 * One route handler method. `prepare` makes what one cell needs (a fresh invitation, member...)
 * and returns the path and body; `status` is each persona's answer; `check` looks at what a
 * member got (or what changed) beyond the status.
 */
interface RouteRow {
  method: Method;
  /** The route file under app/api, as in the tree. */
  file: string;
  prepare: (f: Fixture, who: Persona) => Promise<{ path: string; body?: unknown; after?: (r: Res) => Promise<void> }>;
  status: Record<Persona, number>;
}

const ROUTES: RouteRow[] = [
  {
    method: 'GET',
    file: 'sites/route.ts',
    status: { owner: 200, admin: 200, agent: 200, outsider: 200, stranger: 401 },
    prepare: async (f, who) => ({
      path: '/api/sites',
      after: async (r) => {
        // Members see S; the outsider sees their own list, without S.
        if (who !== 'outsider' && who !== 'stranger') expect(r.text).toContain(f.site.publicKey);
      },
    }),
  },
  {
    method: 'POST',
    file: 'sites/route.ts',
    status: { owner: 201, admin: 201, agent: 403, outsider: 201, stranger: 401 },
    prepare: async (f, who) => {
      const name = `New site by ${who} ${randomUUID().slice(0, 6)}`;
      return {
        path: '/api/sites',
        body: { name, allowedOrigins: ['https://new.example'] },
        after: async () => {
          // It lands in W only when a W owner or admin made it; the outsider's goes to X.
          const inW = (await request(f, 'owner', 'GET', '/api/sites')).text.includes(name);
          expect(inW).toBe(who === 'owner' || who === 'admin');
        },
      };
    },
  },
  {
    method: 'GET',
    file: 'sites/[id]/route.ts',
    status: { owner: 200, admin: 200, agent: 200, outsider: 404, stranger: 401 },
    prepare: async (f) => ({
      path: `/api/sites/${f.site.id}`,
      after: async (r) => {
        if (r.status === 200) expect(JSON.parse(r.text)).toMatchObject({ ok: true, site: { id: f.site.id, name: f.site.name, publicKey: f.site.publicKey } });
      },
    }),
  },
  {
    method: 'PATCH',
    file: 'sites/[id]/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const member = who === 'owner' || who === 'admin';
      // Members save the same name (the matrix's secrets stay true); everyone else tries a takeover.
      return {
        path: `/api/sites/${f.site.id}`,
        body: siteBody(f, member ? f.site.name : `Taken over by ${who}`),
        after: async () => {
          const now = JSON.parse((await request(f, 'owner', 'GET', `/api/sites/${f.site.id}`)).text) as { site: { name: string; allowedOrigins: string[] } };
          expect(now.site).toMatchObject({ name: f.site.name, allowedOrigins: [ORIGIN] });
        },
      };
    },
  },
  {
    method: 'GET',
    file: 'sites/[id]/install-status/route.ts',
    status: { owner: 200, admin: 200, agent: 200, outsider: 404, stranger: 401 },
    prepare: async (f) => ({ path: `/api/sites/${f.site.id}/install-status` }),
  },
  {
    // Members who may rotate get past access to the body check (an invalid grace: 400), so the
    // matrix's site key stays the same; agents are refused before it, outsiders do not see the site.
    method: 'POST',
    file: 'sites/[id]/key/route.ts',
    status: { owner: 400, admin: 400, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f) => ({
      path: `/api/sites/${f.site.id}/key`,
      body: { graceHours: 5 },
      after: async () => expect((await request(f, 'owner', 'GET', `/api/sites/${f.site.id}`)).text).toContain(f.site.publicKey),
    }),
  },
  {
    method: 'GET',
    file: 'sites/[id]/refused-origins/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f) => ({ path: `/api/sites/${f.site.id}/refused-origins` }),
  },
  {
    // As above: owners and admins reach the origin check (not an origin: 400), nothing is allowed.
    method: 'POST',
    file: 'sites/[id]/refused-origins/route.ts',
    status: { owner: 400, admin: 400, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f) => ({
      path: `/api/sites/${f.site.id}/refused-origins`,
      body: { origin: 'not an origin' },
      after: async () => {
        const now = JSON.parse((await request(f, 'owner', 'GET', `/api/sites/${f.site.id}`)).text) as { site: { allowedOrigins: string[] } };
        expect(now.site.allowedOrigins).toEqual([ORIGIN]);
      },
    }),
  },
  {
    method: 'PATCH',
    file: 'team/settings/route.ts',
    // The outsider's current workspace is X: they set X's mode, which is theirs to set.
    status: { owner: 200, admin: 200, agent: 403, outsider: 200, stranger: 401 },
    prepare: async (f, who) => ({
      path: '/api/team/settings',
      body: { assignmentMode: who === 'owner' || who === 'admin' ? 'first_reply' : 'round_robin' },
      after: async () => {
        // W stays on "first to reply": nobody else's attempt switched it.
        expect(checkedMode((await request(f, 'owner', 'GET', '/team')).text)).toBe('first_reply');
      },
    }),
  },
  {
    method: 'POST',
    file: 'team/invitations/route.ts',
    status: { owner: 201, admin: 201, agent: 403, outsider: 201, stranger: 401 },
    prepare: async (f, who) => {
      const email = `invited-by-${who}-${randomUUID().slice(0, 6)}@example.com`;
      return {
        path: '/api/team/invitations',
        body: { email, role: 'agent' },
        after: async () => {
          const onW = (await request(f, 'owner', 'GET', '/team')).text.includes(email);
          expect(onW).toBe(who === 'owner' || who === 'admin');
        },
      };
    },
  },
  {
    method: 'DELETE',
    file: 'team/invitations/[id]/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const inv = await invite(f, f.people.owner, `revoke-${who}-${randomUUID().slice(0, 6)}@example.com`, 'agent');
      return {
        path: `/api/team/invitations/${inv.id}`,
        after: async (r) => {
          // A refused revoke leaves the link working: the owner can still revoke it.
          if (r.status !== 200) expect((await request(f, 'owner', 'DELETE', `/api/team/invitations/${inv.id}`)).status).toBe(200);
        },
      };
    },
  },
  {
    method: 'POST',
    file: 'team/invitations/[id]/resend/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const inv = await invite(f, f.people.owner, `resend-${who}-${randomUUID().slice(0, 6)}@example.com`, 'agent');
      return {
        path: `/api/team/invitations/${inv.id}/resend`,
        after: async (r) => {
          // Only a real resend hands out a (new) link.
          expect(r.text.includes('/invite/')).toBe(r.status === 200);
        },
      };
    },
  },
  {
    method: 'PATCH',
    file: 'team/members/[userId]/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const target = await newMember(f, `Tia Target ${who}`);
      return {
        path: `/api/team/members/${target.userId}`,
        body: { role: 'admin' },
        after: async (r) => {
          // Promoted (may now change site settings) exactly when the change was allowed.
          expect(await canEditSite(f, target)).toBe(r.status === 200);
        },
      };
    },
  },
  {
    method: 'DELETE',
    file: 'team/members/[userId]/route.ts',
    status: { owner: 200, admin: 200, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const target = await newMember(f, `Rex Removed ${who}`);
      return {
        path: `/api/team/members/${target.userId}`,
        after: async (r) => {
          const stillSees = (await request(f, target, 'GET', `/api/sites/${f.site.id}`)).status === 200;
          expect(stillSees).toBe(r.status !== 200);
        },
      };
    },
  },
  {
    method: 'POST',
    file: 'team/transfer/route.ts',
    status: { owner: 200, admin: 403, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f, who) => {
      const target = await newMember(f, `Tom Transfer ${who}`);
      return {
        path: '/api/team/transfer',
        body: { userId: target.userId },
        after: async (r) => {
          if (r.status !== 200) {
            // Nobody but the owner handed W on: the target is still a plain agent.
            expect(await canEditSite(f, target)).toBe(false);
            return;
          }
          // The target owns W now and the owner is an admin: only an owner can transfer, so the
          // target can hand it back and the former owner cannot hand it on any more.
          expect((await request(f, 'owner', 'POST', '/api/team/transfer', { userId: target.userId })).status).toBe(403);
          expect((await request(f, target, 'POST', '/api/team/transfer', { userId: f.people.owner.userId })).status).toBe(200);
        },
      };
    },
  },
  {
    method: 'POST',
    file: 'workspaces/current/route.ts',
    status: { owner: 200, admin: 200, agent: 200, outsider: 404, stranger: 401 },
    prepare: async (f, who) => ({
      path: '/api/workspaces/current',
      body: { workspaceId: f.workspaceW.id },
      after: async () => {
        // Nor may a W member switch into X.
        if (who === 'owner' || who === 'admin' || who === 'agent') expect((await request(f, who, 'POST', '/api/workspaces/current', { workspaceId: f.workspaceX })).status).toBe(404);
      },
    }),
  },
  {
    method: 'POST',
    file: 'invitations/accept/route.ts',
    // Members accept a valid W link (their role does not change); the outsider tries a used one.
    status: { owner: 200, admin: 200, agent: 200, outsider: 410, stranger: 401 },
    prepare: async (f, who) => {
      const inv = await invite(f, f.people.owner, `accept-${who}-${randomUUID().slice(0, 6)}@example.com`, 'agent');
      if (who === 'outsider') await accept(f, await person(f, 'Una Used'), inv.token);
      return {
        path: '/api/invitations/accept',
        body: { token: inv.token },
        after: async () => {
          if (who === 'owner' || who === 'admin') expect(await canEditSite(f, f.people[who])).toBe(true);
          if (who === 'agent') expect(await canEditSite(f, f.people.agent)).toBe(false);
          if (who === 'outsider') expect((await request(f, 'outsider', 'GET', `/api/sites/${f.site.id}`)).status).toBe(404);
        },
      };
    },
  },
  // Last: the owner's cell deletes W.
  {
    method: 'DELETE',
    file: 'workspaces/[id]/route.ts',
    status: { owner: 200, admin: 403, agent: 403, outsider: 404, stranger: 401 },
    prepare: async (f) => ({
      path: `/api/workspaces/${f.workspaceW.id}`,
      body: { confirm: f.workspaceW.name },
      after: async (r) => {
        // Gone for its members once (and only when) the owner deleted it.
        expect((await request(f, 'admin', 'GET', `/api/sites/${f.site.id}`)).status).toBe(r.status === 200 ? 404 : 200);
      },
    }),
  },
];

/**
 * One dashboard page. `member` says what each member must see in it. Every page is a redirect to
 * the login page for the stranger; the site pages are "not found" for the outsider, the others
 * are their own (X's) and show nothing of W.
 */
interface PageRow {
  /** The page file under app/(app), as in the tree. */
  file: string;
  path: (f: Fixture) => string;
  outsider: 200 | 404;
  member: (f: Fixture, who: Member, html: string) => void;
  /**
   * Cells that fail today because of a product bug (reported, not fixed here): they run as
   * `it.fails`, so they turn red, asking for the marker to go, once the product is fixed.
   */
  knownBugs?: Partial<Record<Persona, string>>;
}

const PAGES: PageRow[] = [
  { file: 'sites/page.tsx', path: () => '/sites', outsider: 200, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  { file: 'sites/[id]/page.tsx', path: (f) => `/sites/${f.site.id}`, outsider: 404, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  {
    file: 'sites/[id]/settings/page.tsx',
    path: (f) => `/sites/${f.site.id}/settings`,
    outsider: 404,
    member: (f, who, html) => {
      if (who === 'agent') {
        expect(html).toContain("Only the workspace's owners and admins can change site settings");
        expect(html).not.toContain('data-testid="site-form"');
      } else {
        expect(html).toContain('data-testid="site-form"');
        expect(html).toContain(f.site.publicKey);
      }
    },
  },
  { file: 'sites/[id]/install/page.tsx', path: (f) => `/sites/${f.site.id}/install`, outsider: 404, member: (f, _who, html) => expect(html).toContain(f.site.publicKey) },
  {
    file: 'team/page.tsx',
    path: () => '/team',
    outsider: 200,
    member: (f, who, html) => {
      expect(html).toContain(f.workspaceW.name);
      expect(html).toContain(f.people.agent.email);
      // Only owners and admins get the invitation form.
      expect(html.includes('data-testid="invite-form"')).toBe(who !== 'agent');
    },
  },
  { file: 'conversations/page.tsx', path: () => '/conversations', outsider: 200, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  // Judged on the page (404 for another workspace's id) and again on the socket (chat:sync).
  {
    file: 'conversations/[id]/page.tsx',
    path: (f) => `/conversations/${f.conversationId}`,
    outsider: 404,
    member: () => {},
  },
  { file: 'calls/page.tsx', path: () => `/calls`, outsider: 200, member: (f, _who, html) => expect(html).toContain('data-testid="call-row"') },
  { file: 'account/page.tsx', path: () => '/account', outsider: 200, member: (f, who, html) => expect(html).toContain(f.people[who].email) },
];

// ---- what the tree holds ----

function filesUnder(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, name));
    else if (e.name === name) out.push(p);
  }
  return out;
}
const apiDir = path.join(root, 'app', 'api');
const pagesDir = path.join(root, 'app', '(app)');
const routeMethodsInTree = () =>
  filesUnder(apiDir, 'route.ts').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((m) => `${m[1]} ${path.relative(apiDir, file)}`),
  );
const pagesInTree = () => filesUnder(pagesDir, 'page.tsx').map((file) => path.relative(pagesDir, file));

describe('access matrix over HTTP (route handlers and pages)', () => {
  let f: Fixture;
  const open: { disconnect(): void }[] = [];
  let cells = 0;

  const leaks = (text: string): string[] => f.secrets.filter((s) => text.includes(s) || decode(text).includes(s));

  beforeAll(async () => {
    const app = await startApp();
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
    f = fx;
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await f?.app.stop();
  });

  it('every route method and page in the tree has a row (and every row is in the tree)', () => {
    expect(ROUTES.map((r) => `${r.method} ${r.file}`).sort()).toEqual(routeMethodsInTree().sort());
    expect(PAGES.map((p) => p.file).sort()).toEqual(pagesInTree().sort());
  });

  describe('pages', () => {
    for (const page of PAGES) {
      for (const who of RUN_ORDER) {
        const bug = page.knownBugs?.[who];
        (bug ? it.fails : it)(`${who} · ${page.file}${bug ? ` (known bug: ${bug})` : ''}`, async () => {
          const r = await request(f, who, 'GET', page.path(f));
          if (who === 'stranger') {
            expect(r.status).toBe(307);
            expect(r.location).toBe(`/login?next=${encodeURIComponent(page.path(f))}`);
            expect(leaks(r.text)).toEqual([]);
          } else if (who === 'outsider') {
            expect(r.status).toBe(page.outsider);
            expect(leaks(r.text), 'W data on the page').toEqual([]);
            if (page.outsider === 404) expect(r.text).toContain('Page not found');
          } else {
            expect(r.status).toBe(200);
            page.member(f, who, r.text);
          }
          cells++;
        });
      }
    }
    // A cross-workspace id in the calls filter shows nothing either.
    it('outsider · /calls?site=<W site>', async () => {
      const r = await request(f, 'outsider', 'GET', `/calls?site=${f.site.id}`);
      expect(r.status).toBe(200);
      expect(leaks(r.text)).toEqual([]);
    });
  });

  describe('route handlers', () => {
    for (const row of ROUTES) {
      for (const who of RUN_ORDER) {
        it(`${who} · ${row.method} /api/${row.file.replace(/\/?route\.ts$/, '')}`, async () => {
          const { path: urlPath, body, after } = await row.prepare(f, who);
          const r = await request(f, who, row.method, urlPath, body);
          expect(r.status, r.text).toBe(row.status[who]);
          // Refusals say so in the shape every route uses.
          if (r.status >= 400) expect(JSON.parse(r.text)).toMatchObject({ ok: false, code: { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 410: 'gone' }[r.status] });
          if (who === 'outsider' || who === 'stranger') expect(leaks(r.text), 'W data in the answer').toEqual([]);
          await after?.(r);
          cells++;
        });
      }
    }
  });

  it('prints the size of the matrix', () => {
    const routeCells = ROUTES.length * PERSONAS.length;
    const pageCells = PAGES.length * PERSONAS.length;
    const bugs = PAGES.reduce((n, p) => n + Object.keys(p.knownBugs ?? {}).length, 0);
    console.log(`[access-matrix http] ${ROUTES.length} route methods × ${PERSONAS.length} personas = ${routeCells} cells; ${PAGES.length} pages × ${PERSONAS.length} personas = ${pageCells} cells; ${cells} passed as expected, ${bugs} known product bugs`);
    expect(cells).toBe(routeCells + pageCells - bugs);
  });
});
