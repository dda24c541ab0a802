// Live chat, the agent's side, in headless Chromium (see chat-dashboard.test.ts), from the rest of
// the dashboard: proactive chat from the live table, a call request's one-click Call, the desktop
// notification and the chime while the agent is on another page, and the site's chat settings.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, VisitorChatInfo } from '../../server/protocol';
import { ChatDashboardSession, POLL, visitorMessages, type Notes } from '../support/chat-dashboard';
import { ask } from '../support/server';

describe('live chat in the dashboard', () => {
  const session = new ChatDashboardSession();
  const { newVisitor, gotoInbox, openConversation, reply } = session;

  it('proactive chat from a live-table row: the visitor receives the agent’s first message; the row shows the chat and the chat filter finds it', async () => {
    const v = await newVisitor('/contact');
    await session.agent.goto(`${session.app.url}/sites/${session.demo.siteId}`);
    const liveRow = session.agent.locator(`[data-testid=visitor-row][data-visitor-id="${v.id}"]`);
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    expect(await liveRow.locator('[data-testid=row-chat]').count()).toBe(0);

    await liveRow.locator('[data-testid=chat-button]').click();
    await session.agent.waitForURL(/\/conversations\/[0-9a-f-]{36}/);
    const id = /\/conversations\/([0-9a-f-]{36})/.exec(session.agent.url())![1]!;
    await session.agent.locator('[data-testid=thread-empty]').waitFor();
    expect(await session.agent.locator('[data-testid=conversation-presence]').innerText()).toContain('/contact');
    await reply('Hi! Anything I can help you find?');
    await expect.poll(() => v.got.map((m) => m.text), POLL).toEqual(['Hi! Anything I can help you find?']);
    expect(v.got[0]!.conversationId).toBe(id);

    // Back on the live table: the row says who is chatting, and the chat filter finds it.
    await session.agent.goBack();
    await session.agent.waitForURL(new RegExp(`/sites/${session.demo.siteId}$`));
    await expect.poll(async () => (await liveRow.locator('[data-testid=row-chat]').textContent())?.trim(), POLL).toBe('Chatting with Demo Owner');
    await session.agent.selectOption('[data-testid=filter-chat]', 'none');
    await expect.poll(() => liveRow.count(), POLL).toBe(0);
    expect(session.agent.url()).toMatch(/[?&]chat=none/);
    await session.agent.selectOption('[data-testid=filter-chat]', 'active');
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    await session.agent.selectOption('[data-testid=filter-chat]', 'unread');
    await expect.poll(() => liveRow.count(), POLL).toBe(0);
    await v.say('Yes, the lamp in blue?');
    await expect.poll(() => liveRow.count(), POLL).toBe(1);
    await expect.poll(() => liveRow.locator('[data-testid=row-chat]').textContent(), POLL).toContain('Chat · 1 unread');
    await session.agent.selectOption('[data-testid=filter-chat]', '');

    // The row's button now opens that same conversation.
    await liveRow.locator('[data-testid=chat-button]').click();
    await session.agent.waitForURL(new RegExp(`/conversations/${id}`));
    await expect.poll(() => visitorMessages(session.agent).allInnerTexts(), POLL).toEqual(['Yes, the lamp in blue?']);
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
    await expect.poll(() => session.agent.locator('[data-testid=system-line][data-event=call_requested]').innerText(), POLL).toContain(`${v.label} asked for a video call`);
    await session.agent.locator('[data-testid=call-request-button]').click();
    await expect.poll(() => invites.length, POLL).toBe(1);
    await expect.poll(() => session.agent.locator('[data-testid=call-dock]').getAttribute('data-phase'), POLL).toBe('ringing');
    await session.agent.locator('[data-testid=call-cancel]').click();
    await expect
      .poll(async () => {
        if (await session.agent.locator('[data-testid=call-close]').count()) await session.agent.locator('[data-testid=call-close]').click();
        return session.agent.locator('[data-testid=call-dock]').count();
      }, POLL)
      .toBe(0);
  });

  it('alerts with a desktop notification and a chime when a visitor writes while the agent is on another page; a click opens the conversation; mute silences both', async () => {
    await gotoInbox();
    // Permission is asked from a click only.
    const notes = () => session.agent.evaluate(() => (window as unknown as { __notes: Notes[] }).__notes.map((n) => ({ title: n.title, body: n.body })));
    const chimes = () => session.agent.evaluate(() => (window as unknown as { __oscillators: number }).__oscillators);
    expect(await session.agent.evaluate(() => (window as unknown as { __notifyPermission: string }).__notifyPermission)).toBe('default');
    await session.agent.locator('[data-testid=enable-notifications]').click();
    await expect.poll(() => session.agent.locator('[data-testid=notify-banner]').count(), POLL).toBe(0);

    // The agent is on another dashboard page.
    await session.agent.goto(`${session.app.url}/sites/${session.demo.siteId}`);
    const before = (await notes()).length;
    const chimesBefore = await chimes();
    const v = await newVisitor('/pricing', 'Olivia Byrne');
    // The freshly loaded page's socket is up and live (else the message would come before it).
    await expect.poll(() => session.agent.locator(`[data-testid=visitor-row][data-visitor-id="${v.id}"]`).count(), POLL).toBe(1);
    const m = await v.say('Is anyone there?');
    await expect.poll(async () => (await notes()).slice(before), POLL).toEqual([{ title: 'Olivia Byrne', body: 'Is anyone there?' }]);
    await expect.poll(chimes, POLL).toBeGreaterThan(chimesBefore);

    // Clicking the notification opens that conversation.
    await session.agent.evaluate(() => {
      const list = (window as unknown as { __notes: { onclick: (() => void) | null }[] }).__notes;
      list[list.length - 1]!.onclick?.();
    });
    await session.agent.waitForURL(new RegExp(`/conversations/${m.conversationId}`));
    await expect.poll(() => visitorMessages(session.agent).allInnerTexts(), POLL).toEqual(['Is anyone there?']);

    // Looking at the conversation: a new message in it does not alert.
    const seenCount = (await notes()).length;
    const seenChimes = await chimes();
    await v.say('Hello?');
    await expect.poll(() => visitorMessages(session.agent).last().innerText(), POLL).toBe('Hello?');
    // Another conversation does.
    const w = await newVisitor('/contact');
    await w.say('Quick question');
    await expect.poll(async () => (await notes()).slice(seenCount).map((n) => n.title), POLL).toEqual([w.label]);
    expect((await notes()).slice(seenCount).map((n) => n.body)).toEqual(['Quick question']);
    expect(await chimes()).toBeGreaterThan(seenChimes);

    // Muted (remembered across reloads): no notification, no sound.
    await session.agent.locator('[data-testid=chat-mute]').click();
    await session.agent.reload();
    await expect.poll(() => session.agent.locator('[data-testid=chat-mute]').getAttribute('aria-pressed'), POLL).toBe('true');
    await session.agent.goto(`${session.app.url}/sites/${session.demo.siteId}`);
    // Connected and live, so silence below means muted, not deaf.
    await expect.poll(() => session.agent.locator(`[data-testid=visitor-row][data-visitor-id="${w.id}"]`).count(), POLL).toBe(1);
    const mutedNotes = (await notes()).length;
    const mutedChimes = await chimes();
    await w.say('Still there?');
    await gotoInbox();
    await expect.poll(() => session.agent.locator('[data-testid=conversation-row]').filter({ hasText: 'Still there?' }).count(), POLL).toBe(1);
    expect((await notes()).length).toBe(mutedNotes);
    expect(await chimes()).toBe(mutedChimes);
    await session.agent.locator('[data-testid=chat-mute]').click();
    expect(await session.agent.locator('[data-testid=chat-mute]').getAttribute('aria-pressed')).toBe('false');
  });

  it('site settings: the chat greeting and sneak peek are saved, and apply to visitors and the dashboard at once', async () => {
    await session.agent.goto(`${session.app.url}/sites/${session.demo.siteId}/settings`);
    const form = session.agent.locator('[data-testid=site-form]');
    const greeting = form.locator('textarea[name=chatGreeting]');
    const sneak = form.locator('input[name=chatSneakPeek]');
    expect(await sneak.isChecked()).toBe(true);
    await greeting.fill('  Hello from Lumen Lamps! Ask us about shipping.  ');
    expect(await session.agent.locator('[data-testid=greeting-count]').innerText()).toBe('50 / 500');
    await sneak.uncheck();
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.alert-success').count(), POLL).toBe(1);
    // Stored (trimmed): a reload shows it, and a visitor's chat panel gets it.
    await session.agent.reload();
    await expect.poll(() => session.agent.locator('textarea[name=chatGreeting]').inputValue(), POLL).toBe('Hello from Lumen Lamps! Ask us about shipping.');
    expect(await session.agent.locator('input[name=chatSneakPeek]').isChecked()).toBe(false);
    const v = await newVisitor('/pricing');
    const hello = await ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {});
    expect(hello.ok && { greeting: hello.chat.greeting, sneakPeek: hello.chat.sneakPeek }).toEqual({ greeting: 'Hello from Lumen Lamps! Ask us about shipping.', sneakPeek: false });

    // Sneak peek off: the agent sees that the visitor types, never what.
    const id = (await v.say('Hi')).conversationId;
    await gotoInbox();
    await openConversation(id);
    await ask(v.s, 'chat:typing', { typing: true, text: 'my card number is' });
    await expect.poll(() => session.agent.locator('[data-testid=typing-indicator]').innerText(), POLL).toContain(`${v.label} is typing`);
    expect(await session.agent.locator('[data-testid=sneak-peek]').count()).toBe(0);
    expect(await session.agent.locator('[data-testid=typing-indicator]').innerText()).not.toContain('card number');

    // Back to the defaults for whoever comes next.
    await session.agent.goto(`${session.app.url}/sites/${session.demo.siteId}/settings`);
    await session.agent.locator('input[name=chatSneakPeek]').check();
    await session.agent.locator('[data-testid=site-form] button[type=submit]').click();
    await expect.poll(() => session.agent.locator('[data-testid=site-form] .alert-success').count(), POLL).toBe(1);
  });
});
