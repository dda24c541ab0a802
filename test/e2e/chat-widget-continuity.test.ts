// The visitor's chat widget in real headless Chromium (see chat-widget.test.ts), as the
// conversation carries on: on the next page and after a reload, in two tabs, the unread badge and
// preview while the panel is closed, the page's API, a phone, and a connection that drops.
import { describe, expect, it } from 'vitest';
import { ChatWidgetSession, POLL, sendFromPanel, visitorIdOf, widget } from '../support/chat-widget';

/** A reconnect after a dropped connection waits for socket.io's backoff (1 s doubling, randomized). */
const RECONNECT_POLL = { timeout: 20_000 };

describe('chat widget in a real browser', () => {
  const session = new ChatWidgetSession({ PRESENCE_GRACE_MS: '1500' });
  const { visitor } = session;

  it('continues on the next page of the site and after a reload: same history, once, panel still open', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'one');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, 'two');
    await expect.poll(() => w.texts(), POLL).toEqual(['one', 'two']);
    await sendFromPanel(page, 'three');
    await expect.poll(() => w.texts(), POLL).toEqual(['one', 'two', 'three']);
    await w.input.fill('a draft for the next page');

    await page.click('header >> text=Pricing');
    await page.waitForURL(/\/pricing$/);
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => w.texts(), POLL).toEqual(['one', 'two', 'three']);
    expect(await w.input.inputValue()).toBe('a draft for the next page');
    await sendFromPanel(page, 'four');

    await page.reload();
    await expect.poll(() => w.texts(), POLL).toEqual(['one', 'two', 'three', 'four']);
    expect(await w.rows.evaluateAll((rows) => new Set(rows.map((r) => r.getAttribute('data-key'))).size)).toBe(4);
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['one', 'three', 'four']);

    // Closed stays closed on the next page.
    await page.getByRole('button', { name: 'Close chat' }).click();
    await page.click('header >> text=Contact');
    await page.waitForURL(/\/contact$/);
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
    expect(await w.panel.isVisible()).toBe(false);
  });

  it('two tabs of one browser share one conversation', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    session.contexts.push(ctx);
    const [a, b] = await Promise.all([ctx.newPage(), ctx.newPage()]);
    for (const p of [a, b]) p.on('pageerror', (e) => session.errors.push(e.message));
    // Both load at once: neither has a token yet, so the server gives each its own; the tab that
    // stores second must switch to the first one's.
    await Promise.all([a.goto(`${session.app.demoUrl}/`), b.goto(`${session.app.demoUrl}/pricing`)]);
    const id = await visitorIdOf(a);
    await widget(a).launcher.click();
    await sendFromPanel(a, 'from tab one');
    await widget(b).launcher.click();
    await expect.poll(() => widget(b).texts(), POLL).toEqual(['from tab one']);
    await sendFromPanel(b, 'from tab two');
    // The other tab hears it live.
    await expect.poll(() => widget(a).texts(), POLL).toEqual(['from tab one', 'from tab two']);
    await expect.poll(() => new Set(session.agent.fromVisitor(id).map((m) => m.conversationId)).size, POLL).toBe(1);
    expect(session.agent.fromVisitor(id)).toHaveLength(2);
  });

  it('an agent message while the panel is closed shows the unread badge and a preview, also on the next page', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'Hi, anyone there?');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    const conversationId = session.agent.fromVisitor(id)[0]!.conversationId;
    await page.getByRole('button', { name: 'Close chat' }).click();
    expect(await w.badge.isVisible()).toBe(false);

    const long = 'Hello! The Aurora comes in oak, walnut and black ash, and every version ships with a warm white bulb included.';
    await session.agent.send(conversationId, long);
    await expect.poll(() => w.badge.textContent(), POLL).toBe('1');
    expect(await w.badge.isVisible()).toBe(true);
    expect(await w.preview.isVisible()).toBe(true);
    const shown = (await w.previewText.textContent())!;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(81);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    await expect.poll(() => w.launcher.getAttribute('aria-describedby'), POLL).toBe('pl-unread');

    // The next page (where the panel is closed): the server's chat:unread brings badge and preview back.
    await page.click('header >> text=Pricing');
    await page.waitForURL(/\/pricing$/);
    await expect.poll(() => w.badge.textContent(), POLL).toBe('1');
    await expect.poll(() => w.preview.isVisible(), POLL).toBe(true);
    // Dismissed: the preview goes, the badge stays (still unread).
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => w.preview.isVisible(), POLL).toBe(false);
    expect(await w.badge.isVisible()).toBe(true);

    await session.agent.send(conversationId, 'Second note');
    await expect.poll(() => w.badge.textContent(), POLL).toBe('2');
    await expect.poll(() => w.previewText.textContent(), POLL).toBe('Second note');
    await w.preview.click();
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => w.badge.isVisible(), POLL).toBe(false);
    await expect.poll(() => w.texts(), POLL).toEqual(['Hi, anyone there?', long, 'Second note']);
    await expect.poll(() => session.agent.conversations.get(conversationId)?.visitorReadSeq, POLL).toBeGreaterThanOrEqual(3);
  });

  it('the page API: chat:open (also queued before the script loads), chat:close, chat:hide, chat:show, on/off chat:message', async () => {
    // The install tag's queue with a call in it before embed.js has loaded.
    const { page, id } = await visitor('/', { init: `window.Porchlight=function(){(window.Porchlight.q=window.Porchlight.q||[]).push(arguments)};window.Porchlight('chat:open');` });
    const w = widget(page);
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await page.evaluate(() => window.Porchlight!('chat:close'));
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(false);
    expect(await w.launcher.isVisible()).toBe(true);

    await page.evaluate(() => window.Porchlight!('chat:hide'));
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(false);
    await page.evaluate(() => window.Porchlight!('chat:show'));
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);

    await page.evaluate(() => {
      const got: unknown[] = [];
      (window as unknown as { got: unknown[] }).got = got;
      const P = window.Porchlight!;
      P('on', 'chat:message', () => {
        throw new Error('a broken listener of the page');
      });
      P('on', 'chat:message', async () => {
        throw new Error('a broken async listener');
      });
      P('on', 'chat:message', (m: unknown) => got.push(m));
      const removed = () => got.push('removed listener called');
      P('on', 'chat:message', removed);
      P('off', 'chat:message', removed);
      P('chat:open');
    });
    await sendFromPanel(page, 'listen to this');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    const sent = await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, 'Hello from the team');
    await expect.poll(() => page.evaluate(() => (window as unknown as { got: unknown[] }).got), POLL).toEqual([
      { id: sent.id, text: 'Hello from the team', from: 'agent', at: sent.at, agentName: sent.agent!.name },
    ]);

    // Hidden: nothing of the chat shows by itself, not even an unread message.
    await page.evaluate(() => window.Porchlight!('chat:close'));
    await page.evaluate(() => window.Porchlight!('chat:hide'));
    await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, 'while hidden');
    await expect.poll(() => page.evaluate(() => (window as unknown as { got: unknown[] }).got.length), POLL).toBe(2);
    expect(await w.launcher.isVisible()).toBe(false);
    expect(await w.preview.isVisible()).toBe(false);
    expect(await w.panel.isVisible()).toBe(false);
    await page.evaluate(() => window.Porchlight!('chat:show'));
    await expect.poll(() => w.badge.textContent(), POLL).toBe('1');
    expect(await w.preview.isVisible()).toBe(true);

    // The page's own "Contact us" button on a page without the launcher: chat:open still opens the panel.
    await page.evaluate(() => window.Porchlight!('chat:hide'));
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(false);
    await page.evaluate(() => window.Porchlight!('chat:open'));
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => w.texts(), POLL).toEqual(['listen to this', 'Hello from the team', 'while hidden']);
    await page.keyboard.press('Escape');
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(false);
    expect(await w.launcher.isVisible()).toBe(false);
  });

  it('on a 375x667 phone the panel is full screen, and the launcher stays on screen on a page wider than the phone', async () => {
    const { page } = await visitor('/pricing', { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const w = widget(page);
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
    // The demo page's header is wider than 375 px: the layout viewport grows, the screen does not.
    const box = (await w.launcher.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(box.y + box.height).toBeLessThanOrEqual(667);
    await w.launcher.tap();
    await expect.poll(() => w.panel.boundingBox(), POLL).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    await sendFromPanel(page, 'from my phone');
    await expect.poll(() => w.texts(), POLL).toEqual(['from my phone']);
    // The launcher is under the full-screen panel: hidden, not covering the composer.
    expect(await w.launcher.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Close chat' }).tap();
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
  });

  it('never loses a message sent while the connection is down: "Sending…", then delivered once after reconnecting, even across a reload', async () => {
    // A network blip the page can switch: new WebSockets go to a dead port, open ones close.
    const blip = `(() => {
      const Native = window.WebSocket, open = new Set();
      window.__net = { down: false, drop() { for (const ws of open) ws.close(); } };
      window.WebSocket = class extends Native {
        constructor(url, p) { super(window.__net.down ? 'ws://127.0.0.1:9/' : url, p); open.add(this); this.addEventListener('close', () => open.delete(this)); }
      };
    })();`;
    const { page, id } = await visitor('/', { init: blip });
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'before the blip');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    const polling = (url: URL) => url.pathname.startsWith('/socket.io/');
    const down = async () => {
      await page.route(polling, (r) => r.abort());
      await page.evaluate(() => {
        const net = (window as unknown as { __net: { down: boolean; drop(): void } }).__net;
        net.down = true;
        net.drop();
      });
    };

    await down();
    await sendFromPanel(page, 'during the blip');
    await expect.poll(() => w.rows.nth(1).locator('.meta').textContent(), POLL).toBe('Sending…');
    await page.waitForTimeout(1500);
    expect(session.agent.fromVisitor(id).map((m) => m.text)).toEqual(['before the blip']);
    await page.unroute(polling);
    await page.evaluate(() => ((window as unknown as { __net: { down: boolean } }).__net.down = false));
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), RECONNECT_POLL).toEqual(['before the blip', 'during the blip']);
    await expect.poll(() => w.rows.nth(1).locator('.meta').textContent(), POLL).toBe('');

    // Down again; the visitor sends and reloads before the connection is back.
    await down();
    await sendFromPanel(page, 'just before a reload');
    await expect.poll(() => w.rows.nth(2).locator('.meta').textContent(), POLL).toBe('Sending…');
    await page.unroute(polling);
    await page.reload();
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), RECONNECT_POLL).toEqual(['before the blip', 'during the blip', 'just before a reload']);
    await expect.poll(() => w.texts(), POLL).toEqual(['before the blip', 'during the blip', 'just before a reload']);
    await expect.poll(() => w.log.textContent(), POLL).not.toContain('Sending');
  });
});
