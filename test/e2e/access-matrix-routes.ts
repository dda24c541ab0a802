// The access matrix's rows for the route handlers under app/api (see access-matrix.test.ts): each
// persona's expected status, and what a cell must leave behind.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { accept, invite, newMember, ORIGIN, person, request, type Fixture, type Method, type Person, type Persona, type Res } from '../support/access-fixture';

/** What a site settings change must look like to every cell (the site keeps its name unless a member changes it). */
const siteBody = (f: Fixture, name: string) => ({ name, allowedOrigins: [ORIGIN] });

/** Whether `who` can still change S's settings (an owner or admin of W): how a role change shows. */
const canEditSite = async (f: Fixture, who: Person) => (await request(f, who, 'PATCH', `/api/sites/${f.site.id}`, siteBody(f, f.site.name))).status === 200;

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

export const ROUTES: RouteRow[] = [
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
