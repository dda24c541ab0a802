// The dashboard as people use it, in headless Chromium: an owner signs up, creates a site and
// installs the copied snippet on a page of another origin; agents filter the live table without
// reloading; visitor-supplied text stays inert text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { openDemoLivePage } from '../support/demo';

/** Waits on a browser and the network: generous, a timing is not what these tests assert. */
const POLL = { timeout: 8000 };

/** A customer's website on its own origin, serving whatever page the test pastes the snippet into. */
async function customerSite() {
  const state = { html: '' };
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(state.html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set html(v: string) {
      state.html = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('dashboard in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let customer: Awaited<ReturnType<typeof customerSite>> | undefined;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ PRESENCE_GRACE_MS: '1500' }), launchBrowser()]);
  });
  afterAll(async () => {
    await customer?.close();
    await browser?.close();
    await app?.stop();
  });

  const openDemo = async (): Promise<Page> => openDemoLivePage(await browser.newContext(), app.url);

  async function visit(url: string): Promise<Page> {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(url);
    return page;
  }

  it('a new owner signs up, creates a site, copies the snippet, and sees a visitor of a page that pastes it', async () => {
    customer = await customerSite();
    const ctx = await browser.newContext();
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    const page = await ctx.newPage();
    await page.goto(`${app.url}/`);
    await page.waitForURL(/\/login/);
    await page.click('text=Create an account');
    await page.waitForURL(/\/signup/);
    await page.fill('#name', 'Olivia Owner');
    await page.fill('#email', `olivia-${Date.now()}@example.com`);
    await page.fill('#password', 'a-long-password');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sites/);

    await page.locator('[data-testid=site-form]').waitFor(); // a new account lands on its sites with the New site form
    await page.fill('input[name=name]', 'Olivia Shop');
    await page.fill('textarea[name=allowedOrigins]', `${customer.url}\nnot an origin`);
    await page.click('[data-testid=site-form] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=site-form]').innerText(), POLL).toMatch(/not an origin/);
    await page.fill('textarea[name=allowedOrigins]', customer.url);
    await page.click('[data-testid=site-form] button[type=submit]');
    await page.waitForURL(/\/sites\/[0-9a-f-]{36}\/install/);
    const siteId = /\/sites\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    const snippet = (await page.locator('[data-testid=install-snippet]').innerText()).trim();
    expect(snippet).toContain(`${app.url}/embed.js`);
    const copy = page.locator('.code-block', { has: page.locator('[data-testid=install-snippet]') }).locator('[data-testid=copy-button]');
    await copy.click();
    await expect.poll(() => copy.innerText(), POLL).toMatch(/Copied/i);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.trim()).toBe(snippet);

    // The owner's live page is empty and says how to install.
    await page.goto(`${app.url}/sites/${siteId}`);
    await expect.poll(() => page.locator('[data-testid=empty-state]').count(), POLL).toBe(1);

    // A page of the customer's own website (an allowed origin) with the copied snippet pasted in.
    customer.html = `<!doctype html><html><head><title>Olivia's landing</title>${copied}</head><body><h1>Hello</h1></body></html>`;
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${customer.url}/landing`);
    const loaded = Date.now();
    await page.locator('[data-testid=visitor-row]').first().waitFor(POLL);
    console.log(`[e2e] pasted-snippet visitor in the table ${Date.now() - loaded} ms after load`);
    expect(await page.locator('[data-testid=visitor-row]').first().innerText()).toContain("Olivia's landing");
    await visitor.context().close();
    await ctx.close();
  });

  it('filters narrow the live table without a reload, live, and the view lives in the URL', async () => {
    const page = await openDemo();
    const ctx = page.context();
    const liveUrl = page.url();

    const pricing = await visit(`${app.demoUrl}/pricing`);
    const contact = await visit(`${app.demoUrl}/contact`);
    const rows = page.locator('[data-testid=visitor-row]');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    await expect.poll(() => page.locator('[data-testid=visitor-count]').innerText(), POLL).toMatch(/2 of 2/);

    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await page.fill('[data-testid=filter-page]', 'pricing');
    await expect.poll(() => rows.count(), POLL).toBe(1);
    await expect.poll(() => page.locator('[data-testid=visitor-count]').innerText(), POLL).toMatch(/1 of 2/);
    expect(await rows.first().locator('[data-testid=row-page]').innerText()).toContain('/pricing');
    await expect.poll(() => page.url(), POLL).toMatch(/[?&]page=pricing/); // the URL follows once typing pauses
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // The filter applies to live changes: the contact visitor navigating to pricing joins the view.
    await contact.click('text=Pricing');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    await pricing.click('text=Contact');
    await expect.poll(() => rows.count(), POLL).toBe(1);

    // A bookmarked view opens filtered.
    const filteredUrl = page.url();
    const other = await ctx.newPage();
    await other.goto(filteredUrl);
    await expect.poll(() => other.locator('[data-testid=filter-page]').inputValue(), POLL).toBe('pricing');
    await expect.poll(() => other.locator('[data-testid=visitor-row]').count(), POLL).toBe(1);
    expect(filteredUrl.startsWith(liveUrl)).toBe(true);

    // A search nobody matches: the table and the pages card say the filters hide everyone, not
    // that nobody is here.
    await page.fill('[data-testid=search]', 'zzz-nobody');
    await expect.poll(() => page.locator('[data-testid=no-matches]').isVisible(), POLL).toBe(true);
    expect(await page.locator('[data-testid=top-pages-empty]').innerText()).toBe('No one matches the filters.');
    await page.fill('[data-testid=search]', '');
    await expect.poll(() => rows.count(), POLL).toBe(1);

    // Columns the agent does not use can be hidden, which gives the page title room, and the
    // choice is remembered in this browser.
    const headers = (p: Page) => p.locator('.vt thead th').allInnerTexts();
    const titleWidth = () => other.locator('[data-testid=row-page]').first().evaluate((el) => el.getBoundingClientRect().width);
    const before = await titleWidth();
    expect((await headers(other)).join('|')).toMatch(/Device/i);
    await other.locator('[data-testid=column-chooser] summary').click();
    for (const name of ['Device', 'Visitor', 'Source']) await other.locator('[data-testid=column-chooser] label', { hasText: name }).locator('input').uncheck();
    await expect.poll(async () => (await headers(other)).join('|'), POLL).not.toMatch(/Device|Source/i);
    expect(await titleWidth()).toBeGreaterThan(before);
    await other.reload();
    await other.locator('[data-testid=visitor-row]').first().waitFor(POLL);
    expect((await headers(other)).join('|')).not.toMatch(/Device|Source/i);
    expect((await headers(other)).join('|')).toMatch(/Current page/i);

    await pricing.context().close();
    await contact.context().close();
    await ctx.close();
  });

  it('renders visitor-supplied HTML and script as inert text', async () => {
    const page = await openDemo();
    const ctx = page.context();

    const evil = await visit(`${app.demoUrl}/app`);
    const title = '<img src=x onerror="window.__xss=1">';
    const name = '<script>window.__xss=2</script>Eve';
    await evil.evaluate(
      ([t, n]) => {
        const w = window as unknown as { Porchlight: (...a: unknown[]) => void };
        w.Porchlight('identify', { name: n, email: 'eve@example.com', note: '<b onmouseover="window.__xss=3">bold</b>' });
        history.pushState({}, '', '/app/xss');
        document.title = t!;
      },
      [title, name],
    );
    const row = page.locator('[data-testid=visitor-row]').filter({ hasText: 'Eve' });
    await expect.poll(() => row.count(), POLL).toBe(1);
    await expect.poll(() => row.innerText(), POLL).toContain(title);
    expect(await row.innerText()).toContain(name);
    await row.click();
    await page.locator('[data-testid=visitor-panel]').waitFor();
    await page.locator('[data-testid=visitor-panel]').hover();
    expect(await page.locator('[data-testid=visitor-panel]').innerText()).toContain('<b onmouseover=');
    expect(await page.locator('[data-testid=visitor-row] img, [data-testid=visitor-panel] img[src=x], [data-testid=visitor-panel] b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await evil.context().close();
    await ctx.close();
  });
});
