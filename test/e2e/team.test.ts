// Teams in headless Chromium, as two people in two browsers: the owner invites an agent from the
// Team page, the agent joins from the link (signing up on the way), both watch the same live
// table and see each other on a visitor's row; the agent cannot open site settings; the owner removes the agent and the agent's open
// dashboard loses the live table at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { openDemoLivePage } from '../support/demo';

/** Waits on a browser and the network: generous, a timing is not what these tests assert. */
const POLL = { timeout: 10_000 };

describe('teams in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ PRESENCE_GRACE_MS: '1500' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the owner invites an agent, who joins from the link, watches the same visitors, cannot change settings, and loses access when removed', async () => {
    const owner = await openDemoLivePage(await browser.newContext(), app.url);
    const livePath = new URL(owner.url()).pathname;

    // A visitor on the demo shop shows on the owner's live table.
    const shop = await (await browser.newContext()).newPage();
    await shop.goto(`${app.demoUrl}/pricing`);
    await owner.locator('[data-testid=visitor-row]').first().waitFor(POLL);

    // The owner invites an agent by email from the Team page and gets a link to share.
    await owner.goto(`${app.url}/team`);
    const email = `ana-${Date.now()}@example.com`;
    await owner.getByLabel('Email').fill(email);
    await owner.getByLabel('Role', { exact: true }).selectOption('agent');
    await owner.locator('[data-testid=invite-form] button[type=submit]').click();
    const link = await owner.locator('[data-testid=invite-link-input]').inputValue();
    expect(link).toMatch(new RegExp(`^${app.url}/invite/[\\w-]{20,}$`));
    await expect.poll(() => owner.locator('[data-testid=invitation-row]').filter({ hasText: email }).count(), POLL).toBe(1);

    // The agent opens the link in another browser, creates an account and joins.
    const agent = await (await browser.newContext()).newPage();
    await agent.goto(link);
    expect(await agent.locator('[data-testid=invite-lead]').innerText()).toMatch(/invited you to join .+ as an? agent/i);
    await agent.locator('[data-testid=invite-signup]').click();
    await agent.waitForURL(/\/signup/);
    await agent.fill('#name', 'Ana Agent');
    await agent.fill('#email', email);
    await agent.fill('#password', 'lantern-harbour-42');
    await agent.click('button[type=submit]');
    await agent.waitForURL(/\/invite\//);
    await agent.locator('[data-testid=join-workspace]').click();
    await agent.waitForURL(/\/sites/);

    // Both watch the same live table.
    await agent.goto(`${app.url}${livePath}`);
    await agent.locator('[data-testid=visitor-row]').first().waitFor(POLL);
    await owner.goto(`${app.url}${livePath}`);
    await owner.locator('[data-testid=visitor-row]').first().waitFor(POLL);
    const ids = (p: Page) => p.locator('[data-testid=visitor-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-visitor-id') ?? r.textContent).sort());
    await expect.poll(async () => JSON.stringify(await ids(agent)), POLL).toBe(JSON.stringify(await ids(owner)));

    // They see each other on a visitor's row: the owner opens the visitor and the agent's row
    // shows the owner's face; the agent opens it too and the owner's panel says who else is
    // there; the owner closes the panel and the face leaves the agent's row.
    const visitorId = await owner.locator('[data-testid=visitor-row]').first().getAttribute('data-visitor-id');
    const rowOf = (p: Page) => p.locator(`[data-testid=visitor-row][data-visitor-id="${visitorId}"]`);
    await rowOf(owner).click();
    await owner.locator('[data-testid=visitor-panel]').waitFor(POLL);
    await expect.poll(() => rowOf(agent).locator('[data-testid=row-attention]').getAttribute('title'), POLL).toBe('Demo Owner is looking at this visitor');
    await rowOf(agent).click();
    await expect.poll(() => owner.locator('[data-testid=panel-attention]').innerText(), POLL).toMatch(/Also here:[\s\S]*Ana Agent[\s\S]*looking/);
    expect(await rowOf(owner).locator('[data-testid=row-attention]').getAttribute('title')).toBe('Ana Agent is looking at this visitor');
    await owner.locator('[data-testid=panel-close]').click();
    await expect.poll(() => rowOf(agent).locator('[data-testid=row-attention]').count(), POLL).toBe(0);

    // The agent now belongs to two workspaces (their own, from sign-up, and the owner's, which
    // joining made current); the header switches between them.
    await agent.goto(`${app.url}/team`);
    const workspaceName = () => agent.locator('[data-testid=workspace-name]').innerText();
    expect(await workspaceName()).toBe("Demo Owner's workspace");
    await agent.locator('header.topbar [data-testid=workspace-switcher]').selectOption({ label: "Ana Agent's workspace" });
    await expect.poll(workspaceName, POLL).toBe("Ana Agent's workspace");
    await agent.locator('header.topbar [data-testid=workspace-switcher]').selectOption({ label: "Demo Owner's workspace" });
    await expect.poll(workspaceName, POLL).toBe("Demo Owner's workspace");

    // An agent sees no Settings tab, and the settings page refuses them; the API too.
    expect(await agent.locator('.tabs a', { hasText: 'Settings' }).count()).toBe(0);
    await agent.goto(`${app.url}${livePath}/settings`);
    // (Next's route announcer is a role=alert too: pick ours by its words.)
    await agent.getByRole('alert').filter({ hasText: /only the workspace's owners and admins/i }).waitFor(POLL);
    expect(await agent.locator('[data-testid=site-form]').count()).toBe(0);
    const patch = await agent.evaluate(async (path) => {
      const r = await fetch(`/api/sites/${path.split('/').pop()}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mine now', allowedOrigins: ['https://x.example'] }) });
      return r.status;
    }, livePath);
    expect(patch).toBe(403);

    // The owner sees the agent on the Team page and removes them; the agent's open live table
    // empties and says so, without a reload.
    await agent.goto(`${app.url}${livePath}`);
    await agent.locator('[data-testid=visitor-row]').first().waitFor(POLL);
    await owner.goto(`${app.url}/team`);
    const row = owner.locator('[data-testid=member-row]').filter({ hasText: email });
    expect(await row.locator('[data-testid=member-role-text], [data-testid=member-role]').first().evaluate((el) => (el as HTMLSelectElement).value ?? el.textContent)).toMatch(/agent/i);
    await row.locator('[data-testid=remove-member]').click();
    await row.locator('[data-testid=confirm-remove]').click();
    await expect.poll(() => owner.locator('[data-testid=member-row]').filter({ hasText: email }).count(), POLL).toBe(0);
    await expect.poll(() => agent.locator('[data-testid=visitor-row]').count(), POLL).toBe(0);
    await agent.getByRole('alert').filter({ hasText: /no longer a member of this workspace/i }).waitFor(POLL);
    // One long story in two browsers: on a busy 2-core machine it needs more than the default 30 s.
  }, 120_000);
});
