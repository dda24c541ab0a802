// The visitor's chat widget in real headless Chromium, against the product as `npm start` runs
// it: visitors browse the demo customer site, and the agent side is a real socket.io client on
// /agent, as the dashboard would be. What is asserted is what people notice: the launcher, the
// panel, messages arriving on the other side once, typing, "Seen" and the agent's picture.
// The same widget across pages, tabs, reloads, the page API, a phone and a dropped connection is in
// chat-widget-continuity.test.ts; with nobody online and on a strict CSP, in chat-widget-offline-csp.test.ts.
import { describe, expect, it } from 'vitest';
import { loginDemo } from '../support/demo';
import { Agent, ChatWidgetSession, pictureWidth, POLL, sendFromPanel, setPicture, widget } from '../support/chat-widget';
import { png, pngDataUrl } from '../support/png';

describe('chat widget in a real browser', () => {
  const session = new ChatWidgetSession({ PRESENCE_GRACE_MS: '1500' });
  const { visitor } = session;

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
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), POLL).toEqual(['Hello!\nDo you ship to Portugal?']);
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello!\nDo you ship to Portugal?']);
    // Sent and stored: no "Sending…" left.
    await expect.poll(() => w.log.textContent(), POLL).not.toContain('Sending');

    const conversationId = session.agent.fromVisitor(id)[0]!.conversationId;
    await session.agent.send(conversationId, 'Yes, in 3-5 days. Details: https://lumen.example/shipping.');
    await expect.poll(() => w.texts(), POLL).toEqual(['Hello!\nDo you ship to Portugal?', 'Yes, in 3-5 days. Details: https://lumen.example/shipping.']);
    const link = page.locator('[data-testid=pl-chat-log] a');
    expect(await link.getAttribute('href')).toBe('https://lumen.example/shipping');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    // A video call request from the chat: a line in the thread, and the agent is told.
    await page.getByRole('button', { name: 'Request a video call' }).click();
    await expect.poll(() => w.texts(), POLL).toContain('You asked for a video call');
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.event), POLL).toEqual([null, 'call_requested']);
  });

  it('renders HTML in messages as text, both ways', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    const mine = '<img src=x onerror="window.__pwned=1"> <b>bold</b>';
    await sendFromPanel(page, mine);
    await expect.poll(() => session.agent.fromVisitor(id).map((m) => m.text), POLL).toEqual([mine]);
    const theirs = '<img src=x onerror="window.__pwned=2"><b>not bold</b><script>window.__pwned=3</script>';
    await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, theirs);
    await expect.poll(() => w.texts(), POLL).toEqual([mine, theirs]);
    expect(await page.locator('porchlight-chat img, porchlight-chat b, porchlight-chat script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('shows typing both ways: the agent sees the draft (sneak peek is on for the demo site), the visitor sees "… is typing"', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'Question coming');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    const conversationId = session.agent.fromVisitor(id)[0]!.conversationId;

    await w.input.pressSequentially('Is the Aurora dimmable');
    await expect.poll(() => session.agent.typing.filter((t) => t.conversationId === conversationId && t.typing).at(-1)?.text, POLL).toBe('Is the Aurora dimmable');
    await w.input.fill('');
    await expect.poll(() => session.agent.typing.filter((t) => t.conversationId === conversationId).at(-1)?.typing, POLL).toBe(false);

    await session.agent.socket.emitWithAck('chat:typing', { conversationId, typing: true });
    await expect.poll(() => w.typing.textContent(), POLL).toMatch(/^\S+ is typing…$/);
    await session.agent.socket.emitWithAck('chat:typing', { conversationId, typing: false });
    await expect.poll(() => w.typing.textContent(), POLL).toBe('');
  });

  it('shows "Seen" when an agent read the message, and tells the agent what the visitor read', async () => {
    const { page, id } = await visitor('/');
    const w = widget(page);
    await w.launcher.click();
    await sendFromPanel(page, 'First');
    await sendFromPanel(page, 'Second');
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(2);
    const [first, second] = session.agent.fromVisitor(id);
    await session.agent.socket.emitWithAck('chat:read', { conversationId: first!.conversationId, seq: first!.seq });
    await expect.poll(() => w.rows.nth(0).locator('.meta').textContent(), POLL).toBe('Seen');
    expect(await w.rows.nth(1).locator('.meta').textContent()).toBe('');
    await session.agent.socket.emitWithAck('chat:read', { conversationId: second!.conversationId, seq: second!.seq });
    await expect.poll(() => w.rows.nth(1).locator('.meta').textContent(), POLL).toBe('Seen');
    expect(await w.rows.nth(0).locator('.meta').textContent()).toBe('');

    // The open, visible panel reads the agent's answer at once.
    const answer = await session.agent.send(first!.conversationId, 'Got both');
    await expect.poll(() => session.agent.conversations.get(first!.conversationId)?.visitorReadSeq, POLL).toBe(answer.seq);
  });

  it("shows the agent's picture in the panel header, beside their messages and on the call card, over their initials", async () => {
    // The picture is taken when the dashboard connects: set it, then the dashboard reconnects.
    await setPicture(session.app.url, session.cookie, pngDataUrl(png(64, [220, 38, 38], [250, 204, 21])));
    session.agent.close();
    session.agent = await Agent.connect(session.app.url, session.cookie);
    const { siteId } = await loginDemo(session.app.url);
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
    await expect.poll(() => session.agent.fromVisitor(id).length, POLL).toBe(1);
    await session.agent.send(session.agent.fromVisitor(id)[0]!.conversationId, "It's me, with my picture.");
    await expect.poll(() => pictureWidth(page, '[data-testid=pl-chat-log] > .row.agent.first .av img'), POLL).toBe(64);

    const invite = await session.agent.socket.emitWithAck('call:start', { siteId, visitorId: id, video: true });
    if (!invite.ok) throw new Error(invite.code);
    await expect.poll(() => page.locator('[data-testid=pl-call]').getAttribute('data-state'), POLL).toBe('ringing');
    await expect.poll(() => pictureWidth(page, '[data-testid=pl-call] .head .avatar img'), POLL).toBe(64);
    await session.agent.socket.emitWithAck('call:cancel', { callId: invite.call.callId });

    // On a phone, on a page wider than the phone (the layout viewport grows, the screen does not),
    // the card with the picture is still on screen.
    const phone = await visitor('/pricing', { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const ring = await session.agent.socket.emitWithAck('call:start', { siteId, visitorId: phone.id, video: true });
    if (!ring.ok) throw new Error(ring.code);
    await expect.poll(() => pictureWidth(phone.page, '[data-testid=pl-call] .head .avatar img'), POLL).toBe(64);
    await expect.poll(async () => {
      const b = await phone.page.locator('[data-testid=pl-call]').boundingBox();
      return b && b.x >= 0 && b.y >= 0 && b.x + b.width <= 375 && b.y + b.height <= 667;
    }, POLL).toBe(true);
    await session.agent.socket.emitWithAck('call:cancel', { callId: ring.call.callId });
    await setPicture(session.app.url, session.cookie, null);
  });
});
