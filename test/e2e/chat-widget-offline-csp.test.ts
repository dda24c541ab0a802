// The visitor's chat widget in real headless Chromium (see chat-widget.test.ts) where the site is
// not the demo's usual case: nobody of the team online (the widget asks for an email), and a page
// of our own with a strict Content-Security-Policy.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { loginDemo } from '../support/demo';
import { watchedPage } from '../support/page-watch';
import { Agent, ChatWidgetSession, POLL, sendFromPanel, setPicture, visitorIdOf, widget } from '../support/chat-widget';
import { png, pngDataUrl } from '../support/png';

describe('chat widget with nobody online', () => {
  // A small message budget, to meet the rate limit.
  const session = new ChatWidgetSession({ CHAT_VISITOR_MESSAGES_PER_MINUTE: '3' }, { agent: false });

  it('asks for an email, refuses an invalid one without losing the draft, and stores the message; too many messages say so and keep the draft', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    session.contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => session.errors.push(e.message));
    await page.goto(`${session.app.demoUrl}/contact`);
    const id = await visitorIdOf(page);
    const w = widget(page);
    await w.launcher.click();
    await expect.poll(() => w.offline.textContent(), POLL).toMatch(/Nobody is online right now.*reply by email/);
    expect(await w.email.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Request a video call' }).isVisible()).toBe(false);

    await w.input.fill('Do you have the Aurora in black?');
    await w.input.press('Enter');
    await expect.poll(() => w.error.textContent(), POLL).toMatch(/valid email/);
    expect(await w.input.inputValue()).toBe('Do you have the Aurora in black?');
    expect(await w.email.getAttribute('aria-invalid')).toBe('true');
    await w.email.fill('ana@');
    await w.input.press('Enter');
    expect(await w.texts()).toEqual([]);

    await w.email.fill('ana@example.com');
    await w.input.press('Enter');
    await expect.poll(() => w.texts(), POLL).toEqual(['Do you have the Aurora in black?']);
    await expect.poll(() => w.log.textContent(), POLL).not.toContain('Sending');
    await expect.poll(() => w.offline.textContent(), POLL).toContain('ana@example.com');
    expect(await w.email.isVisible()).toBe(false);
    expect(await w.error.textContent()).toBe('');

    // Stored for the team, with the address to answer.
    const { cookie } = await loginDemo(session.app.url);
    const agent = await Agent.connect(session.app.url, cookie);
    try {
      const list = await agent.socket.emitWithAck('chat:list', {});
      if (!list.ok) throw new Error(list.code);
      const c = list.conversations.find((x) => x.visitorId === id)!;
      expect(c).toMatchObject({ offline: true, visitorEmail: 'ana@example.com' });
      const page1 = await agent.socket.emitWithAck('chat:sync', { conversationId: c.id, after: 0 });
      if (!page1.ok) throw new Error(page1.code);
      expect(page1.messages.map((m) => m.text)).toEqual(['Do you have the Aurora in black?']);
    } finally {
      agent.close();
    }
    // The panel saw an agent come and go (chat:agents): it is offline again now.
    await expect.poll(() => w.offline.isVisible(), POLL).toBe(true);

    // The limit is 3 a minute: the 4th comes back into the composer with a short error.
    await sendFromPanel(page, 'second');
    await sendFromPanel(page, 'third');
    await expect.poll(() => w.texts(), POLL).toEqual(['Do you have the Aurora in black?', 'second', 'third']);
    await w.input.fill('fourth, too fast');
    await w.input.press('Enter');
    await expect.poll(() => w.error.textContent(), POLL).toMatch(/too quickly/);
    await expect.poll(() => w.input.inputValue(), POLL).toBe('fourth, too fast');
    expect(await w.texts()).toEqual(['Do you have the Aurora in black?', 'second', 'third']);
  });
});

describe('chat widget on a page with a strict Content-Security-Policy', () => {
  const session = new ChatWidgetSession();
  let shop: http.Server;
  let shopUrl: string;
  let ctx: BrowserContext | undefined;

  beforeAll(async () => {
    const porchlight = new URL(session.app.url);
    const ws = `ws://${porchlight.host}`;
    let key = '';
    shop = http.createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src 'self' ${porchlight.origin}; connect-src ${porchlight.origin} ${ws}; style-src 'self'`,
      });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict shop</title>
<script src="${session.app.url}/embed.js" data-site="${key}" async></script></head>
<body><h1>A shop with a strict CSP</h1><p>No inline scripts, no inline styles.</p></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    const res = await fetch(`${session.app.url}/api/sites`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: session.app.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Strict Shop', allowedOrigins: [shopUrl], chatSneakPeek: false }),
    });
    if (!res.ok) throw new Error(`site creation failed: ${res.status} ${await res.text()}`);
    key = ((await res.json()) as { site: { publicKey: string } }).site.publicKey;
  });
  afterAll(async () => {
    await ctx?.close();
    if (shop) await new Promise((r) => shop.close(r));
  });

  it('shows a styled launcher and panel (no inline styles needed), nothing is blocked, and a message goes both ways', async () => {
    ctx = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors, csp } = await watchedPage(ctx);
    await page.goto(`${shopUrl}/`);
    const id = await visitorIdOf(page);
    const w = widget(page);
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
    const launcher = await w.launcher.evaluate((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { bg: s.backgroundColor, radius: s.borderRadius, w: r.width, h: r.height, right: r.right, bottom: r.bottom };
    });
    expect(launcher).toMatchObject({ bg: 'rgb(37, 99, 235)', radius: '28px', w: 56, h: 56 });
    expect(1280 - launcher.right).toBeCloseTo(20, 0);
    expect(800 - launcher.bottom).toBeCloseTo(20, 0);

    await w.launcher.click();
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    const panel = await w.panel.evaluate((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { position: s.position, radius: s.borderRadius, bg: s.backgroundColor, w: r.width, h: r.height };
    });
    expect(panel).toMatchObject({ position: 'fixed', radius: '18px', bg: 'rgb(255, 255, 255)' });
    expect(panel.w).toBeGreaterThan(340);
    expect(panel.h).toBeGreaterThan(400);
    expect(await w.panel.locator('.head').evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('linear-gradient');
    // This site does not share drafts: the visitor is told.
    await expect.poll(() => page.locator('[data-testid=pl-chat-privacy]').textContent(), POLL).toBe('Nothing you type is shared until you send it.');
    expect(await page.locator('[data-testid=pl-chat-privacy]').isVisible()).toBe(true);

    await sendFromPanel(page, 'Hello from a strict page');
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['Hello from a strict page']);
    await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, 'Hello back');
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello from a strict page', 'Hello back']);
    // Typing on a site without sneak peek: the agent learns that, not what.
    await w.input.pressSequentially('secret draft');
    await expect.poll(() => session.agent.typing.some((t) => t.typing && t.from === 'visitor'), POLL).toBe(true);
    expect(session.agent.typing.every((t) => t.text === undefined)).toBe(true);

    expect(await csp()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("falls back to the agent's initials when the page's CSP blocks their picture", async () => {
    const { cookie } = await loginDemo(session.app.url);
    await setPicture(session.app.url, cookie, pngDataUrl(png(64, [37, 99, 235])));
    session.agent.close();
    session.agent = await Agent.connect(session.app.url, cookie);
    const strict = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, errors, csp } = await watchedPage(strict);
      await page.goto(`${shopUrl}/`);
      const w = widget(page);
      await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
      await w.launcher.click();
      // It was tried (the page's policy refused it), then taken away: the initials show.
      await expect.poll(async () => (await csp()).some((v) => v.startsWith('img-src ')), POLL).toBe(true);
      await expect.poll(() => page.locator('[data-testid=pl-chat-panel] .faces .face img').count(), POLL).toBe(0);
      expect(await page.locator('[data-testid=pl-chat-panel] .faces .face').first().textContent()).toMatch(/^[A-Z]{1,2}$/);
      expect(errors).toEqual([]);
    } finally {
      await strict.close();
      await setPicture(session.app.url, cookie, null);
    }
  });
});
