// The visitor's chat widget in real headless Chromium, against the product as `npm start` runs
// it: visitors browse the demo customer site (or a page of our own with a strict CSP), and the
// agent side is a real socket.io client on /agent, as the dashboard would be. What is asserted is
// what people notice: the launcher, the panel, messages arriving on the other side once, in
// order, on the next page and after a reload, typing, "Seen", the unread badge and preview.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { loginDemo } from '../support/demo';
import { png, pngDataUrl } from '../support/png';
import { agentSocket, connected, type AgentSocket } from '../support/server';

const POLL = { timeout: 8000 };
/** A reconnect after a dropped connection waits for socket.io's backoff (1 s doubling, randomized). */
const RECONNECT_POLL = { timeout: 20_000 };

/** The agent side, as a dashboard would hold it: every chat event of the workspace. */
class Agent {
  readonly messages: { message: ChatMessage; conversation: ConversationSummary }[] = [];
  readonly typing: { conversationId: string; typing: boolean; from: unknown; text?: string }[] = [];
  readonly conversations = new Map<string, ConversationSummary>();
  private constructor(readonly socket: AgentSocket) {
    socket.on('chat:message', (p) => {
      this.messages.push(p);
      this.conversations.set(p.conversation.id, p.conversation);
    });
    socket.on('chat:conversation', (p) => this.conversations.set(p.conversation.id, p.conversation));
    socket.on('chat:typing', (p) => this.typing.push(p));
  }

  static async connect(url: string, cookie: string): Promise<Agent> {
    const socket = agentSocket(url, cookie);
    await connected(socket);
    // Answered once the socket has joined its workspace rooms (and counts as online).
    const list = await socket.emitWithAck('chat:list', {});
    if (!list.ok) throw new Error(list.code);
    return new Agent(socket);
  }

  /** Visitor messages (and system lines) of one visitor, as the agent received them live. */
  fromVisitor(visitorId: string): ChatMessage[] {
    return this.messages.filter((m) => m.conversation.visitorId === visitorId && m.message.from !== 'agent').map((m) => m.message);
  }

  conversationOf(visitorId: string): ConversationSummary | undefined {
    return [...this.conversations.values()].find((c) => c.visitorId === visitorId);
  }

  async send(conversationId: string, text: string): Promise<ChatMessage> {
    const res = await this.socket.emitWithAck('chat:send', { conversationId, id: `agent-${randomBytes(8).toString('hex')}`, text });
    if (!res.ok) throw new Error(`agent send refused: ${res.code}`);
    return res.message;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The product and a browser; the browser is closed again if the product does not start. */
async function startBoth(env: Record<string, string> = {}): Promise<{ app: AppProcess; browser: Browser }> {
  const launching = launchBrowser();
  try {
    return { app: await startApp(env), browser: await launching };
  } catch (err) {
    await (await launching).close();
    throw err;
  }
}

const visitorIdOf = async (page: Page): Promise<string> => {
  let id = '';
  await expect.poll(async () => (id = await page.evaluate(() => JSON.parse(localStorage.getItem('_porchlight') ?? '{}').v ?? '')), POLL).not.toBe('');
  return id;
};

/** Sets the demo agent's picture as the Account page does (better-auth's update-user). */
async function setPicture(baseUrl: string, cookie: string, image: string | null): Promise<void> {
  const res = await fetch(`${baseUrl}/api/auth/update-user`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl, cookie }, body: JSON.stringify({ image }) });
  if (!res.ok) throw new Error(`picture not saved: ${res.status} ${await res.text()}`);
}

/** The natural width of the first image the selector finds (in open shadow roots), 0 while not loaded, null when there is none. */
const pictureWidth = async (page: Page, selector: string): Promise<number | null> => {
  const img = page.locator(selector).first();
  if (!(await img.count())) return null;
  return img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0));
};

/** The widget's parts on a page (Playwright's CSS locators reach into open shadow roots). */
function widget(page: Page) {
  const t = (id: string) => page.locator(`[data-testid=${id}]`);
  return {
    launcher: page.getByRole('button', { name: 'Chat with us' }),
    panel: t('pl-chat-panel'),
    dialog: page.getByRole('dialog'),
    input: t('pl-chat-input'),
    log: t('pl-chat-log'),
    rows: page.locator('[data-testid=pl-chat-log] > .row'),
    typing: t('pl-chat-typing'),
    error: t('pl-chat-error'),
    email: t('pl-chat-email'),
    offline: t('pl-chat-offline'),
    badge: t('pl-chat-badge'),
    preview: t('pl-chat-preview'),
    previewText: t('pl-chat-preview-text'),
    /** Texts of the thread's rows, in order (the visually hidden "You: " prefix left out). */
    texts: () => page.locator('[data-testid=pl-chat-log] > .row .bubble, [data-testid=pl-chat-log] > .row .sys').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/^You: /, ''))),
  };
}

async function sendFromPanel(page: Page, text: string): Promise<void> {
  const w = widget(page);
  await w.input.fill(text);
  await w.input.press('Enter');
  await expect.poll(() => w.input.inputValue(), POLL).toBe('');
}

describe('chat widget in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let agent: Agent;
  let cookie: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ({ app, browser } = await startBoth({ PRESENCE_GRACE_MS: '1500' }));
    ({ cookie } = await loginDemo(app.url));
    agent = await Agent.connect(app.url, cookie);
  });
  afterAll(async () => {
    agent?.close();
    await browser?.close();
    await app?.stop();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    // The widget must never throw into the host page.
    expect(errors.splice(0)).toEqual([]);
  });

  async function visitor(path = '/', o: BrowserContextOptions & { init?: string } = {}): Promise<{ page: Page; ctx: BrowserContext; id: string }> {
    const { init, ...options } = o;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    contexts.push(ctx);
    if (init) await ctx.addInitScript(init);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.demoUrl}${path}`);
    const id = await visitorIdOf(page);
    return { page, ctx, id };
  }

  it('shows a launcher named "Chat with us"; the panel opens as a dialog with focus in the composer, and Escape closes it back to the launcher', async () => {
    const { page } = await visitor('/');
    const w = widget(page);
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
    const box = (await w.launcher.boundingBox())!;
    // Bottom right corner of the 1280x800 window.
    expect(box.x).toBeGreaterThan(1280 - 120);
    expect(box.y).toBeGreaterThan(800 - 120);
    await w.launcher.click();
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => w.dialog.getAttribute('aria-label'), POLL).toBe('Chat with Demo Store');
    expect(await w.log.getAttribute('role')).toBe('log');
    expect(await w.log.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => w.input.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), POLL).toBe(true);
    // Floats above the launcher, about 370 wide, inside the window.
    const panel = (await w.panel.boundingBox())!;
    expect(panel.width).toBeGreaterThan(340);
    expect(panel.width).toBeLessThan(400);
    expect(panel.y + panel.height).toBeLessThanOrEqual(box.y);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
    expect(await page.getByRole('button', { name: 'Close chat' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Minimise chat' }).isVisible()).toBe(true);

    // A counter near the 5000-character limit, and no more than that.
    const counter = page.locator('[data-testid=pl-chat-counter]');
    await w.input.fill('x'.repeat(100));
    expect(await counter.textContent()).toBe('');
    await w.input.fill('x'.repeat(4600));
    await expect.poll(() => counter.textContent(), POLL).toMatch(/^4.?600 \/ 5.?000$/);
    await w.input.fill('x'.repeat(5200));
    expect((await w.input.inputValue()).length).toBe(5000);
    await w.input.fill('');

    await page.keyboard.press('Escape');
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(false);
    await expect.poll(() => w.launcher.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), POLL).toBe(true);

    // Minimised: folded to its header, which opens it again.
    await w.launcher.click();
    await page.getByRole('button', { name: 'Minimise chat' }).click();
    await expect.poll(() => w.input.isVisible(), POLL).toBe(false);
    expect(await w.panel.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => w.input.isVisible(), POLL).toBe(true);
  });

  it('Enter sends (Shift+Enter is a new line), the agent gets it once, and the answer appears in the panel', async () => {
    const { page, id } = await visitor('/pricing');
    const w = widget(page);
    await w.launcher.click();
    await w.input.fill('Hello!');
    await w.input.press('Shift+Enter');
    await w.input.pressSequentially('Do you ship to Portugal?');
    expect(await w.input.inputValue()).toBe('Hello!\nDo you ship to Portugal?');
    await w.input.press('Enter');
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['Hello!\nDo you ship to Portugal?']);
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello!\nDo you ship to Portugal?']);
    // Sent and stored: no "Sending…" left.
    await expect.poll(() => w.log.textContent(), POLL).not.toContain('Sending');

    const conversationId = agent.fromVisitor(id)[0]!.conversationId;
    await agent.send(conversationId, 'Yes, in 3-5 days. Details: https://lumen.example/shipping.');
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello!\nDo you ship to Portugal?', 'Yes, in 3-5 days. Details: https://lumen.example/shipping.']);
    const link = page.locator('[data-testid=pl-chat-log] a');
    expect(await link.getAttribute('href')).toBe('https://lumen.example/shipping');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    // A video call request from the chat: a line in the thread, and the agent is told.
    await page.getByRole('button', { name: 'Request a video call' }).click();
    await expect.poll(() => w.texts(), POLL).toContain('You asked for a video call');
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.event), POLL).toEqual([null, 'call_requested']);
  });

  it('renders HTML in messages as text, both ways', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    const mine = '<img src=x onerror="window.__pwned=1"> <b>bold</b>';
    await sendFromPanel(page, mine);
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), POLL).toEqual([mine]);
    const theirs = '<img src=x onerror="window.__pwned=2"><b>not bold</b><script>window.__pwned=3</script>';
    await agent.send(agent.fromVisitor(id)[0]!.conversationId, theirs);
    await expect.poll(() => w.texts(), POLL).toEqual([mine, theirs]);
    expect(await page.locator('porchlight-chat img, porchlight-chat b, porchlight-chat script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('shows typing both ways: the agent sees the draft (sneak peek is on for the demo site), the visitor sees "… is typing"', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'Question coming');
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
    const conversationId = agent.fromVisitor(id)[0]!.conversationId;

    await w.input.pressSequentially('Is the Aurora dimmable');
    await expect.poll(() => agent.typing.filter((t) => t.conversationId === conversationId && t.typing).at(-1)?.text, POLL).toBe('Is the Aurora dimmable');
    await w.input.fill('');
    await expect.poll(() => agent.typing.filter((t) => t.conversationId === conversationId).at(-1)?.typing, POLL).toBe(false);

    await agent.socket.emitWithAck('chat:typing', { conversationId, typing: true });
    await expect.poll(() => w.typing.textContent(), POLL).toMatch(/^\S+ is typing…$/);
    await agent.socket.emitWithAck('chat:typing', { conversationId, typing: false });
    await expect.poll(() => w.typing.textContent(), POLL).toBe('');
  });

  it('shows "Seen" when an agent read the message, and tells the agent what the visitor read', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'First');
    await sendFromPanel(page, 'Second');
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(2);
    const [first, second] = agent.fromVisitor(id);
    await agent.socket.emitWithAck('chat:read', { conversationId: first!.conversationId, seq: first!.seq });
    await expect.poll(() => w.rows.nth(0).locator('.meta').textContent(), POLL).toBe('Seen');
    expect(await w.rows.nth(1).locator('.meta').textContent()).toBe('');
    await agent.socket.emitWithAck('chat:read', { conversationId: second!.conversationId, seq: second!.seq });
    await expect.poll(() => w.rows.nth(1).locator('.meta').textContent(), POLL).toBe('Seen');
    expect(await w.rows.nth(0).locator('.meta').textContent()).toBe('');

    // The open, visible panel reads the agent's answer at once.
    const answer = await agent.send(first!.conversationId, 'Got both');
    await expect.poll(() => agent.conversations.get(first!.conversationId)?.visitorReadSeq, POLL).toBe(answer.seq);
  });

  it('continues on the next page of the site and after a reload: same history, once, panel still open', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'one');
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
    await agent.send(agent.fromVisitor(id)[0]!.conversationId, 'two');
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
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['one', 'three', 'four']);

    // Closed stays closed on the next page.
    await page.getByRole('button', { name: 'Close chat' }).click();
    await page.click('header >> text=Contact');
    await page.waitForURL(/\/contact$/);
    await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
    expect(await w.panel.isVisible()).toBe(false);
  });

  it('two tabs of one browser share one conversation', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const [a, b] = await Promise.all([ctx.newPage(), ctx.newPage()]);
    for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
    // Both load at once: neither has a token yet, so the server gives each its own; the tab that
    // stores second must switch to the first one's.
    await Promise.all([a.goto(`${app.demoUrl}/`), b.goto(`${app.demoUrl}/pricing`)]);
    const id = await visitorIdOf(a);
    await widget(a).launcher.click();
    await sendFromPanel(a, 'from tab one');
    await widget(b).launcher.click();
    await expect.poll(() => widget(b).texts(), POLL).toEqual(['from tab one']);
    await sendFromPanel(b, 'from tab two');
    // The other tab hears it live.
    await expect.poll(() => widget(a).texts(), POLL).toEqual(['from tab one', 'from tab two']);
    await expect.poll(() => new Set(agent.fromVisitor(id).map((m) => m.conversationId)).size, POLL).toBe(1);
    expect(agent.fromVisitor(id)).toHaveLength(2);
  });

  it('an agent message while the panel is closed shows the unread badge and a preview, also on the next page', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'Hi, anyone there?');
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
    const conversationId = agent.fromVisitor(id)[0]!.conversationId;
    await page.getByRole('button', { name: 'Close chat' }).click();
    expect(await w.badge.isVisible()).toBe(false);

    const long = 'Hello! The Aurora comes in oak, walnut and black ash, and every version ships with a warm white bulb included.';
    await agent.send(conversationId, long);
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

    await agent.send(conversationId, 'Second note');
    await expect.poll(() => w.badge.textContent(), POLL).toBe('2');
    await expect.poll(() => w.previewText.textContent(), POLL).toBe('Second note');
    await w.preview.click();
    await expect.poll(() => w.panel.isVisible(), POLL).toBe(true);
    await expect.poll(() => w.badge.isVisible(), POLL).toBe(false);
    await expect.poll(() => w.texts(), POLL).toEqual(['Hi, anyone there?', long, 'Second note']);
    await expect.poll(() => agent.conversations.get(conversationId)?.visitorReadSeq, POLL).toBeGreaterThanOrEqual(3);
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
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
    const sent = await agent.send(agent.fromVisitor(id)[0]!.conversationId, 'Hello from the team');
    await expect.poll(() => page.evaluate(() => (window as unknown as { got: unknown[] }).got), POLL).toEqual([
      { id: sent.id, text: 'Hello from the team', from: 'agent', at: sent.at, agentName: sent.agent!.name },
    ]);

    // Hidden: nothing of the chat shows by itself, not even an unread message.
    await page.evaluate(() => window.Porchlight!('chat:close'));
    await page.evaluate(() => window.Porchlight!('chat:hide'));
    await agent.send(agent.fromVisitor(id)[0]!.conversationId, 'while hidden');
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
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
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
    expect(agent.fromVisitor(id).map((m) => m.text)).toEqual(['before the blip']);
    await page.unroute(polling);
    await page.evaluate(() => ((window as unknown as { __net: { down: boolean } }).__net.down = false));
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), RECONNECT_POLL).toEqual(['before the blip', 'during the blip']);
    await expect.poll(() => w.rows.nth(1).locator('.meta').textContent(), POLL).toBe('');

    // Down again; the visitor sends and reloads before the connection is back.
    await down();
    await sendFromPanel(page, 'just before a reload');
    await expect.poll(() => w.rows.nth(2).locator('.meta').textContent(), POLL).toBe('Sending…');
    await page.unroute(polling);
    await page.reload();
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), RECONNECT_POLL).toEqual(['before the blip', 'during the blip', 'just before a reload']);
    await expect.poll(() => w.texts(), POLL).toEqual(['before the blip', 'during the blip', 'just before a reload']);
    await expect.poll(() => w.log.textContent(), POLL).not.toContain('Sending');
  });

  it("shows the agent's picture in the panel header, beside their messages and on the call card, over their initials", async () => {
    // The picture is taken when the dashboard connects: set it, then the dashboard reconnects.
    await setPicture(app.url, cookie, pngDataUrl(png(64, [220, 38, 38], [250, 204, 21])));
    agent.close();
    agent = await Agent.connect(app.url, cookie);
    const { siteId } = await loginDemo(app.url);
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await expect.poll(() => pictureWidth(page, '[data-testid=pl-chat-panel] .faces .face img'), POLL).toBe(64);
    // The initials are still there, under the picture (shown if it cannot load).
    expect(await page.locator('[data-testid=pl-chat-panel] .faces .face').first().textContent()).toMatch(/^[A-Z]{1,2}$/);
    const face = await page.locator('[data-testid=pl-chat-panel] .faces .face img').first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { w: r.width, h: r.height, src: el.getAttribute('src') };
    });
    expect(face.w).toBeGreaterThan(25);
    expect(face.w).toBeCloseTo(face.h, 0);
    expect(face.src).toMatch(/^http:\/\/[^/]+\/avatars\/[A-Za-z0-9_-]+\?v=[A-Za-z0-9_-]+$/);

    await sendFromPanel(page, 'Hello, who am I talking to?');
    await expect.poll(() => agent.fromVisitor(id).length, POLL).toBe(1);
    await agent.send(agent.fromVisitor(id)[0]!.conversationId, "It's me, with my picture.");
    await expect.poll(() => pictureWidth(page, '[data-testid=pl-chat-log] > .row.agent.first .av img'), POLL).toBe(64);

    const invite = await agent.socket.emitWithAck('call:start', { siteId, visitorId: id, video: true });
    if (!invite.ok) throw new Error(invite.code);
    await expect.poll(() => page.locator('[data-testid=pl-call]').getAttribute('data-state'), POLL).toBe('ringing');
    await expect.poll(() => pictureWidth(page, '[data-testid=pl-call] .head .avatar img'), POLL).toBe(64);
    await agent.socket.emitWithAck('call:cancel', { callId: invite.call.callId });

    // On a phone, on a page wider than the phone (the layout viewport grows, the screen does not),
    // the card with the picture is still on screen.
    const phone = await visitor('/pricing', { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const ring = await agent.socket.emitWithAck('call:start', { siteId, visitorId: phone.id, video: true });
    if (!ring.ok) throw new Error(ring.code);
    await expect.poll(() => pictureWidth(phone.page, '[data-testid=pl-call] .head .avatar img'), POLL).toBe(64);
    await expect.poll(async () => {
      const b = await phone.page.locator('[data-testid=pl-call]').boundingBox();
      return b && b.x >= 0 && b.y >= 0 && b.x + b.width <= 375 && b.y + b.height <= 667;
    }, POLL).toBe(true);
    await agent.socket.emitWithAck('call:cancel', { callId: ring.call.callId });
    await setPicture(app.url, cookie, null);
  });
});

describe('chat widget with nobody online', () => {
  let app: AppProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    // A small message budget, to meet the rate limit.
    ({ app, browser } = await startBoth({ CHAT_VISITOR_MESSAGES_PER_MINUTE: '3' }));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    expect(errors.splice(0)).toEqual([]);
  });

  it('asks for an email, refuses an invalid one without losing the draft, and stores the message; too many messages say so and keep the draft', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.demoUrl}/contact`);
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
    const { cookie } = await loginDemo(app.url);
    const agent = await Agent.connect(app.url, cookie);
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
  let app: AppProcess;
  let browser: Browser;
  let agent: Agent;
  let shop: http.Server;
  let shopUrl: string;
  let ctx: BrowserContext | undefined;

  beforeAll(async () => {
    ({ app, browser } = await startBoth());
    const { cookie } = await loginDemo(app.url);
    agent = await Agent.connect(app.url, cookie);
    const porchlight = new URL(app.url);
    const ws = `ws://${porchlight.host}`;
    let key = '';
    shop = http.createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src 'self' ${porchlight.origin}; connect-src ${porchlight.origin} ${ws}; style-src 'self'`,
      });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict shop</title>
<script src="${app.url}/embed.js" data-site="${key}" async></script></head>
<body><h1>A shop with a strict CSP</h1><p>No inline scripts, no inline styles.</p></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    const res = await fetch(`${app.url}/api/sites`, {
      method: 'POST',
      headers: { cookie, origin: app.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Strict Shop', allowedOrigins: [shopUrl], chatSneakPeek: false }),
    });
    if (!res.ok) throw new Error(`site creation failed: ${res.status} ${await res.text()}`);
    key = ((await res.json()) as { site: { publicKey: string } }).site.publicKey;
  });
  afterAll(async () => {
    await ctx?.close();
    agent?.close();
    await browser?.close();
    if (shop) await new Promise((r) => shop.close(r));
    await app?.stop();
  });

  it('shows a styled launcher and panel (no inline styles needed), nothing is blocked, and a message goes both ways', async () => {
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
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
    await expect.poll(() => agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['Hello from a strict page']);
    await agent.send(agent.fromVisitor(id)[0]!.conversationId, 'Hello back');
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello from a strict page', 'Hello back']);
    // Typing on a site without sneak peek: the agent learns that, not what.
    await w.input.pressSequentially('secret draft');
    await expect.poll(() => agent.typing.some((t) => t.typing && t.from === 'visitor'), POLL).toBe(true);
    expect(agent.typing.every((t) => t.text === undefined)).toBe(true);

    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("falls back to the agent's initials when the page's CSP blocks their picture", async () => {
    const { cookie } = await loginDemo(app.url);
    await setPicture(app.url, cookie, pngDataUrl(png(64, [37, 99, 235])));
    agent.close();
    agent = await Agent.connect(app.url, cookie);
    const strict = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await strict.addInitScript(() => {
        const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
        document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      });
      const page = await strict.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${shopUrl}/`);
      const w = widget(page);
      await expect.poll(() => w.launcher.isVisible(), POLL).toBe(true);
      await w.launcher.click();
      // It was tried (the page's policy refused it), then taken away: the initials show.
      await expect.poll(() => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), POLL).toContain('img-src');
      await expect.poll(() => page.locator('[data-testid=pl-chat-panel] .faces .face img').count(), POLL).toBe(0);
      expect(await page.locator('[data-testid=pl-chat-panel] .faces .face').first().textContent()).toMatch(/^[A-Z]{1,2}$/);
      expect(errors).toEqual([]);
    } finally {
      await strict.close();
      await setPicture(app.url, cookie, null);
    }
  });
});
