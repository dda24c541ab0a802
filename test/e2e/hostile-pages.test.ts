// The snippet on customer pages that are hard on third-party scripts, in real headless Chromium,
// against the product as `npm start` runs it (one app, one browser and one agent for the file).
// On each page a visitor must appear in the agent's live table, a chat message must go both ways,
// and a call invitation must be shown and answered, with no error thrown into the page: pages
// with Prototype.js-era prototypes, AMD/Node globals, zone.js-style patching and a read-only
// router history, a strict CSP, a phone page wider than the screen; WebSocket blocked (the visitor
// appears over polling, timed); a refused origin (one console line); Porchlight('shutdown').
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core';
import type { ChatMessage, ConversationSummary, LiveVisitor, PresenceDiff } from '../../server/protocol';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { loginDemo } from '../support/demo';
import { waitForVisitorId } from '../support/media';
import { cspOf, watchedPage } from '../support/page-watch';
import { agentSocket, connected, type AgentSocket } from '../support/server';
import { startHostilePages, type HostilePages } from '../fixtures/hostile-pages';

const POLL = { timeout: 10_000 };

describe('the snippet on hostile pages', () => {
  let app: AppProcess;
  let browser: Browser;
  let pages: HostilePages;
  let agent: AgentSocket;
  let siteId = '';
  const rows = new Map<string, LiveVisitor>();
  const messages: { message: ChatMessage; conversation: ConversationSummary }[] = [];
  const callEvents: [string, { callId: string }][] = [];
  const contexts: BrowserContext[] = [];
  let errors: string[] = [];

  beforeAll(async () => {
    const launching = launchBrowser(MEDIA_ARGS);
    try {
      app = await startApp({ PRESENCE_GRACE_MS: '1500' });
    } finally {
      browser = await launching;
    }
    pages = await startHostilePages(app.url);
    const { cookie } = await loginDemo(app.url);
    const res = await fetch(`${app.url}/api/sites`, {
      method: 'POST',
      headers: { cookie, origin: app.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hostile Pages', allowedOrigins: [pages.url] }),
    });
    if (!res.ok) throw new Error(`site creation failed: ${res.status} ${await res.text()}`);
    const site = ((await res.json()) as { site: { id: string; publicKey: string } }).site;
    siteId = site.id;
    pages.setSite(site.publicKey);

    agent = agentSocket(app.url, cookie);
    await connected(agent);
    const list = await agent.emitWithAck('chat:list', {});
    if (!list.ok) throw new Error(list.code);
    const watch = await agent.emitWithAck('site:watch', { siteId });
    if (!watch.ok) throw new Error(watch.code);
    for (const v of watch.visitors) rows.set(v.id, v);
    agent.on('presence:diff', (d: PresenceDiff) => {
      for (const v of d.upserts) rows.set(v.id, v);
      for (const id of d.removed) rows.delete(id);
    });
    agent.on('chat:message', (p) => messages.push(p));
    for (const e of ['call:accepted', 'call:signal', 'call:ended'] as const) agent.on(e, (p: { callId: string }) => callEvents.push([e, p]));
  });
  afterAll(async () => {
    agent?.disconnect();
    await browser?.close();
    await pages?.close();
    await app?.stop();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    // Whatever the page did to the platform, nothing is thrown into it.
    const seen = errors;
    errors = [];
    expect(seen).toEqual([]);
  });

  const visitorIdOf = (page: Page): Promise<string> => waitForVisitorId(page, POLL.timeout);

  async function open(url: string, o: BrowserContextOptions & { before?: (page: Page) => Promise<void> } = {}): Promise<Page> {
    const { before, ...options } = o;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    contexts.push(ctx);
    const { page } = await watchedPage(ctx, errors);
    await before?.(page);
    await page.goto(url);
    return page;
  }

  /** The visitor's row in the agent's live table, once it shows `path`. */
  const appears = async (id: string, path: string): Promise<LiveVisitor> => {
    await expect.poll(() => rows.get(id)?.page.path, POLL).toBe(path);
    return rows.get(id)!;
  };

  const t = (page: Page, id: string) => page.locator(`[data-testid=${id}]`);

  /** A message from the visitor's panel reaches the agent once; the agent's answer shows in the panel. */
  async function chatBothWays(page: Page, id: string, text: string): Promise<void> {
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await t(page, 'pl-chat-input').fill(text);
    await t(page, 'pl-chat-input').press('Enter');
    await expect.poll(() => messages.filter((m) => m.conversation.visitorId === id && m.message.from === 'visitor').map((m) => m.message.text), POLL).toEqual([text]);
    const conversationId = messages.find((m) => m.conversation.visitorId === id)!.conversation.id;
    const reply = await agent.emitWithAck('chat:send', { conversationId, id: `agent-${randomBytes(8).toString('hex')}`, text: `re: ${text}` });
    if (!reply.ok) throw new Error(reply.code);
    await expect.poll(() => page.locator('[data-testid=pl-chat-log] > .row.agent .bubble').allTextContents(), POLL).toEqual([`re: ${text}`]);
    await t(page, 'pl-chat-close').click();
  }

  /** The agent calls; the card is visible with a size; the visitor accepts (audio), which reaches the agent with WebRTC signals; the agent hangs up. */
  async function callAnswered(page: Page, id: string): Promise<void> {
    const start = await agent.emitWithAck('call:start', { siteId, visitorId: id, video: false });
    if (!start.ok) throw new Error(`call:start refused: ${start.code}`);
    const callId = start.call.callId;
    const card = t(page, 'pl-call');
    await expect.poll(() => card.getAttribute('data-state'), POLL).toBe('ringing');
    const box = (await card.boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(100);
    await t(page, 'pl-accept-audio').click();
    await expect.poll(() => callEvents.filter(([e, p]) => p.callId === callId).map(([e]) => e), POLL).toEqual(expect.arrayContaining(['call:accepted', 'call:signal']));
    // Minimised, the card folds to its controls (the call goes on); it opens again.
    const tall = (await card.boundingBox())!.height;
    await t(page, 'pl-shrink').click();
    await expect.poll(async () => (await card.boundingBox())!.height, POLL).toBeLessThan(tall - 40);
    expect(await card.getAttribute('data-state')).not.toBe('ended');
    await t(page, 'pl-shrink').click();
    await expect.poll(async () => (await card.boundingBox())!.height, POLL).toBeGreaterThan(tall - 40);
    await agent.emitWithAck('call:hangup', { callId });
    await expect.poll(() => t(page, 'pl-message').textContent(), POLL).toMatch(/ended/);
  }

  for (const [name, what] of [
    ['proto', 'enumerable Object.prototype members, Array.prototype.toJSON, replaced JSON.stringify and Function.prototype.bind'],
    ['globals', 'a global AMD define, require, io, process, Buffer, module'],
    ['patched', 'zone.js-style timers, listeners, promises and XHR, a wrapped frozen WebSocket, a read-only router pushState'],
    ['zone', 'the real zone.js (npm zone.js, as Angular apps load it) patching the platform first'],
  ] as const) {
    it(`works on a page with ${what}: presence, chat, a call`, async () => {
      const page = await open(`${pages.url}/${name}`);
      const id = await visitorIdOf(page);
      const row = await appears(id, `/${name}`);
      expect(row.page.title).toBe(`Hostile page: ${name}`);
      if (name === 'zone') expect(await page.evaluate(() => typeof (window as unknown as { Zone?: unknown }).Zone)).toBe('function'); // zone.js really runs
      // Identify goes through the same encoder as every event.
      await page.evaluate(() => window.Porchlight!('identify', { name: 'Ada Lovelace', plan: 'pro' }));
      await expect.poll(() => rows.get(id)?.identity.name, POLL).toBe('Ada Lovelace');
      if (name === 'patched') {
        // The router's own pushState cannot be wrapped; the navigation is still seen.
        await page.evaluate(() => history.pushState({}, '', '/patched/checkout'));
        await appears(id, '/patched/checkout');
        expect(await page.evaluate(() => (window as unknown as { __ws?: number }).__ws)).toBeGreaterThan(0);
      }
      await chatBothWays(page, id, `hello from ${name}`);
      await callAnswered(page, id);
      if (name === 'proto') expect(await page.evaluate(() => JSON.stringify([1]))).toBe('"[1]"'); // the page's own quirk is left alone
    });
  }

  it('works under a strict CSP (scripts and connections only from Porchlight, no inline styles, no eval): styled launcher, panel and call card', async () => {
    const page = await open(`${pages.url}/csp`);
    const id = await visitorIdOf(page);
    await appears(id, '/csp');
    const launcher = page.getByRole('button', { name: 'Chat with us' });
    await expect.poll(() => launcher.evaluate((el) => getComputedStyle(el).backgroundColor), POLL).toBe('rgb(37, 99, 235)');
    await chatBothWays(page, id, 'hello under a strict CSP');
    await page.getByRole('button', { name: 'Chat with us' }).click();
    expect(await t(page, 'pl-chat-panel').evaluate((el) => [getComputedStyle(el).position, getComputedStyle(el).borderRadius])).toEqual(['fixed', '18px']);
    await t(page, 'pl-chat-close').click();
    await callAnswered(page, id);
    expect(await t(page, 'pl-call').evaluate((el) => getComputedStyle(el).borderRadius)).toBe('16px');
    expect(await cspOf(page)).toEqual([]);
    // Styles only from adopted stylesheets: no style attribute in the page or in the widget's shadow roots, no <style>, no inline script.
    const inline = await page.evaluate(() => {
      const roots: (Document | ShadowRoot)[] = [document, ...[...document.querySelectorAll('porchlight-launcher, porchlight-chat, porchlight-call')].map((h) => h.shadowRoot!)];
      return { hosts: roots.length - 1, inline: roots.flatMap((r) => [...r.querySelectorAll('[style], style, script:not([src])')].map((e) => e.outerHTML.slice(0, 80))) };
    });
    expect(inline).toEqual({ hosts: 3, inline: [] });
  });

  it('on a 375 px phone page wider than the screen, the chat panel and the call invitation are inside the visual viewport and usable', async () => {
    const page = await open(`${pages.url}/overflow`, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const id = await visitorIdOf(page);
    await appears(id, '/overflow');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeGreaterThan(800);
    // Scrolled sideways, as a visitor reading the wide part would.
    await page.evaluate(() => scrollTo(300, 0));
    /** The element's box inside the visual viewport (layout-viewport coordinates, as getBoundingClientRect). */
    const inView = (selector: string) =>
      page.locator(selector).evaluate((el) => {
        const r = el.getBoundingClientRect();
        const v = visualViewport!;
        const e = 1;
        return r.width > 100 && r.height > 50 && r.left >= v.offsetLeft - e && r.top >= v.offsetTop - e && r.right <= v.offsetLeft + v.width + e && r.bottom <= v.offsetTop + v.height + e;
      });
    await page.getByRole('button', { name: 'Chat with us' }).tap();
    await expect.poll(() => inView('[data-testid=pl-chat-panel]'), POLL).toBe(true);
    await t(page, 'pl-chat-close').tap();

    const start = await agent.emitWithAck('call:start', { siteId, visitorId: id, video: true });
    if (!start.ok) throw new Error(start.code);
    await expect.poll(() => t(page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    await expect.poll(() => inView('[data-testid=pl-call]'), POLL).toBe(true);
    await t(page, 'pl-decline').tap();
    await expect.poll(() => callEvents.some(([e, p]) => e === 'call:ended' && p.callId === start.call.callId), POLL).toBe(true);

    // The demo customer site's own pages fit a phone (its header wraps).
    await page.goto(`${app.demoUrl}/pricing`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('with WebSocket blocked, the visitor appears over long-polling, well before the 20 s connect timeout', async () => {
    const times: Record<string, number> = {};
    // A proxy that swallows the upgrade (the socket opens, nothing ever answers), and a page where `new WebSocket` throws.
    const blocks: [string, (page: Page) => Promise<void>][] = [
      ['silent', async (page) => void (await page.routeWebSocket(/\/socket\.io\//, () => {}))],
      [
        'throws',
        async (page) =>
          void await page.addInitScript(() => {
            window.WebSocket = function () {
              throw new DOMException('blocked by policy', 'SecurityError');
            } as unknown as typeof WebSocket;
          }),
      ],
    ];
    for (const [how, block] of blocks) {
      const page = await open(`${pages.url}/plain`, { before: block });
      const loaded = Date.now();
      const id = await visitorIdOf(page);
      await expect.poll(() => rows.get(id)?.page.path, { timeout: 15_000, interval: 20 }).toBe('/plain');
      times[how] = Date.now() - loaded;
      await chatBothWays(page, id, `over polling (${how})`);
    }
    console.log(`[e2e] WebSocket blocked: visitor appeared after ${JSON.stringify(times)} ms (from page load)`);
    // Well before socket.io's 20 s connect timeout, which is what a broken fallback would wait for
    // (the figures are printed above; a busy machine adds seconds to them).
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(10_000);
  }, 60_000);

  it('on an origin the site does not allow, says so in one console line and stops', async () => {
    const lines: string[] = [];
    const page = await open(`${pages.otherOriginUrl}/plain`, {
      before: async (p) => {
        p.on('console', (m: ConsoleMessage) => lines.push(m.text()));
      },
    });
    await expect.poll(() => lines.filter((l) => l.startsWith('Porchlight:')), POLL).toEqual(['Porchlight: this origin is not allowed for this site']);
    const before = lines.length;
    await page.waitForTimeout(2500);
    // No retries (each would add the browser's own network error line), and still one line of ours.
    expect(lines.length).toBe(before);
    expect([...rows.values()].some((r) => r.page.url.startsWith(pages.otherOriginUrl))).toBe(false);
  });

  it("Porchlight('shutdown') forgets the visitor and the conversation on this browser; the page goes on as a new visitor", async () => {
    const page = await open(`${pages.url}/plain`);
    const id = await visitorIdOf(page);
    await appears(id, '/plain');
    await page.evaluate(() => window.Porchlight!('identify', { name: 'Signed In', email: 'in@example.com' }));
    await expect.poll(() => rows.get(id)?.identity.name, POLL).toBe('Signed In');
    await chatBothWays(page, id, 'before sign-out');
    await page.getByRole('button', { name: 'Chat with us' }).click();

    await page.evaluate(() => window.Porchlight!('shutdown'));
    let next = id;
    await expect.poll(async () => (next = await page.evaluate(() => JSON.parse(localStorage.getItem('_porchlight') ?? '{}').v ?? id)), POLL).not.toBe(id);
    const row = await appears(next, '/plain');
    expect(row.identity.name).toBeUndefined();
    expect(row.visitCount).toBe(1);
    // The conversation is gone from the page: the panel is closed and an opened one is empty.
    expect(await t(page, 'pl-chat-panel').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await expect.poll(() => page.locator('[data-testid=pl-chat-log] > .row').count(), POLL).toBe(0);
    // A message now starts a new conversation, of the new visitor.
    await t(page, 'pl-chat-input').fill('after sign-out');
    await t(page, 'pl-chat-input').press('Enter');
    await expect.poll(() => messages.filter((m) => m.conversation.visitorId === next).map((m) => m.message.text), POLL).toEqual(['after sign-out']);
  });
});
