// Live chat, the agent's side, in headless Chromium: the product runs as `npm start` runs it, the
// agent logs in through the login form, and visitors are real socket.io clients of the Demo
// Store (what the chat widget sends, without its UI). What is asserted is what an agent notices:
// the inbox, the unread count in the title and the nav, the thread, "Seen", typing and its sneak
// peek, assignment, close/reopen, proactive chat from the live table, the desktop notification
// and the chime, a message typed during a network blip, and the inbox on a phone.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Ack, ChatMessage, ChatPage, VisitorChatInfo } from '../../server/protocol';
import { friendlyName } from '../../server/chat/friendly-name';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { loginDemo, openDemoLivePage } from '../support/demo';
import { connected, handshake, visitorSocket, type VisitorSocket } from '../support/server';

/** Waits on a browser and the network: generous, a timing is not what these tests assert. */
const POLL = { timeout: 8000 };

/**
 * Observes the browser APIs the alerts use (nothing is faked about the product): Notification
 * records what is shown (permission starts at "default", as in a fresh browser, and the
 * permission prompt answers "granted"), and each oscillator start of the chime is counted.
 * WebSocket and the polling transport can be cut off to simulate a network blip.
 */
const AGENT_INIT = `
(() => {
  const w = window;
  w.__notes = [];
  // Permission outlives reloads, as a browser's does.
  Object.defineProperty(w, '__notifyPermission', {
    get: () => localStorage.getItem('__notifyPermission') || 'default',
    set: (v) => localStorage.setItem('__notifyPermission', v),
  });
  class FakeNotification {
    constructor(title, options) { this.title = title; this.body = options && options.body; this.onclick = null; w.__notes.push(this); }
    close() { this.closed = true; }
    static get permission() { return w.__notifyPermission; }
    static requestPermission() { w.__notifyPermission = 'granted'; return Promise.resolve('granted'); }
  }
  w.Notification = FakeNotification;
  w.__oscillators = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { w.__oscillators++; return start.apply(this, a); };
  // Network blip: while __blip is set, new WebSockets go to a dead port.
  w.__blip = false;
  w.__sockets = [];
  const Real = WebSocket;
  function Wrapped(url, protocols) {
    const target = w.__blip ? String(url).replace(/\\/\\/[^/]+/, '//127.0.0.1:9') : url;
    const ws = protocols === undefined ? new Real(target) : new Real(target, protocols);
    w.__sockets.push(ws);
    return ws;
  }
  Wrapped.prototype = Real.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Real[k];
  w.WebSocket = Wrapped;
})();
`;

interface Notes {
  title: string;
  body: string;
}

interface Visitor {
  s: VisitorSocket;
  id: string;
  label: string;
  /** The team's messages this visitor's browser received (chat:message; their own come back too, for their other tabs). */
  got: ChatMessage[];
  /** chat:read seqs: an agent read up to there. */
  reads: number[];
  say(text: string): Promise<ChatMessage>;
}

describe('live chat in the dashboard', () => {
  let app: AppProcess;
  let browser: Browser;
  let demo: Awaited<ReturnType<typeof loginDemo>>;
  let agentCtx: BrowserContext;
  let agent: Page;
  const visitors: VisitorSocket[] = [];
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ PRESENCE_GRACE_MS: '1500' }), launchBrowser(MEDIA_ARGS)]);
    demo = await loginDemo(app.url);
    agentCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await agentCtx.addInitScript(AGENT_INIT);
    agent = await openDemoLivePage(agentCtx, app.url);
    agent.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  afterEach(async () => {
    for (const s of visitors.splice(0)) s.disconnect();
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    await agent.unrouteAll().catch(() => {});
    await agent.evaluate(() => ((window as unknown as { __blip: boolean }).__blip = false)).catch(() => {});
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const ask = <T extends object>(s: VisitorSocket, event: string, payload: unknown): Promise<Ack<T>> =>
    (s as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<T>> } }).timeout(5000).emitWithAck(event, payload);

  /** A visitor of the Demo Store, online on `path`, with the chat events their browser receives. */
  async function newVisitor(path = '/', name?: string): Promise<Visitor> {
    const auth = handshake({ page: { url: `${app.demoUrl}${path}`, title: `Lumen Lamps ${path}` } });
    const s = visitorSocket(app.url, { key: demo.publicKey, origin: app.demoUrl, auth });
    visitors.push(s);
    const got: ChatMessage[] = [];
    const reads: number[] = [];
    s.on('chat:message', (m) => {
      if (m.from === 'agent') got.push(m);
    });
    s.on('chat:read', (p) => reads.push(p.seq));
    await connected(s);
    if (name) s.emit('visitor:identify', { name, attributes: {} });
    return {
      s,
      id: auth.visitorId,
      label: name ?? friendlyName(auth.visitorId),
      got,
      reads,
      async say(text: string) {
        const r = await ask<{ message: ChatMessage }>(s, 'chat:send', { id: randomUUID(), text });
        if (!r.ok) throw new Error(`visitor message refused: ${r.code}`);
        return r.message;
      },
    };
  }

  const row = (p: Page, conversationId: string) => p.locator(`[data-testid=conversation-row][data-conversation-id="${conversationId}"]`);
  const navBadge = (p: Page) => p.locator('[data-testid=nav-unread]');
  const unreadIn = async (p: Page, conversationId: string) => {
    const badge = row(p, conversationId).locator('[data-testid=conversation-unread]');
    return (await badge.count()) ? (await badge.innerText()).trim() : '';
  };
  const agentMessages = (p: Page) => p.locator('[data-testid=message][data-from=agent] [data-testid=message-text]');
  const visitorMessages = (p: Page) => p.locator('[data-testid=message][data-from=visitor] [data-testid=message-text]');

  async function gotoInbox(p: Page = agent) {
    // Through the nav, as a person does (a client-side navigation: the socket stays).
    await p.locator('header.topbar a[href="/conversations"]').click();
    await p.waitForURL(/\/conversations(\?.*)?$/);
    await p.locator('[data-testid=inbox]').waitFor();
  }

  async function openConversation(conversationId: string, p: Page = agent) {
    await row(p, conversationId).click();
    await p.waitForURL(new RegExp(`/conversations/${conversationId}`));
    await p.locator(`[data-testid=conversation][data-conversation-id="${conversationId}"]`).waitFor();
  }

  async function reply(text: string, p: Page = agent) {
    await p.locator('[data-testid=composer-input]').fill(text);
    await p.locator('[data-testid=composer-input]').press('Enter');
  }

  it('a visitor’s message shows up live in the inbox with an unread count, in the tab title and the nav badge; opening it marks it read', async () => {
    await gotoInbox();
    expect(await agent.title()).not.toMatch(/^\(\d+\)/);
    const v = await newVisitor('/pricing');
    const first = await v.say('Hi! Do you ship to Ireland?');
    const id = first.conversationId;

    // Live, without a reload: the row with the visitor's friendly name, the message, one unread.
    await expect.poll(() => row(agent, id).count(), POLL).toBe(1);
    expect(await row(agent, id).locator('[data-testid=conversation-name]').innerText()).toBe(v.label);
    expect(await row(agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('Do you ship to Ireland?');
    await expect.poll(() => unreadIn(agent, id), POLL).toBe('1');
    await expect.poll(() => agent.title(), POLL).toMatch(/^\(1\) .*Porchlight/);
    await expect.poll(() => navBadge(agent).innerText(), POLL).toBe('1');

    await v.say('And how long does it take?');
    await expect.poll(() => unreadIn(agent, id), POLL).toBe('2');
    await expect.poll(() => agent.title(), POLL).toMatch(/^\(2\) /);
    await expect.poll(() => navBadge(agent).innerText(), POLL).toBe('2');
    expect(await row(agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('how long does it take');

    // Opening it shows the thread and marks it read: counts go, the visitor learns it was read.
    await openConversation(id);
    await expect.poll(() => visitorMessages(agent).allInnerTexts(), POLL).toEqual(['Hi! Do you ship to Ireland?', 'And how long does it take?']);
    await expect.poll(() => unreadIn(agent, id), POLL).toBe('');
    await expect.poll(() => agent.title(), POLL).not.toMatch(/^\(\d+\)/);
    await expect.poll(() => navBadge(agent).count(), POLL).toBe(0);
    await expect.poll(() => v.reads.at(-1), POLL).toBe(2);
    expect(await agent.locator('[data-testid=conversation-title]').innerText()).toBe(v.label);
    await expect.poll(() => agent.locator('[data-testid=chat-visitor] [data-testid=visitor-current-page]').innerText(), POLL).toContain('/pricing');

    // A new message while the agent reads the thread lands in it and stays read.
    await v.say('I am in Cork.');
    await expect.poll(() => visitorMessages(agent).last().innerText(), POLL).toBe('I am in Cork.');
    await expect.poll(() => v.reads.at(-1), POLL).toBe(3);
    expect(await navBadge(agent).count()).toBe(0);
  });

  it('the agent answers: the visitor receives it, the agent is assigned, "Seen" follows the visitor’s read, typing and the sneak-peek draft show', async () => {
    const v = await newVisitor('/products/aurora');
    const first = await v.say('Is the Aurora lamp dimmable?');
    const id = first.conversationId;
    await gotoInbox();
    await openConversation(id);
    await expect.poll(() => agent.locator('[data-testid=conversation-assignee]').innerText(), POLL).toBe('Unassigned');

    await reply('Yes, fully dimmable.');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toContain('Yes, fully dimmable.');
    await expect.poll(() => agentMessages(agent).allInnerTexts(), POLL).toEqual(['Yes, fully dimmable.']);
    expect(await agent.locator('[data-testid=message-pending]').count()).toBe(0);
    // The first agent to reply is assigned; the list row says so too.
    await expect.poll(() => agent.locator('[data-testid=conversation-assignee]').innerText(), POLL).toBe('Assigned to you');
    await expect.poll(() => row(agent, id).innerText(), POLL).toContain('Assigned to you');
    expect(await row(agent, id).locator('[data-testid=conversation-preview]').innerText()).toBe('You: Yes, fully dimmable.');

    // Shift+Enter is a new line, Enter sends.
    const box = agent.locator('[data-testid=composer-input]');
    await box.click();
    await box.pressSequentially('Two lines:');
    await box.press('Shift+Enter');
    await box.pressSequentially('the second one.');
    expect(v.got.map((m) => m.text)).not.toContain('Two lines:\nthe second one.');
    await box.press('Enter');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toContain('Two lines:\nthe second one.');
    expect(await box.inputValue()).toBe('');

    // Not seen yet; the visitor reads: "Seen" under the agent's last message they read.
    expect(await agent.locator('[data-testid=message-seen]').count()).toBe(0);
    const answer = v.got.find((m) => m.text === 'Yes, fully dimmable.')!;
    await ask(v.s, 'chat:read', { seq: answer.seq });
    await expect.poll(() => agent.locator('[data-testid=message-seen]').count(), POLL).toBe(1);
    const seenUnder = agent.locator('[data-testid=message]', { has: agent.locator('[data-testid=message-seen]') });
    expect(await seenUnder.locator('[data-testid=message-text]').innerText()).toBe('Yes, fully dimmable.');
    const last = v.got.at(-1)!;
    await ask(v.s, 'chat:read', { seq: last.seq });
    await expect.poll(() => seenUnder.locator('[data-testid=message-text]').innerText(), POLL).toBe('Two lines:\nthe second one.');

    // The visitor types: the indicator, and their draft in italics (the demo site allows sneak peek).
    await ask(v.s, 'chat:typing', { typing: true, text: 'how much is the' });
    await expect.poll(() => agent.locator('[data-testid=typing-indicator]').innerText(), POLL).toContain(`${v.label} is typing`);
    await expect.poll(() => agent.locator('[data-testid=sneak-peek]').innerText(), POLL).toContain('how much is the');
    expect(await agent.locator('[data-testid=sneak-peek]').evaluate((el) => getComputedStyle(el).fontStyle)).toBe('italic');
    await ask(v.s, 'chat:typing', { typing: true, text: 'how much is the shipping' });
    await expect.poll(() => agent.locator('[data-testid=sneak-peek]').innerText(), POLL).toContain('how much is the shipping');
    await ask(v.s, 'chat:typing', { typing: false });
    await expect.poll(() => agent.locator('[data-testid=typing-indicator]').count(), POLL).toBe(0);
    // The list shows it too while it lasts.
    await ask(v.s, 'chat:typing', { typing: true, text: 'x' });
    await expect.poll(() => row(agent, id).innerText(), POLL).toContain('typing');
    await v.say('How much is shipping to Cork?');
    await expect.poll(() => agent.locator('[data-testid=typing-indicator]').count(), POLL).toBe(0);
    await expect.poll(() => visitorMessages(agent).last().innerText(), POLL).toBe('How much is shipping to Cork?');
  });

  it('caps a reply at 5000 characters with a counter beside it', async () => {
    const v = await newVisitor();
    const id = (await v.say('hello')).conversationId;
    await gotoInbox();
    await openConversation(id);
    const box = agent.locator('[data-testid=composer-input]');
    await box.fill('x'.repeat(4990));
    expect(await agent.locator('[data-testid=composer-count]').innerText()).toBe('4,990 / 5,000');
    await box.press('End');
    await box.pressSequentially('y'.repeat(15));
    expect((await box.inputValue()).length).toBe(5000);
    expect(await agent.locator('[data-testid=composer-count]').innerText()).toBe('5,000 / 5,000');
    await box.press('Enter');
    await expect.poll(() => v.got.at(-1)?.text.length, POLL).toBe(5000);
  });

  it('close and reopen: the thread says who did it, the list moves it between Open and Closed', async () => {
    const v = await newVisitor();
    const id = (await v.say('Thanks, that is all!')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await agent.locator('[data-testid=conversation-close]').click();
    await expect.poll(() => agent.locator('[data-testid=conversation]').getAttribute('data-status'), POLL).toBe('closed');
    await expect.poll(() => agent.locator('[data-testid=system-line][data-event=closed]').innerText(), POLL).toContain('You closed the conversation');
    expect(await agent.locator('[data-testid=composer-closed]').isVisible()).toBe(true);
    expect(await agent.locator('[data-testid=composer-input]').count()).toBe(0);

    // Closed: the Closed tab lists it, the Open tab no longer does.
    await gotoInbox(); // the list with no conversation open
    await agent.locator('[data-testid=inbox-status-closed]').click();
    expect(agent.url()).toMatch(/[?&]status=closed/);
    await expect.poll(() => row(agent, id).count(), POLL).toBe(1);
    expect(await row(agent, id).innerText()).toContain('Closed');
    await agent.locator('[data-testid=inbox-status-open]').click();
    await expect.poll(() => row(agent, id).count(), POLL).toBe(0);

    await agent.locator('[data-testid=inbox-status-closed]').click();
    await openConversation(id);
    await agent.locator('[data-testid=conversation-reopen]').click();
    await expect.poll(() => agent.locator('[data-testid=conversation]').getAttribute('data-status'), POLL).toBe('open');
    await expect.poll(() => agent.locator('[data-testid=system-line][data-event=reopened]').innerText(), POLL).toContain('You reopened the conversation');
    expect(await agent.locator('[data-testid=composer-input]').isVisible()).toBe(true);
    await agent.locator('[data-testid=inbox-status-open]').click();
    await expect.poll(() => row(agent, id).count(), POLL).toBe(1);
  });

  it('proactive chat from a live-table row: the visitor receives the agent’s first message; the row shows the chat and the chat filter finds it', async () => {
    const v = await newVisitor('/contact');
    await agent.goto(`${app.url}/sites/${demo.siteId}`);
    const liveRow = agent.locator(`[data-testid=visitor-row][data-visitor-id="${v.id}"]`);
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    expect(await liveRow.locator('[data-testid=row-chat]').count()).toBe(0);

    await liveRow.locator('[data-testid=chat-button]').click();
    await agent.waitForURL(/\/conversations\/[0-9a-f-]{36}/);
    const id = /\/conversations\/([0-9a-f-]{36})/.exec(agent.url())![1]!;
    await agent.locator('[data-testid=thread-empty]').waitFor();
    expect(await agent.locator('[data-testid=conversation-presence]').innerText()).toContain('/contact');
    await reply('Hi! Anything I can help you find?');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toEqual(['Hi! Anything I can help you find?']);
    expect(v.got[0]!.conversationId).toBe(id);

    // Back on the live table: the row says who is chatting, and the chat filter finds it.
    await agent.goBack();
    await agent.waitForURL(new RegExp(`/sites/${demo.siteId}$`));
    await expect.poll(async () => (await liveRow.locator('[data-testid=row-chat]').textContent())?.trim(), POLL).toBe('Chatting with Demo Owner');
    await agent.selectOption('[data-testid=filter-chat]', 'none');
    await expect.poll(() => liveRow.count(), POLL).toBe(0);
    expect(agent.url()).toMatch(/[?&]chat=none/);
    await agent.selectOption('[data-testid=filter-chat]', 'active');
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    await agent.selectOption('[data-testid=filter-chat]', 'unread');
    await expect.poll(() => liveRow.count(), POLL).toBe(0);
    await v.say('Yes, the lamp in blue?');
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    await expect.poll(() => liveRow.locator('[data-testid=row-chat]').textContent(), POLL).toContain('Chat · 1 unread');
    await agent.selectOption('[data-testid=filter-chat]', '');

    // The row's button now opens that same conversation.
    await liveRow.locator('[data-testid=chat-button]').click();
    await agent.waitForURL(new RegExp(`/conversations/${id}`));
    await expect.poll(() => visitorMessages(agent).allInnerTexts(), POLL).toEqual(['Yes, the lamp in blue?']);
  });

  it('a call request in the thread has a one-click Call that rings the visitor through the existing call flow', async () => {
    const v = await newVisitor('/pricing');
    const id = (await v.say('Could we talk?')).conversationId;
    const invites: unknown[] = [];
    v.s.on('call:invite', (i) => invites.push(i));
    const req = await ask<{ message: ChatMessage }>(v.s, 'chat:request-call', { id: randomUUID() });
    expect(req.ok).toBe(true);
    await gotoInbox();
    await openConversation(id);
    await expect.poll(() => agent.locator('[data-testid=system-line][data-event=call_requested]').innerText(), POLL).toContain(`${v.label} asked for a video call`);
    await agent.locator('[data-testid=call-request-button]').click();
    await expect.poll(() => invites.length, POLL).toBe(1);
    await expect.poll(() => agent.locator('[data-testid=call-dock]').getAttribute('data-phase'), POLL).toBe('ringing');
    await agent.locator('[data-testid=call-cancel]').click();
    await expect
      .poll(async () => {
        if (await agent.locator('[data-testid=call-close]').count()) await agent.locator('[data-testid=call-close]').click();
        return agent.locator('[data-testid=call-dock]').count();
      }, POLL)
      .toBe(0);
  });

  it('renders HTML in a visitor’s message as inert text, with only http(s) links clickable', async () => {
    const v = await newVisitor();
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> see https://example.com/a?b=1 or javascript:alert(1)';
    const id = (await v.say(evil)).conversationId;
    await gotoInbox();
    await expect.poll(() => row(agent, id).count(), POLL).toBe(1);
    expect(await row(agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('<img src=x');
    await openConversation(id);
    const text = visitorMessages(agent).first();
    await expect.poll(() => text.textContent(), POLL).toBe(evil);
    expect(await text.locator('img, script, b').count()).toBe(0);
    const links = await text.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })));
    expect(links).toEqual([{ href: 'https://example.com/a?b=1', target: '_blank', rel: 'noopener noreferrer nofollow' }]);
    expect(await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await agent.locator('[data-testid=conversation-close]').click(); // leaves the inbox tidy for the next tests
  });

  it('alerts with a desktop notification and a chime when a visitor writes while the agent is on another page; a click opens the conversation; mute silences both', async () => {
    await gotoInbox();
    // Permission is asked from a click only.
    const notes = () => agent.evaluate(() => (window as unknown as { __notes: Notes[] }).__notes.map((n) => ({ title: n.title, body: n.body })));
    const chimes = () => agent.evaluate(() => (window as unknown as { __oscillators: number }).__oscillators);
    expect(await agent.evaluate(() => (window as unknown as { __notifyPermission: string }).__notifyPermission)).toBe('default');
    await agent.locator('[data-testid=enable-notifications]').click();
    await expect.poll(() => agent.locator('[data-testid=notify-banner]').count(), POLL).toBe(0);

    // The agent is on another dashboard page.
    await agent.goto(`${app.url}/sites/${demo.siteId}`);
    const before = (await notes()).length;
    const chimesBefore = await chimes();
    const v = await newVisitor('/pricing', 'Olivia Byrne');
    // The freshly loaded page's socket is up and live (else the message would come before it).
    await expect.poll(() => agent.locator(`[data-testid=visitor-row][data-visitor-id="${v.id}"]`).count(), POLL).toBe(1);
    const m = await v.say('Is anyone there?');
    await expect.poll(async () => (await notes()).slice(before), POLL).toEqual([{ title: 'Olivia Byrne', body: 'Is anyone there?' }]);
    await expect.poll(chimes, POLL).toBeGreaterThan(chimesBefore);

    // Clicking the notification opens that conversation.
    await agent.evaluate(() => {
      const list = (window as unknown as { __notes: { onclick: (() => void) | null }[] }).__notes;
      list[list.length - 1]!.onclick?.();
    });
    await agent.waitForURL(new RegExp(`/conversations/${m.conversationId}`));
    await expect.poll(() => visitorMessages(agent).allInnerTexts(), POLL).toEqual(['Is anyone there?']);

    // Looking at the conversation: a new message in it does not alert.
    const seenCount = (await notes()).length;
    const seenChimes = await chimes();
    await v.say('Hello?');
    await expect.poll(() => visitorMessages(agent).last().innerText(), POLL).toBe('Hello?');
    // Another conversation does.
    const w = await newVisitor('/contact');
    await w.say('Quick question');
    await expect.poll(async () => (await notes()).slice(seenCount).map((n) => n.title), POLL).toEqual([w.label]);
    expect((await notes()).slice(seenCount).map((n) => n.body)).toEqual(['Quick question']);
    expect(await chimes()).toBeGreaterThan(seenChimes);

    // Muted (remembered across reloads): no notification, no sound.
    await agent.locator('[data-testid=chat-mute]').click();
    await agent.reload();
    await expect.poll(() => agent.locator('[data-testid=chat-mute]').getAttribute('aria-pressed'), POLL).toBe('true');
    await agent.goto(`${app.url}/sites/${demo.siteId}`);
    // Connected and live, so silence below means muted, not deaf.
    await expect.poll(() => agent.locator(`[data-testid=visitor-row][data-visitor-id="${w.id}"]`).count(), POLL).toBe(1);
    const mutedNotes = (await notes()).length;
    const mutedChimes = await chimes();
    await w.say('Still there?');
    await gotoInbox();
    await expect.poll(() => agent.locator('[data-testid=conversation-row]').filter({ hasText: 'Still there?' }).count(), POLL).toBe(1);
    expect((await notes()).length).toBe(mutedNotes);
    expect(await chimes()).toBe(mutedChimes);
    await agent.locator('[data-testid=chat-mute]').click();
    expect(await agent.locator('[data-testid=chat-mute]').getAttribute('aria-pressed')).toBe('false');
  });

  it('a reply typed while the connection is down shows "Sending…" and goes out once, with its id, after the reconnect; what the visitor wrote meanwhile appears', async () => {
    const v = await newVisitor();
    const id = (await v.say('Are you still there?')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await expect.poll(() => visitorMessages(agent).count(), POLL).toBe(1);

    // The network goes away (both transports), and the socket notices.
    await agent.route((url) => url.pathname.startsWith('/socket.io/'), (r) => r.abort());
    await agent.evaluate(() => {
      const w = window as unknown as { __blip: boolean; __sockets: WebSocket[] };
      w.__blip = true;
      for (const s of w.__sockets) s.close();
    });
    await expect.poll(() => agent.locator('[data-testid=composer-offline]').count(), POLL).toBe(1);
    await reply('Yes! Sorry, my connection dropped.');
    await expect.poll(() => agent.locator('[data-testid=message-pending]').count(), POLL).toBe(1);
    expect(await agent.locator('[data-testid=message-pending] [data-testid=message-status]').innerText()).toMatch(/waiting for connection/i);
    await v.say('Hello??');

    // Back online: the outbox is sent, the thread catches up after the last seq it held.
    await agent.unrouteAll();
    await agent.evaluate(() => ((window as unknown as { __blip: boolean }).__blip = false));
    await expect.poll(() => v.got.map((m) => m.text), { timeout: 15_000 }).toEqual(['Yes! Sorry, my connection dropped.']);
    await expect.poll(() => agent.locator('[data-testid=message-pending]').count(), POLL).toBe(0);
    await expect.poll(() => visitorMessages(agent).allInnerTexts(), POLL).toEqual(['Are you still there?', 'Hello??']);
    expect(await agentMessages(agent).allInnerTexts()).toEqual(['Yes! Sorry, my connection dropped.']);
    // Stored once, whatever the number of attempts.
    const page = await ask<ChatPage>(v.s, 'chat:sync', { after: 0 });
    expect(page.ok && page.messages.filter((m) => m.from === 'agent').map((m) => m.text)).toEqual(['Yes! Sorry, my connection dropped.']);
  });

  it('the inbox on a 375 px phone: the list, then the conversation full width with a back button', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    contexts.push(ctx);
    const phone = await openDemoLivePage(ctx, app.url);
    const v = await newVisitor('/', 'Sam Phone');
    const id = (await v.say('Hi from my phone')).conversationId;
    await phone.goto(`${app.url}/conversations`);
    await expect.poll(() => row(phone, id).count(), POLL).toBe(1);
    expect(await phone.locator('[data-testid=conversation-none]').isVisible()).toBe(false);
    const fits = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);
    const rowBox = await row(phone, id).boundingBox();
    expect(rowBox!.width).toBeGreaterThan(330);

    await row(phone, id).tap();
    await phone.waitForURL(new RegExp(`/conversations/${id}`));
    await expect.poll(() => visitorMessages(phone).allInnerTexts(), POLL).toEqual(['Hi from my phone']);
    expect(await phone.locator('[data-testid=conversation-list]').isVisible()).toBe(false);
    const composer = await phone.locator('[data-testid=composer-input]').boundingBox();
    expect(composer!.width).toBeGreaterThan(300);
    expect(composer!.y + composer!.height).toBeLessThanOrEqual(740);
    expect(await fits()).toBe(true);
    await reply('Hello Sam!', phone);
    await expect.poll(() => v.got.map((m) => m.text), POLL).toEqual(['Hello Sam!']);

    // The visitor's details open over the conversation and close again.
    await phone.locator('[data-testid=conversation-info]').tap();
    await expect.poll(() => phone.locator('[data-testid=chat-visitor]').isVisible(), POLL).toBe(true);
    await phone.locator('[data-testid=chat-visitor] .convo-context-close').tap();
    await expect.poll(() => phone.locator('[data-testid=chat-visitor]').isVisible(), POLL).toBe(false);

    await phone.locator('[data-testid=conversation-back]').tap();
    await phone.waitForURL(/\/conversations(\?.*)?$/);
    await expect.poll(() => phone.locator('[data-testid=conversation-list]').isVisible(), POLL).toBe(true);
  });

  it('site settings: the chat greeting and sneak peek are saved, and apply to visitors and the dashboard at once', async () => {
    await agent.goto(`${app.url}/sites/${demo.siteId}/settings`);
    const form = agent.locator('[data-testid=site-form]');
    const greeting = form.locator('textarea[name=chatGreeting]');
    const sneak = form.locator('input[name=chatSneakPeek]');
    expect(await sneak.isChecked()).toBe(true);
    await greeting.fill('  Hello from Lumen Lamps! Ask us about shipping.  ');
    expect(await agent.locator('[data-testid=greeting-count]').innerText()).toBe('50 / 500');
    await sneak.uncheck();
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.alert-success').count(), POLL).toBe(1);
    // Stored (trimmed): a reload shows it, and a visitor's chat panel gets it.
    await agent.reload();
    await expect.poll(() => agent.locator('textarea[name=chatGreeting]').inputValue(), POLL).toBe('Hello from Lumen Lamps! Ask us about shipping.');
    expect(await agent.locator('input[name=chatSneakPeek]').isChecked()).toBe(false);
    const v = await newVisitor('/pricing');
    const hello = await ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {});
    expect(hello.ok && { greeting: hello.chat.greeting, sneakPeek: hello.chat.sneakPeek }).toEqual({ greeting: 'Hello from Lumen Lamps! Ask us about shipping.', sneakPeek: false });

    // Sneak peek off: the agent sees that the visitor types, never what.
    const id = (await v.say('Hi')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await ask(v.s, 'chat:typing', { typing: true, text: 'my card number is' });
    await expect.poll(() => agent.locator('[data-testid=typing-indicator]').innerText(), POLL).toContain(`${v.label} is typing`);
    expect(await agent.locator('[data-testid=sneak-peek]').count()).toBe(0);
    expect(await agent.locator('[data-testid=typing-indicator]').innerText()).not.toContain('card number');

    // Back to the defaults for whoever comes next.
    await agent.goto(`${app.url}/sites/${demo.siteId}/settings`);
    await agent.locator('input[name=chatSneakPeek]').check();
    await agent.locator('[data-testid=site-form] button[type=submit]').click();
    await expect.poll(() => agent.locator('[data-testid=site-form] .alert-success').count(), POLL).toBe(1);
  });
});
