// Live chat, the agent's side, in headless Chromium: the product runs as `npm start` runs it, the
// agent logs in through the login form, and visitors are real socket.io clients of the Demo
// Store (what the chat widget sends, without its UI). What is asserted is what an agent notices
// in the inbox and a thread: the unread count in the title and the nav, the thread, "Seen",
// typing and its sneak peek, assignment, close/reopen, a message typed during a network blip, and
// the inbox on a phone. Proactive chat from the live table, a call request, the desktop
// notification and the chime, and the site's chat settings are in chat-dashboard-site.test.ts.
import { describe, expect, it } from 'vitest';
import type { ChatPage } from '../../server/protocol';
import { openDemoLivePage } from '../support/demo';
import { agentMessages, ChatDashboardSession, navBadge, POLL, row, unreadIn, visitorMessages } from '../support/chat-dashboard';
import { ask } from '../support/server';

describe('live chat in the dashboard', () => {
  const session = new ChatDashboardSession();
  const { newVisitor, gotoInbox, openConversation, reply } = session;

  it('a visitor’s message shows up live in the inbox with an unread count, in the tab title and the nav badge; opening it marks it read', async () => {
    await gotoInbox();
    expect(await session.agent.title()).not.toMatch(/^\(\d+\)/);
    const v = await newVisitor('/pricing');
    const first = await v.say('Hi! Do you ship to Ireland?');
    const id = first.conversationId;

    // Live, without a reload: the row with the visitor's friendly name, the message, one unread.
    await expect.poll(() => row(session.agent, id).count(), POLL).toBe(1);
    expect(await row(session.agent, id).locator('[data-testid=conversation-name]').innerText()).toBe(v.label);
    expect(await row(session.agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('Do you ship to Ireland?');
    await expect.poll(() => unreadIn(session.agent, id), POLL).toBe('1');
    await expect.poll(() => session.agent.title(), POLL).toMatch(/^\(1\) .*Porchlight/);
    await expect.poll(() => navBadge(session.agent).innerText(), POLL).toBe('1');

    await v.say('And how long does it take?');
    await expect.poll(() => unreadIn(session.agent, id), POLL).toBe('2');
    await expect.poll(() => session.agent.title(), POLL).toMatch(/^\(2\) /);
    await expect.poll(() => navBadge(session.agent).innerText(), POLL).toBe('2');
    expect(await row(session.agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('how long does it take');

    // Opening it shows the thread and marks it read: counts go, the visitor learns it was read.
    await openConversation(id);
    await expect.poll(() => visitorMessages(session.agent).allInnerTexts(), POLL).toEqual(['Hi! Do you ship to Ireland?', 'And how long does it take?']);
    await expect.poll(() => unreadIn(session.agent, id), POLL).toBe('');
    await expect.poll(() => session.agent.title(), POLL).not.toMatch(/^\(\d+\)/);
    await expect.poll(() => navBadge(session.agent).count(), POLL).toBe(0);
    await expect.poll(() => v.reads.at(-1), POLL).toBe(2);
    expect(await session.agent.locator('[data-testid=conversation-title]').innerText()).toBe(v.label);
    await expect.poll(() => session.agent.locator('[data-testid=chat-visitor] [data-testid=visitor-current-page]').innerText(), POLL).toContain('/pricing');

    // A new message while the agent reads the thread lands in it and stays read.
    await v.say('I am in Cork.');
    await expect.poll(() => visitorMessages(session.agent).last().innerText(), POLL).toBe('I am in Cork.');
    await expect.poll(() => v.reads.at(-1), POLL).toBe(3);
    expect(await navBadge(session.agent).count()).toBe(0);
  });

  it('the agent answers: the visitor receives it, the agent is assigned, "Seen" follows the visitor’s read, typing and the sneak-peek draft show', async () => {
    const v = await newVisitor('/products/aurora');
    const first = await v.say('Is the Aurora lamp dimmable?');
    const id = first.conversationId;
    await gotoInbox();
    await openConversation(id);
    await expect.poll(() => session.agent.locator('[data-testid=conversation-assignee]').innerText(), POLL).toBe('Unassigned');

    await reply('Yes, fully dimmable.');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toContain('Yes, fully dimmable.');
    await expect.poll(() => agentMessages(session.agent).allInnerTexts(), POLL).toEqual(['Yes, fully dimmable.']);
    expect(await session.agent.locator('[data-testid=message-pending]').count()).toBe(0);
    // The first agent to reply is assigned; the list row says so too.
    await expect.poll(() => session.agent.locator('[data-testid=conversation-assignee]').innerText(), POLL).toBe('Assigned to you');
    await expect.poll(() => row(session.agent, id).innerText(), POLL).toContain('Assigned to you');
    expect(await row(session.agent, id).locator('[data-testid=conversation-preview]').innerText()).toBe('You: Yes, fully dimmable.');

    // Shift+Enter is a new line, Enter sends.
    const box = session.agent.locator('[data-testid=composer-input]');
    await box.click();
    await box.pressSequentially('Two lines:');
    await box.press('Shift+Enter');
    await box.pressSequentially('the second one.');
    expect(v.got.map((m) => m.text)).not.toContain('Two lines:\nthe second one.');
    await box.press('Enter');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toContain('Two lines:\nthe second one.');
    expect(await box.inputValue()).toBe('');

    // Not seen yet; the visitor reads: "Seen" under the agent's last message they read.
    expect(await session.agent.locator('[data-testid=message-seen]').count()).toBe(0);
    const answer = v.got.find((m) => m.text === 'Yes, fully dimmable.')!;
    await ask(v.s, 'chat:read', { seq: answer.seq });
    await expect.poll(() => session.agent.locator('[data-testid=message-seen]').count(), POLL).toBe(1);
    const seenUnder = session.agent.locator('[data-testid=message]', { has: session.agent.locator('[data-testid=message-seen]') });
    expect(await seenUnder.locator('[data-testid=message-text]').innerText()).toBe('Yes, fully dimmable.');
    const last = v.got.at(-1)!;
    await ask(v.s, 'chat:read', { seq: last.seq });
    await expect.poll(() => seenUnder.locator('[data-testid=message-text]').innerText(), POLL).toBe('Two lines:\nthe second one.');

    // The visitor types: the indicator, and their draft in italics (the demo site allows sneak peek).
    await ask(v.s, 'chat:typing', { typing: true, text: 'how much is the' });
    await expect.poll(() => session.agent.locator('[data-testid=typing-indicator]').innerText(), POLL).toContain(`${v.label} is typing`);
    await expect.poll(() => session.agent.locator('[data-testid=sneak-peek]').innerText(), POLL).toContain('how much is the');
    expect(await session.agent.locator('[data-testid=sneak-peek]').evaluate((el) => getComputedStyle(el).fontStyle)).toBe('italic');
    await ask(v.s, 'chat:typing', { typing: true, text: 'how much is the shipping' });
    await expect.poll(() => session.agent.locator('[data-testid=sneak-peek]').innerText(), POLL).toContain('how much is the shipping');
    await ask(v.s, 'chat:typing', { typing: false });
    await expect.poll(() => session.agent.locator('[data-testid=typing-indicator]').count(), POLL).toBe(0);
    // The list shows it too while it lasts.
    await ask(v.s, 'chat:typing', { typing: true, text: 'x' });
    await expect.poll(() => row(session.agent, id).innerText(), POLL).toContain('typing');
    await v.say('How much is shipping to Cork?');
    await expect.poll(() => session.agent.locator('[data-testid=typing-indicator]').count(), POLL).toBe(0);
    await expect.poll(() => visitorMessages(session.agent).last().innerText(), POLL).toBe('How much is shipping to Cork?');
  });

  it('caps a reply at 5000 characters with a counter beside it', async () => {
    const v = await newVisitor();
    const id = (await v.say('hello')).conversationId;
    await gotoInbox();
    await openConversation(id);
    const box = session.agent.locator('[data-testid=composer-input]');
    await box.fill('x'.repeat(4990));
    expect(await session.agent.locator('[data-testid=composer-count]').innerText()).toBe('4,990 / 5,000');
    await box.press('End');
    await box.pressSequentially('y'.repeat(15));
    expect((await box.inputValue()).length).toBe(5000);
    expect(await session.agent.locator('[data-testid=composer-count]').innerText()).toBe('5,000 / 5,000');
    await box.press('Enter');
    await expect.poll(() => v.got.at(-1)?.text.length, POLL).toBe(5000);
  });

  it('close and reopen: the thread says who did it, the list moves it between Open and Closed', async () => {
    const v = await newVisitor();
    const id = (await v.say('Thanks, that is all!')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await session.agent.locator('[data-testid=conversation-close]').click();
    await expect.poll(() => session.agent.locator('[data-testid=conversation]').getAttribute('data-status'), POLL).toBe('closed');
    await expect.poll(() => session.agent.locator('[data-testid=system-line][data-event=closed]').innerText(), POLL).toContain('You closed the conversation');
    expect(await session.agent.locator('[data-testid=composer-closed]').isVisible()).toBe(true);
    expect(await session.agent.locator('[data-testid=composer-input]').count()).toBe(0);

    // Closed: the Closed tab lists it, the Open tab no longer does.
    await gotoInbox(); // the list with no conversation open
    await session.agent.locator('[data-testid=inbox-status-closed]').click();
    expect(session.agent.url()).toMatch(/[?&]status=closed/);
    await expect.poll(() => row(session.agent, id).count(), POLL).toBe(1);
    expect(await row(session.agent, id).innerText()).toContain('Closed');
    await session.agent.locator('[data-testid=inbox-status-open]').click();
    await expect.poll(() => row(session.agent, id).count(), POLL).toBe(0);

    await session.agent.locator('[data-testid=inbox-status-closed]').click();
    await openConversation(id);
    await session.agent.locator('[data-testid=conversation-reopen]').click();
    await expect.poll(() => session.agent.locator('[data-testid=conversation]').getAttribute('data-status'), POLL).toBe('open');
    await expect.poll(() => session.agent.locator('[data-testid=system-line][data-event=reopened]').innerText(), POLL).toContain('You reopened the conversation');
    expect(await session.agent.locator('[data-testid=composer-input]').isVisible()).toBe(true);
    await session.agent.locator('[data-testid=inbox-status-open]').click();
    await expect.poll(() => row(session.agent, id).count(), POLL).toBe(1);
  });

  it('renders HTML in a visitor’s message as inert text, with only http(s) links clickable', async () => {
    const v = await newVisitor();
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> see https://example.com/a?b=1 or javascript:alert(1)';
    const id = (await v.say(evil)).conversationId;
    await gotoInbox();
    await expect.poll(() => row(session.agent, id).count(), POLL).toBe(1);
    expect(await row(session.agent, id).locator('[data-testid=conversation-preview]').innerText()).toContain('<img src=x');
    await openConversation(id);
    const text = visitorMessages(session.agent).first();
    await expect.poll(() => text.textContent(), POLL).toBe(evil);
    expect(await text.locator('img, script, b').count()).toBe(0);
    const links = await text.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })));
    expect(links).toEqual([{ href: 'https://example.com/a?b=1', target: '_blank', rel: 'noopener noreferrer nofollow' }]);
    expect(await session.agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await session.agent.locator('[data-testid=conversation-close]').click(); // leaves the inbox tidy for the next tests
  });

  it('a reply typed while the connection is down shows "Sending…" and goes out once, with its id, after the reconnect; what the visitor wrote meanwhile appears', async () => {
    const v = await newVisitor();
    const id = (await v.say('Are you still there?')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await expect.poll(() => visitorMessages(session.agent).count(), POLL).toBe(1);

    // The network goes away (both transports), and the socket notices.
    await session.agent.route((url) => url.pathname.startsWith('/socket.io/'), (r) => r.abort());
    await session.agent.evaluate(() => {
      const w = window as unknown as { __blip: boolean; __sockets: WebSocket[] };
      w.__blip = true;
      for (const s of w.__sockets) s.close();
    });
    await expect.poll(() => session.agent.locator('[data-testid=composer-offline]').count(), POLL).toBe(1);
    await reply('Yes! Sorry, my connection dropped.');
    await expect.poll(() => session.agent.locator('[data-testid=message-pending]').count(), POLL).toBe(1);
    expect(await session.agent.locator('[data-testid=message-pending] [data-testid=message-status]').innerText()).toMatch(/waiting for connection/i);
    await v.say('Hello??');

    // Back online: the outbox is sent, the thread catches up after the last seq it held.
    await session.agent.unrouteAll();
    await session.agent.evaluate(() => ((window as unknown as { __blip: boolean }).__blip = false));
    await expect.poll(() => v.got.map((m) => m.text), { timeout: 15_000 }).toEqual(['Yes! Sorry, my connection dropped.']);
    await expect.poll(() => session.agent.locator('[data-testid=message-pending]').count(), POLL).toBe(0);
    await expect.poll(() => visitorMessages(session.agent).allInnerTexts(), POLL).toEqual(['Are you still there?', 'Hello??']);
    expect(await agentMessages(session.agent).allInnerTexts()).toEqual(['Yes! Sorry, my connection dropped.']);
    // Stored once, whatever the number of attempts.
    const page = await ask<ChatPage>(v.s, 'chat:sync', { after: 0 });
    expect(page.ok && page.messages.filter((m) => m.from === 'agent').map((m) => m.text)).toEqual(['Yes! Sorry, my connection dropped.']);
  });

  it('the inbox on a 375 px phone: the list, then the conversation full width with a back button', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    session.contexts.push(ctx);
    const phone = await openDemoLivePage(ctx, session.app.url);
    const v = await newVisitor('/', 'Sam Phone');
    const id = (await v.say('Hi from my phone')).conversationId;
    await phone.goto(`${session.app.url}/conversations`);
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
});
