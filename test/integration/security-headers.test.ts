// Security headers of the real product (built dashboard, custom server), and that the dashboard
// still works under its Content-Security-Policy in a real browser.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** GET from a chosen loopback source address (127.0.0.1 is the trusted proxy here). */
function get(url: string, o: { from?: string; headers?: Record<string, string> } = {}): Promise<Got> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: u.hostname, port: u.port, path: u.pathname, localAddress: o.from ?? '127.0.0.1', agent: false, headers: o.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));

describe('security headers', () => {
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ TRUSTED_PROXIES: '127.0.0.1' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('dashboard pages get a nonce CSP that Next uses for its scripts, nosniff, a referrer policy and no X-Powered-By', async () => {
    const res = await get(`${app.url}/login`);
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(directive(csp, 'base-uri')).toBe("base-uri 'self'");
    expect(directive(csp, 'connect-src')).toMatch(/^connect-src 'self' .*ws:\/\/127\.0\.0\.1:\d+/);
    const script = directive(csp, 'script-src')!;
    expect(script).not.toContain('unsafe-inline');
    const nonce = /'nonce-([^']+)'/.exec(script)![1]!;
    const tags = res.body.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // A new nonce every time.
    const again = String((await get(`${app.url}/login`)).headers['content-security-policy']);
    expect(again).not.toContain(nonce);
  });

  it('sends Strict-Transport-Security only for https, and believes X-Forwarded-Proto only from a trusted proxy', async () => {
    expect((await get(`${app.url}/login`)).headers['strict-transport-security']).toBeUndefined();
    const proxied = await get(`${app.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const spoofed = await get(`${app.url}/login`, { from: '127.0.0.2', headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.status).toBe(200);
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('leaves the snippet files and the demo customer site without the dashboard policy', async () => {
    for (const url of [`${app.url}/embed.js`, `${app.url}/embed/nope.js`, app.demoUrl]) {
      const res = await get(url);
      expect(res.headers['content-security-policy'], url).toBeUndefined();
      expect(res.headers['x-frame-options'], url).toBeUndefined();
    }
    expect((await get(`${app.url}/embed.js`)).headers['access-control-allow-origin']).toBe('*');
  });

  it('the dashboard still works in a browser under the policy: no violation, the login form and the live socket work', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${app.url}/login`);
    // Only a hydrated React form fills these in and signs in (the form has no plain HTML action).
    await page.click('[data-testid=demo-hint] button');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sites/, { timeout: 15_000 });
    await page.locator('[data-testid=site-card]').filter({ hasText: 'Demo Store' }).locator('a').first().click();
    // The live table's socket.io connection (connect-src) is up.
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the sign-up form says why the server refused a password', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/signup`);
    expect(await page.getAttribute('#password', 'minlength')).toBe('10');
    await page.fill('#name', 'Pat');
    await page.fill('#email', `pat-${Date.now()}@example.com`);
    await page.fill('#password', 'password1234');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=auth-error]').textContent(), { timeout: 8000 }).toContain('too common');
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#password-error').textContent(), { timeout: 8000 }).toBe('Use at least 10 characters.');
    await page.close();
  });
});
