// The role matrix over HTTP: every route handler under app/api (every exported method) and every
// dashboard page, tried as the owner, an admin and an agent of workspace W, as an outsider (a
// signed-in user who owns workspace X) and as a stranger (no session). Expectations follow
// server/access/access.ts; W's ids in the outsider's hands are "not found" and the answer carries
// nothing of W; the stranger gets 401 from the API and the login page instead of a page.
// The app runs as `npm start` does (the built Next app), driven over fetch: no browser needed.
// Completeness is checked against the tree: a new route file, method or page without a row fails.
// The rows are in access-matrix-routes.ts and access-matrix-pages.ts; W and its people are made in
// test/support/access-fixture.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process';
import { decode, makeFixture, PERSONAS, request, type Fixture, type Persona } from '../support/access-fixture';
import { root } from '../support/server';
import { PAGES } from './access-matrix-pages';
import { ROUTES } from './access-matrix-routes';

/** Order of the cells of one row: the owner last, so a destructive success (deleting W) comes after every refusal. */
const RUN_ORDER: readonly Persona[] = ['stranger', 'outsider', 'agent', 'admin', 'owner'];

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
    f = await makeFixture(await startApp(), open);
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
