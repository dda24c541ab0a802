// The widget's look and language in real headless Chromium, against the product as `npm start`
// runs it, on a customer page with a strict CSP (no 'unsafe-inline' anywhere): a site set to the
// left side, a green accent, 120 px up and German shows its launcher there, in that colour, named
// in German, and its panel speaks German; a visitor whose browser speaks es-ES on an "auto" site
// reads Spanish. Over HTTP: the settings are validated, saved by the owner, refused to an agent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { loginDemo } from '../support/demo';
import { watchedPage, type WatchedPage } from '../support/page-watch';
import { agentSocket, connected, signUp, type Account } from '../support/server';
import { DEMO_ACCOUNT } from '../../server/demo/seed';

const POLL = { timeout: 8000 };
const VIEW = { width: 1280, height: 800 };

describe('widget appearance and language', () => {
  let app: AppProcess;
  let browser: Browser;
  let owner: string;
  let shop: http.Server;
  let shopUrl: string;
  const contexts: BrowserContext[] = [];

  const api = async (cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { cookie, origin: app.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const createSite = async (name: string): Promise<{ id: string; publicKey: string }> => {
    const r = await api(owner, 'POST', '/api/sites', { name, allowedOrigins: [shopUrl] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.site as { id: string; publicKey: string };
  };
  /** A page of the shop with the snippet for `key`, watched for CSP violations and page errors. */
  const visit = async (key: string, locale: string): Promise<WatchedPage> => {
    const ctx = await browser.newContext({ viewport: VIEW, locale });
    contexts.push(ctx);
    const watched = await watchedPage(ctx);
    await watched.page.goto(`${shopUrl}/?k=${encodeURIComponent(key)}`);
    return watched;
  };
  const box = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, bottom: r.bottom, width: r.width, bg: getComputedStyle(el).backgroundColor };
    });

  beforeAll(async () => {
    const launching = launchBrowser();
    try {
      app = await startApp();
    } catch (err) {
      await (await launching).close();
      throw err;
    }
    browser = await launching;
    owner = (await loginDemo(app.url)).cookie;
    const porchlight = new URL(app.url);
    shop = http.createServer((req, res) => {
      const key = new URL(req.url ?? '/', 'http://x').searchParams.get('k') ?? '';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src 'self' ${porchlight.origin}; connect-src ${porchlight.origin} ws://${porchlight.host}; style-src 'self'`,
      });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="${app.url}/embed.js" data-site="${key.replace(/[^\w-]/g, '')}" async></script></head>
<body><h1>A shop with a strict CSP</h1></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    if (shop) await new Promise((r) => shop.close(r));
    await app?.stop();
  });

  it('validates the settings, saves them for the owner and refuses them to an agent', async () => {
    const site = await createSite('Settings Shop');
    const bad = await api(owner, 'PATCH', `/api/sites/${site.id}`, {
      name: 'Settings Shop',
      allowedOrigins: [shopUrl],
      widgetAccent: 'blue',
      widgetOffset: 401,
      widgetSide: 'middle',
      widgetLauncherText: 'x'.repeat(41),
      widgetLanguage: 'it',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields as object).sort()).toEqual(['widgetAccent', 'widgetLanguage', 'widgetLauncherText', 'widgetOffset', 'widgetSide']);

    // An agent of the workspace may not change how the widget looks.
    const agent: Account = await signUp(app.url, 'Agent');
    const invited = await api(owner, 'POST', '/api/team/invitations', { email: agent.email, role: 'agent' });
    expect(invited.status).toBe(201);
    const accepted = await api(agent.cookie, 'POST', '/api/invitations/accept', { token: String(invited.json.link).split('/invite/')[1] });
    expect(accepted.status).toBe(200);
    const refused = await api(agent.cookie, 'PATCH', `/api/sites/${site.id}`, { name: 'Settings Shop', allowedOrigins: [shopUrl], widgetSide: 'left' });
    expect(refused.status).toBe(403);

    const ok = await api(owner, 'PATCH', `/api/sites/${site.id}`, { name: 'Settings Shop', allowedOrigins: [shopUrl], widgetAccent: '#16A34A', widgetSide: 'left', widgetOffset: 120, widgetLauncherText: ' Fragen? ', widgetLanguage: 'de' });
    expect(ok.status).toBe(200);
    expect(ok.json.site).toMatchObject({ widgetAccent: '#16a34a', widgetSide: 'left', widgetOffset: 120, widgetLauncherText: 'Fragen?', widgetLanguage: 'de' });
    expect((await api(owner, 'GET', `/api/sites/${site.id}`)).json.site).toMatchObject({ widgetSide: 'left', widgetLanguage: 'de' });
  });

  it('the site settings form edits the look (an owner, in the dashboard)', async () => {
    const site = await createSite('Form Shop');
    const ctx = await browser.newContext({ viewport: VIEW });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${app.url}/login`);
    await page.fill('#email', DEMO_ACCOUNT.email);
    await page.fill('#password', DEMO_ACCOUNT.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sites/);
    await page.goto(`${app.url}/sites/${site.id}/settings`);
    const form = page.locator('[data-testid=site-form]');
    const widget = form.locator('[data-testid=widget-settings]');
    await expect.poll(() => widget.isVisible(), POLL).toBe(true);
    expect(await form.locator('input[name=widgetAccent]').inputValue()).toBe('#2563eb');
    expect(await form.locator('input[name=widgetSide][value=right]').isChecked()).toBe(true);
    expect(await form.locator('select[name=widgetLanguage]').inputValue()).toBe('auto');

    // A wrong colour is said next to the field, nothing is saved.
    await form.locator('input[name=widgetAccent]').fill('green');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => widget.locator('.field-error').first().textContent(), POLL).toBe('The colour is a hex colour like #2563eb');

    await form.locator('input[name=widgetAccent]').fill('#16A34A');
    await form.locator('input[name=widgetSide][value=left]').check();
    await form.locator('input[name=widgetOffset]').fill('120');
    await form.locator('input[name=widgetLauncherText]').fill('Fragen?');
    await form.locator('select[name=widgetLanguage]').selectOption('de');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.alert-success').count(), POLL).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('input[name=widgetAccent]').inputValue(), POLL).toBe('#16a34a');
    expect(await page.locator('input[name=widgetSide][value=left]').isChecked()).toBe(true);
    expect(await page.locator('input[name=widgetOffset]').inputValue()).toBe('120');
    expect(await page.locator('input[name=widgetLauncherText]').inputValue()).toBe('Fragen?');
    expect(await page.locator('select[name=widgetLanguage]').inputValue()).toBe('de');
  });

  it('a left, green, 120 px up, German site: launcher and panel under a strict CSP, nothing blocked', async () => {
    const site = await createSite('Grün Shop');
    const saved = await api(owner, 'PATCH', `/api/sites/${site.id}`, { name: 'Grün Shop', allowedOrigins: [shopUrl], widgetAccent: '#16a34a', widgetSide: 'left', widgetOffset: 120, widgetLanguage: 'de' });
    expect(saved.status).toBe(200);

    // The browser speaks English: the site forces German.
    const { page, csp, errors } = await visit(site.publicKey, 'en-US');
    const launcher = page.getByRole('button', { name: 'Chatten Sie mit uns' });
    await expect.poll(() => launcher.isVisible(), POLL).toBe(true);
    const l = await box(page, 'porchlight-launcher >> button');
    expect(l.bg).toBe('rgb(22, 163, 74)');
    expect(l.left).toBeCloseTo(20, 0);
    expect(l.width).toBeCloseTo(56, 0);
    expect(VIEW.height - l.bottom).toBeCloseTo(120, 0);

    await launcher.click();
    const panel = page.locator('[data-testid=pl-chat-panel]');
    await expect.poll(() => panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => panel.getAttribute('aria-label'), POLL).toBe('Chat mit Grün Shop');
    const input = page.locator('[data-testid=pl-chat-input]');
    // Online or not (nobody answers this site here), the composer speaks German.
    expect(await input.getAttribute('placeholder')).toMatch(/^(Nachricht schreiben|Ihre Nachricht)…$/);
    expect(await page.locator('[data-testid=pl-chat-send]').getAttribute('aria-label')).toBe('Senden');
    expect(await page.locator('[data-testid=pl-chat-minimise]').getAttribute('aria-label')).toBe('Chat minimieren');
    expect(await page.locator('[data-testid=pl-chat-close]').getAttribute('aria-label')).toBe('Chat schließen');
    // The site kept the default greeting: it is said in German too.
    expect(await page.locator('[data-testid=pl-chat-greeting]').textContent()).toBe('Hallo! Fragen Sie uns alles, wir antworten meist innerhalb weniger Minuten.');
    // The panel sits on the left above the launcher, its header in the site's colour.
    // (After its opening animation, which scales it a little.)
    await expect.poll(async () => Math.round((await box(page, '[data-testid=pl-chat-panel]')).left), POLL).toBe(20);
    const p = await box(page, '[data-testid=pl-chat-panel]');
    expect(p.bottom).toBeLessThanOrEqual(l.bottom - 56);
    expect(await panel.locator('.head').evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('rgb(22, 163, 74)');
    // Who is online (the demo agent may be away): a German line either way.
    await expect.poll(() => page.locator('[data-testid=pl-chat-status]').textContent(), POLL).toMatch(/online|per E-Mail/);
    if (!/ist online|sind online/.test((await page.locator('[data-testid=pl-chat-status]').textContent()) ?? '')) {
      expect(await page.locator('[data-testid=pl-chat-offline]').textContent()).toMatch(/^Gerade ist niemand online/);
    }

    // An agent calls: the card is German too, in the site's colour, on the left, above the offset.
    const dash = agentSocket(app.url, owner);
    try {
      await connected(dash);
      await dash.emitWithAck('chat:list', {});
      const visitorId = await page.evaluate(() => (JSON.parse(localStorage.getItem('_porchlight') ?? '{}') as { v?: string }).v ?? '');
      const ring = await dash.emitWithAck('call:start', { siteId: site.id, visitorId, video: true });
      if (!ring.ok) throw new Error(ring.code);
      const card = page.locator('[data-testid=pl-call]');
      await expect.poll(() => card.getAttribute('data-state'), POLL).toBe('ringing');
      expect(await page.locator('[data-testid=pl-accept-video]').innerText()).toBe('Mit Video annehmen');
      expect(await page.locator('[data-testid=pl-decline]').innerText()).toBe('Ablehnen');
      expect(await card.getAttribute('aria-label')).toMatch(/^Videoanruf von /);
      expect(await card.locator('.lead').innerText()).toBe('möchte mit Ihnen per Videoanruf sprechen');
      expect((await box(page, '[data-testid=pl-accept-video]')).bg).toBe('rgb(22, 163, 74)');
      await expect.poll(async () => Math.round((await box(page, '[data-testid=pl-call]')).left), POLL).toBe(16);
      await expect.poll(async () => Math.round(VIEW.height - (await box(page, '[data-testid=pl-call]')).bottom), POLL).toBe(120);
      await dash.emitWithAck('call:cancel', { callId: ring.call.callId });
      await expect.poll(() => page.locator('[data-testid=pl-message]').textContent(), POLL).toMatch(/hat den Anruf abgebrochen$/);
    } finally {
      dash.disconnect();
    }

    // The site's own launcher text shows on the launcher (as text), still in its corner.
    await api(owner, 'PATCH', `/api/sites/${site.id}`, { name: 'Grün Shop', allowedOrigins: [shopUrl], widgetLauncherText: '<b>Fragen?</b>' });
    const again = await visit(site.publicKey, 'en-US');
    const pill = again.page.getByRole('button', { name: '<b>Fragen?</b>' });
    await expect.poll(() => pill.isVisible(), POLL).toBe(true);
    expect(await pill.innerText()).toBe('<b>Fragen?</b>');
    const b = await box(again.page, 'porchlight-launcher >> button');
    expect(b.width).toBeGreaterThan(100);
    expect(b.left).toBeCloseTo(20, 0);
    expect(VIEW.height - b.bottom).toBeCloseTo(120, 0);

    expect(await csp()).toEqual([]);
    expect(await again.csp()).toEqual([]);
    expect([...errors, ...again.errors]).toEqual([]);
  });

  it('a visitor whose browser speaks es-ES reads Spanish on an "auto" site', async () => {
    const site = await createSite('Tienda');
    const { page, csp, errors } = await visit(site.publicKey, 'es-ES');
    const launcher = page.getByRole('button', { name: 'Chatea con nosotros' });
    await expect.poll(() => launcher.isVisible(), POLL).toBe(true);
    const l = await box(page, 'porchlight-launcher >> button');
    // The default look: bottom right, 20 px, blue.
    expect(l.bg).toBe('rgb(37, 99, 235)');
    expect(VIEW.width - l.right).toBeCloseTo(20, 0);
    expect(VIEW.height - l.bottom).toBeCloseTo(20, 0);
    await launcher.click();
    const input = page.locator('[data-testid=pl-chat-input]');
    await expect.poll(() => input.isVisible(), POLL).toBe(true);
    expect(await input.getAttribute('placeholder')).toMatch(/^Escribe (un|tu) mensaje…$/);
    await expect.poll(() => page.locator('[data-testid=pl-chat-status]').textContent(), POLL).toMatch(/en línea|por correo/);
    await expect.poll(() => page.locator('[data-testid=pl-chat-panel]').getAttribute('aria-label'), POLL).toBe('Chatea con Tienda');
    expect(await page.locator('[data-testid=pl-chat-send]').getAttribute('aria-label')).toBe('Enviar');
    expect(await csp()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
