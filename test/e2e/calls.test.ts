// Video calls in real headless Chromium with a fake camera and microphone: the product runs as
// `npm start` runs it, an agent uses the dashboard, a visitor browses the demo customer site.
// What is asserted is what people notice: the invitation, video frames that move, sound that
// stops when muted, a call that ends on both sides, and camera and microphone that are released.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { openDemoLivePage } from '../support/demo';
import { instrumentMedia, mediaReport, remoteVideo, videoFramesAdvance, videoLuma, audioEnergyGrows, waitForVisitorId } from '../support/media';

const POLL = { timeout: 8000 };
// Long enough for a busy Chromium to get through the steps between the ring and the click.
const RING_MS = 8000;

describe('video calls in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let agent: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ CALL_RING_TIMEOUT_MS: String(RING_MS), PRESENCE_GRACE_MS: '1500' }), launchBrowser(MEDIA_ARGS)]);
    agent = await openAgent(browser, app.url);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  // One test's leftovers never reach the next: a call still going on (a failed assertion skips
  // the test's own hang-up) would make the agent 'busy' for every later test.
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    if (await agent.locator('[data-testid=call-hangup]').count()) await agent.locator('[data-testid=call-hangup]').click();
    else if (await agent.locator('[data-testid=call-cancel]').count()) await agent.locator('[data-testid=call-cancel]').click();
    await closeDock();
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
  });

  /** A new visitor on the demo customer site, with getUserMedia and RTCPeerConnection counted. */
  async function newVisitor(path = '/', o: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; ctx: BrowserContext; id: string }> {
    const ctx = await browser.newContext(o.viewport ? { viewport: o.viewport } : {});
    contexts.push(ctx);
    await instrumentMedia(ctx);
    const page = await ctx.newPage();
    await page.goto(`${app.demoUrl}${path}`);
    const id = await waitForVisitorId(page);
    await expect.poll(() => agent.locator(`[data-testid=visitor-row][data-visitor-id="${id}"]`).count(), POLL).toBe(1);
    return { page, ctx, id };
  }

  const dock = () => agent.locator('[data-testid=call-dock]');
  const inv = (page: Page, testid: string) => page.locator(`porchlight-call [data-testid=${testid}]`);
  const callRow = (id: string) => agent.locator(`[data-testid=visitor-row][data-visitor-id="${id}"]`);

  async function ring(id: string) {
    await callRow(id).locator('[data-testid=call-button]').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ringing');
  }

  async function closeDock() {
    if ((await dock().count()) && (await agent.locator('[data-testid=call-close]').count())) await agent.locator('[data-testid=call-close]').click();
    await expect.poll(() => dock().count(), POLL).toBe(0);
  }

  it('rings the visitor inside the page without touching their camera, and connects both ways with moving video and sound once they accept', async () => {
    const v = await newVisitor();
    await ring(v.id);
    // The invitation: who calls, from which company, three choices.
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    expect(await inv(v.page, 'pl-agent-name').textContent()).toContain('Demo Owner');
    expect(await inv(v.page, 'pl-company').textContent()).toContain('Demo Store');
    for (const b of ['pl-accept-video', 'pl-accept-audio', 'pl-decline']) expect(await inv(v.page, b).isVisible()).toBe(true);
    // Ringing shows in the live table too.
    await expect.poll(() => callRow(v.id).locator('[data-testid=row-call]').textContent(), POLL).toMatch(/ring/i);
    // Nothing asked for the camera or built a peer connection while it rang.
    await v.page.waitForTimeout(500);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0, peerConnections: 0 });

    await inv(v.page, 'pl-accept-video').click();
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('in-call');
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    const visitorMedia = await mediaReport(v.page);
    expect(visitorMedia.getUserMedia).toBe(1);
    expect(visitorMedia.firstGetUserMediaAfterAccept).toBe(true);

    // Both sides see the other's video moving, and receive an audio track that is live.
    const visitorRemote = remoteVideo('porchlight-call', 'pl-remote-video');
    const agentRemote = remoteVideo(null, 'call-remote-video');
    expect(await videoFramesAdvance(v.page, visitorRemote)).toBe(true);
    expect(await videoFramesAdvance(agent, agentRemote)).toBe(true);
    for (const [page, sel] of [[v.page, visitorRemote], [agent, agentRemote]] as const) {
      const tracks = await page.evaluate((ref) => {
        const el = (ref.host ? document.querySelector(ref.host)?.shadowRoot : document)?.querySelector(`[data-testid=${ref.testid}]`) as HTMLVideoElement | null;
        const stream = el?.srcObject as MediaStream | null;
        return { audio: stream?.getAudioTracks().map((t) => t.readyState) ?? [], video: stream?.getVideoTracks().length ?? 0, muted: el?.muted };
      }, sel);
      expect(tracks.audio).toEqual(['live']);
      expect(tracks.video).toBe(1);
      expect(tracks.muted).toBe(false);
    }
    expect(await audioEnergyGrows(agent)).toBe(true);
    expect(await audioEnergyGrows(v.page)).toBe(true);

    // The live table shows who the visitor is talking to, and the call filter finds them.
    await expect.poll(() => callRow(v.id).locator('[data-testid=row-call]').textContent(), POLL).toContain('Demo Owner');
    await agent.selectOption('[data-testid=filter-call]', 'none');
    await expect.poll(() => callRow(v.id).count(), POLL).toBe(0);
    await agent.selectOption('[data-testid=filter-call]', 'in-call');
    await expect.poll(() => callRow(v.id).count(), POLL).toBe(1);
    await agent.selectOption('[data-testid=filter-call]', '');

    // The timer runs on both sides.
    const t1 = await agent.locator('[data-testid=call-timer]').textContent();
    expect(t1).toMatch(/^\d{2}:\d{2}$/);
    await expect.poll(() => agent.locator('[data-testid=call-timer]').textContent(), POLL).not.toBe(t1);
    expect(await inv(v.page, 'pl-timer').textContent()).toMatch(/\d{2}:\d{2}/);

    // Agent mutes: the visitor stops receiving sound; unmutes: it comes back.
    await agent.locator('[data-testid=call-mute]').click();
    expect(await agent.locator('[data-testid=call-mute]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => audioEnergyGrows(v.page), POLL).toBe(false);
    await agent.locator('[data-testid=call-mute]').click();
    await expect.poll(() => audioEnergyGrows(v.page), { timeout: 10_000 }).toBe(true);

    // Visitor turns the camera off: the agent's picture goes black; on again: it comes back.
    expect(await videoLuma(agent, agentRemote)).toBeGreaterThan(20);
    await inv(v.page, 'pl-camera').click();
    expect(await inv(v.page, 'pl-camera').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => videoLuma(agent, agentRemote), POLL).toBeLessThan(8);
    await inv(v.page, 'pl-camera').click();
    await expect.poll(() => videoLuma(agent, agentRemote), POLL).toBeGreaterThan(20);

    // Quality indicator from getStats.
    await expect.poll(() => agent.locator('[data-testid=call-quality]').getAttribute('data-rtt-ms'), POLL).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(await agent.locator('[data-testid=call-quality]').getAttribute('data-kbps'))).toBeGreaterThan(0);

    // The agent hangs up: both sides end within a second, and every camera/mic track is released.
    await agent.locator('[data-testid=call-hangup]').click();
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ended');
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    await expect.poll(async () => (await mediaReport(v.page)).liveTracks, POLL).toBe(0);
    await expect.poll(async () => (await mediaReport(agent)).liveTracks, POLL).toBe(0);
    await expect.poll(async () => (await mediaReport(v.page)).openPeerConnections, POLL).toBe(0);
    await expect.poll(() => callRow(v.id).locator('[data-testid=row-call]').textContent(), POLL).toBe('');
    await closeDock();
    await v.ctx.close();
  });

  it('the visitor hanging up ends the call on both sides', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await inv(v.page, 'pl-accept-audio').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    await inv(v.page, 'pl-hangup').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    // Audio only: the visitor's browser never asked for a camera.
    const report = await mediaReport(v.page);
    expect(report.videoRequested).toBe(false);
    await expect.poll(async () => (await mediaReport(v.page)).liveTracks, POLL).toBe(0);
    await expect.poll(async () => (await mediaReport(agent)).liveTracks, POLL).toBe(0);
    await closeDock();
    await v.ctx.close();
  });

  it('closing the visitor\'s tab ends the call for the agent (no grace period)', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await inv(v.page, 'pl-accept-video').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    await v.page.close();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    // Ended because the visitor left, not by a timeout of some other kind.
    expect(await agent.locator('[data-testid=call-ended]').getAttribute('data-reason')).toBe('left');
    await expect.poll(async () => (await mediaReport(agent)).liveTracks, POLL).toBe(0);
    await closeDock();
    await v.ctx.close();
  });

  it('declining tells the agent, and the camera is never touched', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    await inv(v.page, 'pl-decline').click();
    await expect.poll(() => agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('declined');
    expect(await agent.locator('[data-testid=call-ended]').textContent()).toMatch(/declined/i);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0, peerConnections: 0 });
    await closeDock();
    // The visitor panel lists the call.
    await callRow(v.id).click();
    await expect.poll(() => agent.locator('[data-testid=visitor-panel] [data-testid=visitor-call]').first().getAttribute('data-outcome'), POLL).toBe('declined');
    await agent.keyboard.press('Escape');
    await v.ctx.close();
  });

  it('the agent shares their screen: the visitor is told and keeps seeing a moving picture; stopping goes back to the camera', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await inv(v.page, 'pl-accept-video').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    const visitorRemote = remoteVideo('porchlight-call', 'pl-remote-video');
    const size = () =>
      v.page.evaluate((ref) => {
        const el = (ref.host ? document.querySelector(ref.host)?.shadowRoot : document)?.querySelector(`[data-testid=${ref.testid}]`) as HTMLVideoElement;
        return `${el.videoWidth}x${el.videoHeight}`;
      }, visitorRemote);
    await expect.poll(() => videoFramesAdvance(v.page, visitorRemote), POLL).toBe(true);
    const cameraSize = await size();
    await agent.locator('[data-testid=call-screen]').click();
    await expect.poll(() => agent.locator('[data-testid=call-screen]').getAttribute('aria-pressed'), POLL).toBe('true');
    await expect.poll(() => inv(v.page, 'pl-remote-note').textContent(), POLL).toMatch(/sharing their screen/);
    // The picture may hold for a moment while the track is swapped: it moves again.
    await expect.poll(() => videoFramesAdvance(v.page, visitorRemote), POLL).toBe(true);
    // The picture the visitor receives is the screen now (the fake screen is 1280x720, the camera 640x480).
    await expect.poll(size, POLL).not.toBe(cameraSize);
    await agent.locator('[data-testid=call-screen]').click();
    await expect.poll(() => agent.locator('[data-testid=call-screen]').getAttribute('aria-pressed'), POLL).toBe('false');
    await expect.poll(() => inv(v.page, 'pl-remote-note').textContent(), POLL).not.toMatch(/sharing/);
    await expect.poll(size, POLL).toBe(cameraSize);
    await expect.poll(() => videoFramesAdvance(v.page, visitorRemote), POLL).toBe(true);
    await agent.locator('[data-testid=call-hangup]').click();
    // The screen capture is released with the camera and microphone.
    await expect.poll(async () => (await mediaReport(agent)).liveTracks, POLL).toBe(0);
    await closeDock();
    await v.ctx.close();
  });

  it('an unanswered call times out as "no answer" on both sides', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), { timeout: RING_MS + 5000 }).toBe('missed');
    expect(await agent.locator('[data-testid=call-ended]').textContent()).toMatch(/no answer/i);
    await expect.poll(async () => (await inv(v.page, 'pl-call').count()) === 0 || (await inv(v.page, 'pl-call').getAttribute('data-state')) === 'ended', POLL).toBe(true);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0, peerConnections: 0 });
    await closeDock();
    await v.ctx.close();
  });

  it('the agent can cancel while it rings', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    await agent.locator('[data-testid=call-cancel]').click();
    await expect.poll(async () => (await inv(v.page, 'pl-call').count()) === 0 || (await inv(v.page, 'pl-call').getAttribute('data-state')) === 'ended', POLL).toBe(true);
    await expect.poll(() => agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('cancelled');
    await closeDock();
    await v.ctx.close();
  });

  // How fast it resumes is measured by `npm run bench:calls`; here: that it does, by itself.
  it('the call survives the visitor moving to another page of the site: frames flow again, same call', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await inv(v.page, 'pl-accept-video').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    const agentRemote = remoteVideo(null, 'call-remote-video');
    expect(await videoFramesAdvance(agent, agentRemote)).toBe(true);
    const callId = await dock().getAttribute('data-call-id');

    await Promise.all([v.page.waitForURL(/\/pricing$/), v.page.click('a[href="/pricing"]')]);
    // The new page picks the call up by itself: no click, no prompt.
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('in-call');
    await expect.poll(() => videoFramesAdvance(v.page, remoteVideo('porchlight-call', 'pl-remote-video'), 300), POLL).toBe(true);
    await expect.poll(() => videoFramesAdvance(agent, agentRemote, 300), POLL).toBe(true);
    expect(await dock().getAttribute('data-call-id')).toBe(callId);
    expect(await dock().getAttribute('data-phase')).toBe('in-call');
    // The visitor hangs up from the new page: it ends for both.
    await inv(v.page, 'pl-hangup').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    expect(await agent.locator('[data-testid=call-ended]').getAttribute('data-reason')).toBe('hangup');
    await expect.poll(async () => (await mediaReport(v.page)).liveTracks, POLL).toBe(0);
    // And it stays ended: the next page does not pick the call up again.
    await Promise.all([v.page.waitForURL(/\/contact$/), v.page.click('a[href="/contact"]')]);
    await v.page.waitForTimeout(1000);
    expect(await inv(v.page, 'pl-call').count()).toBe(0);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0 });
    await closeDock();
    await v.ctx.close();
  });

  it('a visitor whose camera is blocked goes ahead with audio only, and both sides are told', async () => {
    // A browser without the auto-accepting permission UI: camera denied, microphone granted.
    const strict = await launchBrowser(MEDIA_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'));
    try {
      const ctx = await strict.newContext();
      await ctx.grantPermissions(['microphone'], { origin: app.demoUrl });
      await instrumentMedia(ctx);
      const page = await ctx.newPage();
      await page.goto(app.demoUrl);
      const id = await waitForVisitorId(page);
      await expect.poll(() => callRow(id).count(), POLL).toBe(1);
      await ring(id);
      await page.locator('porchlight-call [data-testid=pl-accept-video]').click();
      await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
      await expect.poll(() => page.locator('porchlight-call [data-testid=pl-message]').textContent(), POLL).toMatch(/camera/i);
      await expect.poll(() => agent.locator('[data-testid=call-problems]').textContent(), POLL).toMatch(/camera/i);
      // The agent hears the visitor, and the visitor still sees the agent.
      expect(await audioEnergyGrows(agent)).toBe(true);
      expect(await videoFramesAdvance(page, remoteVideo('porchlight-call', 'pl-remote-video'))).toBe(true);
      await agent.locator('[data-testid=call-hangup]').click();
      await closeDock();
    } finally {
      await strict.close();
    }
  });

  it('the invitation keeps its looks on a hostile page and fits a phone screen', async () => {
    const v = await newVisitor('/', { viewport: { width: 375, height: 667 } });
    await v.page.addStyleTag({ content: 'button, video { display: none !important } * { font-size: 2px !important; color: transparent !important; visibility: hidden }' });
    const layout = () =>
      v.page.evaluate(() => {
        const r = document.querySelector('header')!.getBoundingClientRect();
        return { header: [r.x, r.y, r.width, r.height], scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight };
      });
    const before = await layout();
    await ring(v.id);
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    for (const b of ['pl-accept-video', 'pl-accept-audio', 'pl-decline']) {
      const box = await inv(v.page, b).boundingBox();
      expect(box, b).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      expect(box!.y + box!.height).toBeLessThanOrEqual(667);
      expect(box!.height).toBeGreaterThanOrEqual(32); // big enough to tap
      expect(await inv(v.page, b).isVisible()).toBe(true);
    }
    // The host page's own layout is untouched by ours: its header is where it was, and the page
    // did not grow (the card floats above it).
    expect(await layout()).toEqual(before);
    await inv(v.page, 'pl-decline').click();
    await expect.poll(() => agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('declined');
    await closeDock();
    await v.ctx.close();
  });

  it('lists every call in the calls history with its outcome, filterable', async () => {
    await agent.goto(`${app.url}/calls`);
    await expect.poll(() => agent.locator('[data-testid=call-row]').count(), POLL).toBeGreaterThanOrEqual(7);
    const outcomes = await agent.locator('[data-testid=call-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    for (const o of ['answered', 'declined', 'missed', 'cancelled']) expect(outcomes).toContain(o);
    await agent.selectOption('[data-testid=calls-filter-outcome]', 'declined');
    await expect.poll(async () => [...new Set(await agent.locator('[data-testid=call-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome'))))], POLL).toEqual(['declined']);
    await agent.goBack();
  });
});

async function openAgent(browser: Browser, url: string): Promise<Page> {
  const ctx = await browser.newContext();
  await instrumentMedia(ctx);
  return openDemoLivePage(ctx, url);
}
