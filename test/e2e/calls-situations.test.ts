// Video calls in real headless Chromium, in the situations that break naive ones: the agent
// sharing their screen, the visitor moving to another page mid-call, a camera the browser blocks,
// and an invitation on a hostile page and a phone. (calls.test.ts: a call from ring to hang-up.)
import { describe, expect, it } from 'vitest';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { CallPages, POLL } from '../support/call-pages';
import { audioEnergyGrows, instrumentMedia, mediaReport, remoteVideo, videoFramesAdvance, waitForVisitorId } from '../support/media';

describe('video calls in a real browser', () => {
  const pages = new CallPages();
  const { newVisitor, dock, inv, callRow, ring, closeDock } = pages;

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
    await pages.agent.locator('[data-testid=call-screen]').click();
    await expect.poll(() => pages.agent.locator('[data-testid=call-screen]').getAttribute('aria-pressed'), POLL).toBe('true');
    await expect.poll(() => inv(v.page, 'pl-remote-note').textContent(), POLL).toMatch(/sharing their screen/);
    // The picture may hold for a moment while the track is swapped: it moves again.
    await expect.poll(() => videoFramesAdvance(v.page, visitorRemote), POLL).toBe(true);
    // The picture the visitor receives is the screen now (the fake screen is 1280x720, the camera 640x480).
    await expect.poll(size, POLL).not.toBe(cameraSize);
    await pages.agent.locator('[data-testid=call-screen]').click();
    await expect.poll(() => pages.agent.locator('[data-testid=call-screen]').getAttribute('aria-pressed'), POLL).toBe('false');
    await expect.poll(() => inv(v.page, 'pl-remote-note').textContent(), POLL).not.toMatch(/sharing/);
    await expect.poll(size, POLL).toBe(cameraSize);
    await expect.poll(() => videoFramesAdvance(v.page, visitorRemote), POLL).toBe(true);
    await pages.agent.locator('[data-testid=call-hangup]').click();
    // The screen capture is released with the camera and microphone.
    await expect.poll(async () => (await mediaReport(pages.agent)).liveTracks, POLL).toBe(0);
    await closeDock();
    await v.ctx.close();
  });

  it('the call survives the visitor moving to another page of the site: frames flow again, same call', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await inv(v.page, 'pl-accept-video').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
    const agentRemote = remoteVideo(null, 'call-remote-video');
    expect(await videoFramesAdvance(pages.agent, agentRemote)).toBe(true);
    const callId = await dock().getAttribute('data-call-id');

    await Promise.all([v.page.waitForURL(/\/pricing$/), v.page.click('a[href="/pricing"]')]);
    // The new page picks the call up by itself: no click, no prompt.
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('in-call');
    await expect.poll(() => videoFramesAdvance(v.page, remoteVideo('porchlight-call', 'pl-remote-video'), 300), POLL).toBe(true);
    await expect.poll(() => videoFramesAdvance(pages.agent, agentRemote, 300), POLL).toBe(true);
    expect(await dock().getAttribute('data-call-id')).toBe(callId);
    expect(await dock().getAttribute('data-phase')).toBe('in-call');
    // The visitor hangs up from the new page: it ends for both.
    await inv(v.page, 'pl-hangup').click();
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    expect(await pages.agent.locator('[data-testid=call-ended]').getAttribute('data-reason')).toBe('hangup');
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
      await ctx.grantPermissions(['microphone'], { origin: pages.app.demoUrl });
      await instrumentMedia(ctx);
      const page = await ctx.newPage();
      await page.goto(pages.app.demoUrl);
      const id = await waitForVisitorId(page);
      await expect.poll(() => callRow(id).count(), POLL).toBe(1);
      await ring(id);
      await page.locator('porchlight-call [data-testid=pl-accept-video]').click();
      await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('in-call');
      await expect.poll(() => page.locator('porchlight-call [data-testid=pl-message]').textContent(), POLL).toMatch(/camera/i);
      await expect.poll(() => pages.agent.locator('[data-testid=call-problems]').textContent(), POLL).toMatch(/camera/i);
      // The agent hears the visitor, and the visitor still sees the agent.
      expect(await audioEnergyGrows(pages.agent)).toBe(true);
      expect(await videoFramesAdvance(page, remoteVideo('porchlight-call', 'pl-remote-video'))).toBe(true);
      await pages.agent.locator('[data-testid=call-hangup]').click();
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
    await expect.poll(() => pages.agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('declined');
    await closeDock();
    await v.ctx.close();
  });
});
