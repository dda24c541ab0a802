// Plain HTTP surfaces of the server: the snippet file and the auth endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { signUp, startTestServer } from '../support/server';

describe('http', () => {
  let database: Database;
  let server: Porchlight;
  beforeAll(async () => {
    database = await openDatabase({});
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves /embed.js cross-origin, cached briefly, gzipped, revalidated by ETag', async () => {
    const res = await fetch(`${server.url}/embed.js`, { headers: { 'accept-encoding': 'gzip', origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const body = await res.text(); // fetch already gunzipped it
    expect(body.length).toBeGreaterThan(1000);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const again = await fetch(`${server.url}/embed.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('answers 404 for other snippet paths and path tricks', async () => {
    for (const p of ['/embed/../../package.json', '/embed/nope.js', '/embed/%2e%2e%2fpackage.json']) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status).toBe(404);
    }
  });

  it('signs up with a hashed password and an HTTP-only session cookie; rejects bad credentials', async () => {
    const acc = await signUp(server.url, 'Hash');
    const rows = await database.db.query.account.findMany();
    const mine = rows.find((r) => r.userId === acc.userId)!;
    expect(mine.password).toBeTruthy();
    expect(mine.password).not.toContain('correct-horse-battery');
    const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: acc.email, password: 'correct-horse-battery' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const wrong = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: acc.email, password: 'wrong-password' }),
    });
    expect(wrong.status).toBe(401);
    // Each account gets its own workspace.
    expect(await server.services.sites.workspaceOf(acc.userId)).toMatchObject({ name: "Hash's workspace" });
  });

  it('refuses auth requests posted from a foreign origin', async () => {
    const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'x@example.com', password: 'correct-horse-battery', name: 'X' }),
    });
    expect(res.status).toBe(403);
  });
});
