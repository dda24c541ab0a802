// Chat end to end, both people in real Chromium: a visitor on the demo customer site uses the
// widget, an agent uses the dashboard's Conversations page and live table. (The widget's and
// the dashboard's own files test each side in depth against socket.io clients; this one proves
// the two real UIs talk to each other.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { openDemoLivePage } from '../support/demo';

/** Generous: on a machine busy with the rest of the suite a page can take seconds; timing is not asserted. */
const POLL = { timeout: 15_000 };

describe('chat between the widget and the dashboard', () => {
  let app: AppProcess;
  let browser: Browser;
  let agent: Page;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ PRESENCE_GRACE_MS: '1500' }), launchBrowser()]);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    agent = await openDemoLivePage(ctx, app.url);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function visitor(path = '/'): Promise<{ page: Page; id: string }> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${app.demoUrl}${path}`);
    let id = '';
    await expect.poll(async () => (id = await page.evaluate(() => JSON.parse(localStorage.getItem('_porchlight') ?? '{}').v ?? '')), POLL).not.toBe('');
    return { page, id };
  }
  const w = (page: Page) => ({
    launcher: page.getByRole('button', { name: 'Chat with us' }),
    input: page.locator('[data-testid=pl-chat-input]'),
    bubbles: () => page.locator('[data-testid=pl-chat-log] > .row .bubble').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/^You: /, ''))),
    log: page.locator('[data-testid=pl-chat-log]'),
    typing: page.locator('[data-testid=pl-chat-typing]'),
    badge: page.locator('[data-testid=pl-chat-badge]'),
    preview: page.locator('[data-testid=pl-chat-preview-text]'),
  });
  const messagesInThread = () => agent.locator('[data-testid=message-text]').allInnerTexts();

  it('a visitor writes from the launcher; the agent answers from Conversations; both see typing and Seen; the next page keeps the thread', async () => {
    const v = await visitor('/pricing');
    await w(v.page).launcher.click();
    await w(v.page).input.fill('Hello! Is the Aurora lamp dimmable? <b>really</b>');
    await w(v.page).input.press('Enter');

    // The agent sees it live in the inbox, with an unread count in the nav, and opens it.
    await agent.goto(`${app.url}/conversations`);
    const row = agent.locator('[data-testid=conversation-row]').filter({ hasText: 'Aurora lamp dimmable' });
    await expect.poll(() => row.count(), POLL).toBe(1);
    await expect.poll(() => agent.locator('[data-testid=nav-unread]').innerText(), POLL).toMatch(/[1-9]/);
    await row.click();
    await expect.poll(messagesInThread, POLL).toEqual(['Hello! Is the Aurora lamp dimmable? <b>really</b>']);
    // Visitor text is text, in the dashboard too.
    expect(await agent.locator('[data-testid=message-text] b').count()).toBe(0);

    // The agent reads it: the visitor sees "Seen". The agent types: the visitor sees it.
    await expect.poll(() => v.page.locator('[data-testid=pl-chat-log]').innerText(), POLL).toMatch(/Seen/);
    await agent.locator('[data-testid=composer-input]').pressSequentially('Yes, fully', { delay: 20 });
    await expect.poll(() => w(v.page).typing.innerText(), POLL).toMatch(/typing/i);
    await agent.locator('[data-testid=composer-input]').pressSequentially(' dimmable: https://lumen.example/aurora', { delay: 5 });
    await agent.locator('[data-testid=composer-input]').press('Enter');
    await expect.poll(() => w(v.page).bubbles(), POLL).toEqual(['Hello! Is the Aurora lamp dimmable? <b>really</b>', 'Yes, fully dimmable: https://lumen.example/aurora']);
    expect(await v.page.locator('[data-testid=pl-chat-log] a[href="https://lumen.example/aurora"]').count()).toBe(1);
    // The assignment shows in the thread.
    await expect.poll(() => agent.locator('[data-testid=conversation-assignee]').innerText(), POLL).toMatch(/you|Demo Owner/i);

    // The visitor types: the agent sees it (with the sneak-peek draft: on by default).
    await w(v.page).input.pressSequentially('and the shipping to Ber', { delay: 20 });
    await expect.poll(() => agent.locator('[data-testid=typing-indicator]').innerText(), POLL).toMatch(/typing/i);
    await expect.poll(() => agent.locator('[data-testid=sneak-peek]').innerText(), POLL).toContain('and the shipping to Ber');
    await w(v.page).input.fill('');

    // The next page of the site: the same thread, once each, panel still open.
    await Promise.all([v.page.waitForURL(/\/contact$/), v.page.click('header a[href="/contact"]')]);
    await expect.poll(() => w(v.page).bubbles(), POLL).toEqual(['Hello! Is the Aurora lamp dimmable? <b>really</b>', 'Yes, fully dimmable: https://lumen.example/aurora']);
    await w(v.page).input.fill('Thanks, one more thing');
    await w(v.page).input.press('Enter');
    await expect.poll(messagesInThread, POLL).toEqual([
      'Hello! Is the Aurora lamp dimmable? <b>really</b>',
      'Yes, fully dimmable: https://lumen.example/aurora',
      'Thanks, one more thing',
    ]);
  });

  it('proactive chat from the live table: the agent\'s first message reaches the visitor\'s page at once', async () => {
    const v = await visitor('/');
    await agent.goto(app.url + '/sites');
    await agent.locator('[data-testid=site-card]').filter({ hasText: 'Demo Store' }).locator('a').first().click();
    const liveRow = agent.locator(`[data-testid=visitor-row][data-visitor-id="${v.id}"]`);
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    await liveRow.locator('[data-testid=chat-button]').click();
    await agent.waitForURL(/\/conversations\//);
    await agent.locator('[data-testid=composer-input]').fill('Hi! Can I help you find the right lamp?');
    await agent.locator('[data-testid=composer-input]').press('Enter');
    // Stored (acknowledged) first, so a slow machine shows which side was late.
    await expect.poll(messagesInThread, POLL).toContain('Hi! Can I help you find the right lamp?');
    // The visitor never opened the chat: the launcher shows the unread count and a preview.
    await expect.poll(() => w(v.page).badge.innerText(), POLL).toBe('1');
    await expect.poll(() => w(v.page).preview.innerText(), POLL).toContain('Can I help you find the right lamp?');
    await w(v.page).launcher.click();
    await expect.poll(() => w(v.page).bubbles(), POLL).toContain('Hi! Can I help you find the right lamp?');
    // The live row says who the visitor is chatting with.
    await agent.goBack();
    await expect.poll(() => liveRow.locator('[data-testid=row-chat]').innerText(), POLL).toMatch(/Demo Owner/);
  });
});
