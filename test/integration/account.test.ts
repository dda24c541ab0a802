// The Account page's server side, through real HTTP: better-auth's /update-user takes a picture
// only as a small PNG/JPEG/WebP data URL (or null) and refuses anything else with a clear 400,
// changing nothing; /change-email changes the address at once (no verification mail here) and
// leaves it alone when another account has the address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { testDatabases } from '../support/db';
import { signUp, startTestServer, type Account } from '../support/server';

/** A 1 x 1 PNG. */
const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe.each(testDatabases())('account ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let acc: Account;

  const call = async (path: string, body: unknown, cookie = acc.cookie) => {
    const res = await fetch(`${server.url}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as { code?: string; message?: string } };
  };
  const me = async (cookie = acc.cookie) => {
    const res = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie, origin: server.url } });
    const body = (await res.json()) as { user: { name: string; email: string; image: string | null } } | null;
    if (!body) throw new Error('signed out');
    return body.user;
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    acc = await signUp(server.url, 'Account');
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('stores a small image data URL and clears it with null', async () => {
    expect((await call('/update-user', { image: TINY_PNG })).status).toBe(200);
    expect((await me()).image).toBe(TINY_PNG);
    expect((await call('/update-user', { image: null })).status).toBe(200);
    expect((await me()).image).toBeNull();
  });

  it.each([
    ['a web address', 'https://tracker.example/pixel.png'],
    ['another data type', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['an SVG', 'data:image/svg+xml;base64,PHN2Zy8+'],
    ['a data URL that is not base64', 'data:image/png;base64,<script>'],
    ['an oversized picture', `data:image/png;base64,${'A'.repeat(200_001)}`],
    ['a number', 42],
  ])('refuses %s with 400 and a readable message, changing nothing', async (_what, image) => {
    await call('/update-user', { image: TINY_PNG });
    const r = await call('/update-user', { image, name: 'Renamed By Bad Request' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_IMAGE');
    expect(r.body.message).toMatch(/PNG, JPEG or WebP image of at most 200 KB/);
    const after = await me();
    expect(after.image).toBe(TINY_PNG);
    expect(after.name).toBe('Account');
  });

  it('refuses an unfit picture at sign-up too', async () => {
    const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: `pic-${Date.now()}@example.com`, password: 'correct-horse-battery', name: 'Pic', image: 'https://tracker.example/p.png' }),
    });
    expect(res.status).toBe(400);
  });

  it('changes the email at once, and leaves it when another account has the address', async () => {
    const other = await signUp(server.url, 'Other');
    const next = `renamed-${Date.now()}@example.com`;
    expect((await call('/change-email', { newEmail: next })).status).toBe(200);
    expect((await me()).email).toBe(next);
    // Same answer (no probing for accounts), but nothing changes.
    expect((await call('/change-email', { newEmail: other.email })).status).toBe(200);
    expect((await me()).email).toBe(next);
    // The new address logs in.
    const login = await call('/sign-in/email', { email: next, password: 'correct-horse-battery' }, '');
    expect(login.status).toBe(200);
  });
});
