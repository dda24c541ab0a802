// Video calls in real headless Chromium with a fake camera and microphone: the product runs as
// `npm start` runs it, an agent uses the dashboard, a visitor browses the demo customer site.
// What is asserted is what people notice: the invitation, video frames that move, sound that
// stops when muted, a call that ends on both sides, and camera and microphone that are released.
// This file: a call from ring to hang-up, and every way it can end (and the calls history that
// lists them); calls-situations.test.ts has screen sharing, a page change, a blocked camera and a
// hostile page.
import { describe, expect, it } from 'vitest';
import { CallPages, POLL, RING_MS } from '../support/call-pages';
import { audioEnergyGrows, mediaReport, remoteVideo, videoFramesAdvance, videoLuma } from '../support/media';

describe('video calls in a real browser', () => {
  const pages = new CallPages();
  const { newVisitor, dock, inv, callRow, ring, closeDock } = pages;

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
    expect(await videoFramesAdvance(pages.agent, agentRemote)).toBe(true);
    for (const [page, sel] of [[v.page, visitorRemote], [pages.agent, agentRemote]] as const) {
      const tracks = await page.evaluate((ref) => {
        const el = (ref.host ? document.querySelector(ref.host)?.shadowRoot : document)?.querySelector(`[data-testid=${ref.testid}]`) as HTMLVideoElement | null;
        const stream = el?.srcObject as MediaStream | null;
        return { audio: stream?.getAudioTracks().map((t) => t.readyState) ?? [], video: stream?.getVideoTracks().length ?? 0, muted: el?.muted };
      }, sel);
      expect(tracks.audio).toEqual(['live']);
      expect(tracks.video).toBe(1);
      expect(tracks.muted).toBe(false);
    }
    expect(await audioEnergyGrows(pages.agent)).toBe(true);
    expect(await audioEnergyGrows(v.page)).toBe(true);

    // The live table shows who the visitor is talking to, and the call filter finds them.
    await expect.poll(() => callRow(v.id).locator('[data-testid=row-call]').textContent(), POLL).toContain('Demo Owner');
    await pages.agent.selectOption('[data-testid=filter-call]', 'none');
    await expect.poll(() => callRow(v.id).count(), POLL).toBe(0);
    await pages.agent.selectOption('[data-testid=filter-call]', 'in-call');
    await expect.poll(() => callRow(v.id).count(), POLL).toBe(1);
    await pages.agent.selectOption('[data-testid=filter-call]', '');

    // The timer runs on both sides.
    const t1 = await pages.agent.locator('[data-testid=call-timer]').textContent();
    expect(t1).toMatch(/^\d{2}:\d{2}$/);
    await expect.poll(() => pages.agent.locator('[data-testid=call-timer]').textContent(), POLL).not.toBe(t1);
    expect(await inv(v.page, 'pl-timer').textContent()).toMatch(/\d{2}:\d{2}/);

    // Agent mutes: the visitor stops receiving sound; unmutes: it comes back.
    await pages.agent.locator('[data-testid=call-mute]').click();
    expect(await pages.agent.locator('[data-testid=call-mute]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => audioEnergyGrows(v.page), POLL).toBe(false);
    await pages.agent.locator('[data-testid=call-mute]').click();
    await expect.poll(() => audioEnergyGrows(v.page), { timeout: 10_000 }).toBe(true);

    // Visitor turns the camera off: the agent's picture goes black; on again: it comes back.
    expect(await videoLuma(pages.agent, agentRemote)).toBeGreaterThan(20);
    await inv(v.page, 'pl-camera').click();
    expect(await inv(v.page, 'pl-camera').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => videoLuma(pages.agent, agentRemote), POLL).toBeLessThan(8);
    await inv(v.page, 'pl-camera').click();
    await expect.poll(() => videoLuma(pages.agent, agentRemote), POLL).toBeGreaterThan(20);

    // Quality indicator from getStats.
    await expect.poll(() => pages.agent.locator('[data-testid=call-quality]').getAttribute('data-rtt-ms'), POLL).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(await pages.agent.locator('[data-testid=call-quality]').getAttribute('data-kbps'))).toBeGreaterThan(0);

    // The agent hangs up: both sides end within a second, and every camera/mic track is released.
    await pages.agent.locator('[data-testid=call-hangup]').click();
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ended');
    await expect.poll(() => dock().getAttribute('data-phase'), POLL).toBe('ended');
    await expect.poll(async () => (await mediaReport(v.page)).liveTracks, POLL).toBe(0);
    await expect.poll(async () => (await mediaReport(pages.agent)).liveTracks, POLL).toBe(0);
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
    await expect.poll(async () => (await mediaReport(pages.agent)).liveTracks, POLL).toBe(0);
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
    expect(await pages.agent.locator('[data-testid=call-ended]').getAttribute('data-reason')).toBe('left');
    await expect.poll(async () => (await mediaReport(pages.agent)).liveTracks, POLL).toBe(0);
    await closeDock();
    await v.ctx.close();
  });

  it('declining tells the agent, and the camera is never touched', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    await inv(v.page, 'pl-decline').click();
    await expect.poll(() => pages.agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('declined');
    expect(await pages.agent.locator('[data-testid=call-ended]').textContent()).toMatch(/declined/i);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0, peerConnections: 0 });
    await closeDock();
    // The visitor panel lists the call.
    await callRow(v.id).click();
    await expect.poll(() => pages.agent.locator('[data-testid=visitor-panel] [data-testid=visitor-call]').first().getAttribute('data-outcome'), POLL).toBe('declined');
    await pages.agent.keyboard.press('Escape');
    await v.ctx.close();
  });

  it('an unanswered call times out as "no answer" on both sides', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => pages.agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), { timeout: RING_MS + 5000 }).toBe('missed');
    expect(await pages.agent.locator('[data-testid=call-ended]').textContent()).toMatch(/no answer/i);
    await expect.poll(async () => (await inv(v.page, 'pl-call').count()) === 0 || (await inv(v.page, 'pl-call').getAttribute('data-state')) === 'ended', POLL).toBe(true);
    expect(await mediaReport(v.page)).toMatchObject({ getUserMedia: 0, peerConnections: 0 });
    await closeDock();
    await v.ctx.close();
  });

  it('the agent can cancel while it rings', async () => {
    const v = await newVisitor();
    await ring(v.id);
    await expect.poll(() => inv(v.page, 'pl-call').getAttribute('data-state'), POLL).toBe('ringing');
    await pages.agent.locator('[data-testid=call-cancel]').click();
    await expect.poll(async () => (await inv(v.page, 'pl-call').count()) === 0 || (await inv(v.page, 'pl-call').getAttribute('data-state')) === 'ended', POLL).toBe(true);
    await expect.poll(() => pages.agent.locator('[data-testid=call-ended]').getAttribute('data-outcome'), POLL).toBe('cancelled');
    await closeDock();
    await v.ctx.close();
  });

  // How fast it resumes is measured by `npm run bench:calls`; here: that it does, by itself.

  it('lists every call in the calls history with its outcome, filterable', async () => {
    // The six calls of this file's tests: three answered, one declined, one missed, one cancelled.
    await pages.agent.goto(`${pages.app.url}/calls`);
    await expect.poll(() => pages.agent.locator('[data-testid=call-row]').count(), POLL).toBeGreaterThanOrEqual(6);
    const outcomes = await pages.agent.locator('[data-testid=call-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    for (const o of ['answered', 'declined', 'missed', 'cancelled']) expect(outcomes).toContain(o);
    await pages.agent.selectOption('[data-testid=calls-filter-outcome]', 'declined');
    await expect.poll(async () => [...new Set(await pages.agent.locator('[data-testid=call-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome'))))], POLL).toEqual(['declined']);
    await pages.agent.goBack();
  });
});
