// The Account page in headless Chromium, with one person signed in from two browsers: in the
// first they rename themselves (the header follows), are refused a common password, change the
// password signing out the other browser (whose next page is the login page, while this one stays
// signed in and lists one session), and upload a picture that shows on the page and in the header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';

/** Waits on a browser and the network: generous, a timing is not what these tests assert. */
const POLL = { timeout: 10_000 };
const PASSWORD = 'lantern-harbour-42';
const NEW_PASSWORD = 'copper-kettle-meadow-7';

describe('account page in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function login(page: Page, email: string, password: string) {
    await page.goto(`${app.url}/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sites/);
  }

  it('renames, refuses a common password, changes the password signing out the other browser, and shows an uploaded picture', async () => {
    const email = `maya-${Date.now()}@example.com`;
    const a = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await a.goto(`${app.url}/signup`);
    await a.fill('#name', 'Maya Lind');
    await a.fill('#email', email);
    await a.fill('#password', PASSWORD);
    await a.click('button[type=submit]');
    await a.waitForURL(/\/sites/);

    const b = await (await browser.newContext()).newPage();
    await login(b, email, PASSWORD);

    // The header's name block leads to the Account page, which lists both browsers.
    await a.locator('[data-testid=account-link]').click();
    await a.waitForURL(/\/account$/);
    await expect.poll(() => a.locator('[data-testid=session-row]').count(), POLL).toBe(2);
    expect(await a.locator('[data-testid=session-row][data-current=true]').innerText()).toMatch(/This browser/);
    expect(await a.locator('[data-testid=avatar-initials]').innerText()).toBe('ML');

    // A new name, in the header too.
    await a.getByLabel('Name', { exact: true }).fill('Maya Renamed');
    await a.locator('[data-testid=profile-save]').click();
    await expect.poll(() => a.locator('[data-testid=profile-status]').innerText(), POLL).toMatch(/name was saved/i);
    await expect.poll(() => a.locator('[data-testid=header-user-name]').innerText(), POLL).toBe('Maya Renamed');

    // A common password is refused with the server's reason; nothing changes.
    await a.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await a.getByLabel('New password', { exact: true }).fill('password123');
    await a.getByLabel('Repeat the new password', { exact: true }).fill('password123');
    await a.locator('[data-testid=password-save]').click();
    await expect.poll(() => a.locator('[data-testid=password-new-error]').innerText(), POLL).toMatch(/too common/i);
    expect(await a.getByRole('alert').filter({ hasText: /too common/i }).count()).toBe(1);

    // A good one, with "Sign out of other browsers" checked by default.
    expect(await a.getByLabel('Sign out of other browsers', { exact: true }).isChecked()).toBe(true);
    await a.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await a.getByLabel('Repeat the new password', { exact: true }).fill(NEW_PASSWORD);
    await a.locator('[data-testid=password-save]').click();
    await expect.poll(() => a.locator('[data-testid=password-status]').innerText(), POLL).toMatch(/password was changed, and your other browsers were signed out/i);
    await expect.poll(() => a.locator('[data-testid=session-row]').count(), POLL).toBe(1);

    // The other browser's next page is the login page; this one stays signed in.
    await b.goto(`${app.url}/sites`);
    await b.waitForURL(/\/login/);
    await a.reload();
    expect(new URL(a.url()).pathname).toBe('/account');
    expect(await a.locator('[data-testid=session-row]').count()).toBe(1);
    expect(await a.locator('[data-testid=session-row][data-current=true]').count()).toBe(1);
    // The old password no longer works; the new one does.
    await b.fill('#email', email);
    await b.fill('#password', PASSWORD);
    await b.click('button[type=submit]');
    expect(await b.locator('[data-testid=auth-error]').innerText()).toMatch(/do not match/i);
    await login(b, email, NEW_PASSWORD);

    // A file that is not an image is refused in the page.
    await a.locator('[data-testid=avatar-input]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    expect(await a.locator('[data-testid=avatar-error]').innerText()).toMatch(/PNG, JPEG or WebP/);

    // A picture: a 300 x 200 PNG made by the browser, cropped and scaled to 128 x 128.
    const png = Buffer.from(
      await a.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 300;
        c.height = 200;
        const g = c.getContext('2d')!;
        g.fillStyle = '#1d6fd8';
        g.fillRect(0, 0, 300, 200);
        g.fillStyle = '#f6b73c';
        g.fillRect(100, 50, 100, 100);
        return c.toDataURL('image/png').split(',')[1]!;
      }),
      'base64',
    );
    await a.locator('[data-testid=avatar-input]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
    await a.locator('[data-testid=avatar-image]').waitFor(POLL);
    expect(await a.locator('[data-testid=avatar-status]').innerText()).toMatch(/picture was updated/i);
    const src = (await a.locator('[data-testid=avatar-image]').getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/(webp|jpeg);base64,/);
    expect(src.length).toBeLessThan(200_000);
    const size = await a.locator('[data-testid=avatar-image]').evaluate((img) => {
      const i = img as HTMLImageElement;
      return [i.naturalWidth, i.naturalHeight];
    });
    expect(size).toEqual([128, 128]);
    await expect.poll(() => a.locator('[data-testid=account-link] .avatar img').count(), POLL).toBe(1);

    // The server keeps its own limit: an oversized or non-image picture is refused and changes nothing.
    const refused = await a.evaluate(async () => {
      const send = (image: string) =>
        fetch('/api/auth/update-user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image }) }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { message?: string },
        }));
      return [await send(`data:image/png;base64,${'A'.repeat(300_000)}`), await send('https://tracker.example/pixel.gif')];
    });
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/PNG, JPEG or WebP image of at most 200 KB/);
    }
    await a.reload();
    expect(await a.locator('[data-testid=avatar-image]').getAttribute('src')).toBe(src);

    // Remove goes back to initials, here and in the header.
    await a.locator('[data-testid=avatar-remove]').click();
    await a.locator('[data-testid=avatar-initials]').waitFor(POLL);
    expect(await a.locator('[data-testid=avatar-initials]').innerText()).toBe('MR');
    await expect.poll(() => a.locator('[data-testid=account-link] .avatar img').count(), POLL).toBe(0);
  });

  it('signs out one other browser from the list', async () => {
    const email = `ola-${Date.now()}@example.com`;
    const a = await (await browser.newContext()).newPage();
    await a.goto(`${app.url}/signup`);
    await a.fill('#name', 'Ola Berg');
    await a.fill('#email', email);
    await a.fill('#password', PASSWORD);
    await a.click('button[type=submit]');
    await a.waitForURL(/\/sites/);
    const b = await (await browser.newContext()).newPage();
    await login(b, email, PASSWORD);

    await a.goto(`${app.url}/account`);
    const other = a.locator('[data-testid=session-row][data-current=false]');
    await expect.poll(() => other.count(), POLL).toBe(1);
    await other.locator('[data-testid=session-sign-out]').click();
    await expect.poll(() => a.locator('[data-testid=session-row]').count(), POLL).toBe(1);
    await b.goto(`${app.url}/sites`);
    await b.waitForURL(/\/login/);
    await a.reload();
    expect(new URL(a.url()).pathname).toBe('/account');
  });
});
