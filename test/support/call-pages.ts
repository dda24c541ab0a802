// Video calls as the e2e tests drive them: the product (with a short ring) and a headless Chromium
// with a fake camera and microphone, an agent on the demo site's live page, visitors on the demo
// customer site with getUserMedia and RTCPeerConnection counted, and the call dock's and the
// invitation's parts. After each test a call left going is ended and the visitors' contexts close.
import { afterEach, beforeAll, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { AppAndBrowser, ready } from './app-browser';
import { MEDIA_ARGS } from './browser';
import { openDemoLivePage } from './demo';
import { instrumentMedia, waitForVisitorId } from './media';

export const POLL = { timeout: 8000 };
// Long enough for a busy Chromium to get through the steps between the ring and the click.
export const RING_MS = 8000;

export class CallPages extends AppAndBrowser {
  #agent: Page | undefined;
  readonly #contexts: BrowserContext[] = [];

  /** Registers the block's hooks: construct it inside describe(). */
  constructor() {
    super({ CALL_RING_TIMEOUT_MS: String(RING_MS), PRESENCE_GRACE_MS: '1500' }, MEDIA_ARGS);
    beforeAll(async () => {
      const ctx = await this.browser.newContext();
      await instrumentMedia(ctx);
      this.#agent = await openDemoLivePage(ctx, this.app.url);
    });
    // One test's leftovers never reach the next: a call still going on (a failed assertion skips
    // the test's own hang-up) would make the agent 'busy' for every later test.
    afterEach(async () => {
      const agent = this.agent;
      if (await agent.locator('[data-testid=call-hangup]').count()) await agent.locator('[data-testid=call-hangup]').click();
      else if (await agent.locator('[data-testid=call-cancel]').count()) await agent.locator('[data-testid=call-cancel]').click();
      await this.closeDock();
      await Promise.all(this.#contexts.splice(0).map((c) => c.close().catch(() => {})));
    });
  }

  /** The agent's page: the demo site's live visitors, with media counted. */
  get agent(): Page {
    return ready(this.#agent, 'the agent page');
  }

  /** A new visitor on the demo customer site, with getUserMedia and RTCPeerConnection counted. */
  newVisitor = async (path = '/', o: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; ctx: BrowserContext; id: string }> => {
    const ctx = await this.browser.newContext(o.viewport ? { viewport: o.viewport } : {});
    this.#contexts.push(ctx);
    await instrumentMedia(ctx);
    const page = await ctx.newPage();
    await page.goto(`${this.app.demoUrl}${path}`);
    const id = await waitForVisitorId(page);
    await expect.poll(() => this.callRow(id).count(), POLL).toBe(1);
    return { page, ctx, id };
  };

  dock = () => this.agent.locator('[data-testid=call-dock]');
  inv = (page: Page, testid: string) => page.locator(`porchlight-call [data-testid=${testid}]`);
  callRow = (id: string) => this.agent.locator(`[data-testid=visitor-row][data-visitor-id="${id}"]`);

  ring = async (id: string) => {
    await this.callRow(id).locator('[data-testid=call-button]').click();
    await expect.poll(() => this.dock().getAttribute('data-phase'), POLL).toBe('ringing');
  };

  closeDock = async () => {
    if ((await this.dock().count()) && (await this.agent.locator('[data-testid=call-close]').count())) await this.agent.locator('[data-testid=call-close]').click();
    await expect.poll(() => this.dock().count(), POLL).toBe(0);
  };
}
