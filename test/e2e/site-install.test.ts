// The owner sees that an install works, in headless Chromium: the Install page turns from
// "Waiting for the first visitor" to "Installed: seen on …" without a reload when a page with the
// snippet opens; a page on an origin the site does not allow shows up in the site settings, and
// "Allow this origin" lets it in. The origins form lists every invalid line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';

const POLL = { timeout: 12_000 };

describe('install status and refused origins in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let customer: http.Server | undefined;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await new Promise((r) => (customer ? customer.close(r) : r(null)));
    await browser?.close();
    await app?.stop();
  });

  it('the Install page turns to Installed live, a refused origin is allowed from Settings in one click, and a rotated key keeps working for its grace period', async () => {
    const state = { snippet: '' };
    customer = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>Shop</title>${state.snippet}</head><body><h1>Shop</h1></body></html>`),
    );
    await new Promise<void>((r) => customer!.listen(0, '127.0.0.1', r));
    const port = (customer.address() as AddressInfo).port;
    // One server, two origins: the site allows the first only.
    const allowed = `http://127.0.0.1:${port}`;
    const other = `http://localhost:${port}`;

    const owner = await (await browser.newContext()).newPage();
    await owner.goto(`${app.url}/signup`);
    await owner.fill('#name', 'Ivy Installer');
    await owner.fill('#email', `ivy-${Date.now()}@example.com`);
    await owner.fill('#password', 'a-long-password');
    await owner.click('button[type=submit]');
    await owner.waitForURL(/\/sites/);
    await owner.locator('[data-testid=site-form]').waitFor();
    await owner.fill('input[name=name]', 'Ivy Shop');
    // Every invalid line is reported, not only the first.
    await owner.fill('textarea[name=allowedOrigins]', `${allowed}\nnot an origin\nftp://files.example`);
    await owner.click('[data-testid=site-form] button[type=submit]');
    await expect.poll(() => owner.locator('[data-testid=origins-error] li').allInnerTexts(), POLL).toEqual([
      '"not an origin" is not an origin like https://example.com',
      '"ftp://files.example" is not an origin like https://example.com',
    ]);
    // The field in error has the focus (its message may be above the fold, far from Save).
    expect(await owner.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('allowedOrigins');
    await owner.fill('textarea[name=allowedOrigins]', allowed);
    await owner.click('[data-testid=site-form] button[type=submit]');
    await owner.waitForURL(/\/sites\/[0-9a-f-]{36}\/install/);
    const siteId = /\/sites\/([0-9a-f-]{36})\//.exec(owner.url())![1]!;

    const status = owner.locator('[data-testid=install-status]');
    expect(await status.innerText()).toMatch(/Waiting for the first visitor/);
    expect(await owner.locator('[data-testid=csp-lines]').innerText()).toContain(`script-src ${app.url}`);
    state.snippet = (await owner.locator('[data-testid=install-snippet]').innerText()).trim();

    await owner.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${allowed}/`);
    await expect.poll(() => status.getAttribute('data-state'), POLL).toBe('installed');
    expect(await status.innerText()).toMatch(new RegExp(`Installed: seen on ${allowed.replace(/\./g, '\\.')} just now`));
    expect(await owner.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // A page on an origin the site does not allow: refused, and listed in Settings.
    const stray = await (await browser.newContext()).newPage();
    await stray.goto(`${other}/pricing`);
    await owner.goto(`${app.url}/sites/${siteId}/settings`);
    const row = owner.locator('[data-testid=refused-row]').filter({ hasText: other });
    await expect.poll(() => row.count(), POLL).toBe(1);
    expect(await row.innerText()).toMatch(/refused connection/);
    await row.locator('[data-testid=allow-origin]').click();
    await expect.poll(() => row.count(), POLL).toBe(0);
    await expect.poll(() => owner.locator('textarea[name=allowedOrigins]').inputValue(), POLL).toBe(`${allowed}\n${other}`);

    // The page on that origin now connects: the site is seen there.
    await stray.reload();
    await expect
      .poll(async () => {
        const res = await owner.request.get(`${app.url}/api/sites/${siteId}/install-status`);
        return ((await res.json()) as { lastSeen: { origin: string } | null }).lastSeen?.origin;
      }, POLL)
      .toBe(other);

    // Key rotation from Settings. Open visitor sockets, as this server counts them (/metrics answers this machine).
    const sockets = async () => Number(/^porchlight_visitor_sockets (\d+)/m.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1] ?? -1);
    const keyNow = async () => ((await (await owner.request.get(`${app.url}/api/sites/${siteId}`)).json()) as { site: { publicKey: string } }).site.publicKey;
    const rotate = async (graceHours: string) => {
      await owner.goto(`${app.url}/sites/${siteId}/settings`);
      await owner.locator('[data-testid=key-rotation] select').selectOption(graceHours);
      await owner.locator('[data-testid=rotate-key]').click();
      await owner.locator('[data-testid=confirm-rotate]').click();
      await owner.locator('[data-testid=key-rotation] [role=status]').waitFor(POLL);
    };
    const firstKey = await keyNow();
    await expect.poll(sockets, POLL).toBe(2);
    // With the default 24-hour grace the pages on the old snippet keep working, even after a reload.
    await rotate('24');
    expect(await keyNow()).not.toBe(firstKey);
    await visitor.reload();
    await expect.poll(sockets, POLL).toBe(2);
    await owner.goto(`${app.url}/sites/${siteId}/install`);
    expect((await owner.locator('[data-testid=install-snippet]').innerText()).trim()).toContain(await keyNow());
    // Rotating again "at once": the first key is refused now, and the pages still open on it are disconnected.
    await rotate('0');
    await expect.poll(sockets, POLL).toBe(0);
    // A page with the current snippet connects.
    await owner.goto(`${app.url}/sites/${siteId}/install`);
    state.snippet = (await owner.locator('[data-testid=install-snippet]').innerText()).trim();
    expect(state.snippet).toContain(await keyNow());
    await visitor.reload();
    await expect.poll(sockets, POLL).toBe(1);

    await visitor.context().close();
    await stray.context().close();
    await owner.context().close();
  }, 120_000);
});
