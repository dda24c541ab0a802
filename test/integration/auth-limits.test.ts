// Sign-in throttling per client address (directly and behind a trusted proxy) and the password
// rules, through real HTTP requests to a real server.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { testDatabases } from '../support/db';
import { signUp, startTestServer, type Account } from '../support/server';

const SIGN_IN_LIMIT = 5; // per minute per address (server/auth.ts)

interface Sent {
  status: number;
  body: { message?: string; code?: string };
  cookie: string;
}

/** POSTs JSON from a chosen loopback source address, so each test is its own client. */
function post(baseUrl: string, path: string, body: unknown, o: { from?: string; headers?: Record<string, string> } = {}): Promise<Sent> {
  const url = new URL(path, baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: o.from ?? '127.0.0.1',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), origin: baseUrl, ...o.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Sent['body']) : {}, cookie });
        });
      },
    );
    r.on('error', reject);
    r.end(data);
  });
}

describe.each(testDatabases().map((k, i) => ({ ...k, i })))('auth limits ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let acc: Account;
  // The limiter's memory is per process: each database run and each test uses its own addresses.
  let n = 0;
  const address = () => `127.${kind.i + 10}.0.${++n}`;
  const badLogin = (url: string, o: { from?: string; headers?: Record<string, string> }) =>
    post(url, '/api/auth/sign-in/email', { email: acc.email, password: 'not-the-password' }, o);

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database, { PORCHLIGHT_NO_RATE_LIMIT: '' });
    acc = await signUp(server.url, 'Limits');
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('throttles repeated bad logins from one address even when each claims another X-Forwarded-For', async () => {
    const from = address();
    for (let i = 0; i < SIGN_IN_LIMIT; i++) {
      const r = await badLogin(server.url, { from, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } });
      expect(r.status, `attempt ${i + 1}`).toBe(401);
    }
    const over = await badLogin(server.url, { from, headers: { 'x-forwarded-for': '198.51.100.99' } });
    expect(over.status).toBe(429);
    // The right password is throttled too: guessing on does not get through.
    const good = await post(server.url, '/api/auth/sign-in/email', { email: acc.email, password: 'correct-horse-battery' }, { from });
    expect(good.status).toBe(429);
  });

  it('ignores a spoofed X-Forwarded-For (or our own client-address header) without a trusted proxy, and keeps other clients apart', async () => {
    const throttled = address();
    for (let i = 0; i <= SIGN_IN_LIMIT; i++) await badLogin(server.url, { from: throttled });
    const fresh = address();
    const spoofs: Record<string, string>[] = [{ 'x-forwarded-for': fresh }, { 'x-porchlight-client-ip': fresh }, { 'x-forwarded-for': '203.0.113.7', 'x-porchlight-client-ip': '203.0.113.7' }];
    for (const headers of spoofs) {
      expect((await badLogin(server.url, { from: throttled, headers })).status, JSON.stringify(headers)).toBe(429);
    }
    // Someone else, on their own address, is not locked out by it.
    const other = await post(server.url, '/api/auth/sign-in/email', { email: acc.email, password: 'correct-horse-battery' }, { from: fresh });
    expect(other.status).toBe(200);
  });

  it('behind a trusted proxy, keys on the forwarded client address: one throttled client does not throttle another', async () => {
    const proxied = await startTestServer(database, { PORCHLIGHT_NO_RATE_LIMIT: '', TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const a = `203.0.113.${kind.i * 10 + 1}`;
      const b = `203.0.113.${kind.i * 10 + 2}`;
      for (let i = 0; i < SIGN_IN_LIMIT; i++) expect((await badLogin(proxied.url, { headers: { 'x-forwarded-for': a } })).status).toBe(401);
      expect((await badLogin(proxied.url, { headers: { 'x-forwarded-for': a } })).status).toBe(429);
      // A client-supplied hop to the left of what the proxy appended does not change who it is.
      expect((await badLogin(proxied.url, { headers: { 'x-forwarded-for': `${b}, ${a}` } })).status).toBe(429);
      expect((await badLogin(proxied.url, { headers: { 'x-forwarded-for': b } })).status).toBe(401);
      const ok = await post(proxied.url, '/api/auth/sign-in/email', { email: acc.email, password: 'correct-horse-battery' }, { headers: { 'x-forwarded-for': b } });
      expect(ok.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  describe('password rules', () => {
    const signUpWith = (password: string) =>
      post(server.url, '/api/auth/sign-up/email', { email: `pw-${Math.random().toString(36).slice(2)}@example.com`, password, name: 'Pat' }, { from: address() });

    it('refuses a password shorter than 10 characters, saying why', async () => {
      const r = await signUpWith('abcdefgh9');
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'PASSWORD_TOO_SHORT', message: 'Use at least 10 characters.' });
    });

    it('refuses a common password, saying why', async () => {
      for (const password of ['password1234', 'Qwertyuiop']) {
        const r = await signUpWith(password);
        expect(r.status, password).toBe(400);
        expect(r.body, password).toMatchObject({ code: 'PASSWORD_TOO_COMMON', message: expect.stringContaining('too common') });
      }
    });

    it('accepts a good password', async () => {
      const r = await signUpWith('porch-light-window-42');
      expect(r.status).toBe(200);
      expect(r.cookie).toContain('session_token');
    });

    it('applies the same rules when changing a password', async () => {
      const me = await signUp(server.url, 'Changer');
      const change = (newPassword: string) =>
        post(server.url, '/api/auth/change-password', { currentPassword: 'correct-horse-battery', newPassword }, { from: address(), headers: { cookie: me.cookie } });
      expect((await change('1234567890')).body).toMatchObject({ code: 'PASSWORD_TOO_COMMON' });
      expect((await change('short')).body).toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
      expect((await change('another-porch-light-77')).status).toBe(200);
    });
  });
});
