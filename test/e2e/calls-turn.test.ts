// A call forced through TURN only (ICE_TRANSPORT_POLICY=relay) via a real local coturn that
// checks the per-call credentials Porchlight mints: the product as `npm start` runs it, an
// agent and a visitor in headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { shouldSkipTurnTests, startCoturn, type Coturn } from '../support/coturn';
import { openDemoLivePage } from '../support/demo';
import { instrumentMedia, remoteVideo, videoFramesAdvance, waitForVisitorId } from '../support/media';

const POLL = { timeout: 8000 };

describe.skipIf(shouldSkipTurnTests())('a call through TURN only', () => {
  let turn: Coturn;
  let app: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    turn = await startCoturn();
    [app, browser] = await Promise.all([
      startApp({ ICE_SERVERS: turn.url, TURN_SECRET: turn.secret, TURN_CREDENTIAL_TTL_S: '600', ICE_TRANSPORT_POLICY: 'relay' }),
      launchBrowser(MEDIA_ARGS),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await turn?.stop();
  });

  /** The local and remote candidate types of the pair the connection uses. */
  const selectedPair = (page: Page) =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { __plMedia: { pcs: RTCPeerConnection[] } }).__plMedia.pcs.filter((pc) => pc.connectionState === 'connected');
      for (const pc of pcs) {
        const stats = await pc.getStats();
        const byId = new Map<string, Record<string, unknown>>();
        stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
        for (const s of byId.values()) {
          if (s.type === 'transport' && s.selectedCandidatePairId) {
            const pair = byId.get(s.selectedCandidatePairId as string);
            return { local: byId.get(pair?.localCandidateId as string)?.candidateType, remote: byId.get(pair?.remoteCandidateId as string)?.candidateType };
          }
        }
      }
      return null;
    });

  it('connects with relay candidates only, and video flows both ways', async () => {
    const agentCtx = await browser.newContext();
    await instrumentMedia(agentCtx);
    const agent = await openDemoLivePage(agentCtx, app.url);

    const visitorCtx = await browser.newContext();
    await instrumentMedia(visitorCtx);
    const visitor = await visitorCtx.newPage();
    await visitor.goto(app.demoUrl);
    const id = await waitForVisitorId(visitor);
    const row = agent.locator(`[data-testid=visitor-row][data-visitor-id="${id}"]`);
    await expect.poll(() => row.count(), POLL).toBe(1);
    await row.locator('[data-testid=call-button]').click();
    await visitor.locator('porchlight-call [data-testid=pl-accept-video]').click();
    await expect.poll(() => agent.locator('[data-testid=call-dock]').getAttribute('data-phase'), { timeout: 15_000 }).toBe('in-call');
    expect(await videoFramesAdvance(agent, remoteVideo(null, 'call-remote-video'))).toBe(true);
    expect(await videoFramesAdvance(visitor, remoteVideo('porchlight-call', 'pl-remote-video'))).toBe(true);
    // Both ends of the pair in use are TURN relays: the media went through coturn.
    await expect.poll(() => selectedPair(agent), POLL).toEqual({ local: 'relay', remote: 'relay' });
    expect(await selectedPair(visitor)).toEqual({ local: 'relay', remote: 'relay' });
    // coturn saw allocations authenticated with Porchlight's minted credentials.
    expect(turn.output()).toMatch(/allocation|ALLOCATE|session/i);
    await agent.locator('[data-testid=call-hangup]').click();
    await expect.poll(() => visitor.locator('porchlight-call [data-testid=pl-call]').getAttribute('data-state'), POLL).toBe('ended');
  });
});
