// The owner's Danger zone in headless Chromium, as two people: the owner hands the workspace to a
// member from the Team page and then sees themselves as an admin; the new owner (who has a
// workspace of their own too) deletes it by typing its name and lands on /sites in the other one.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';

const POLL = { timeout: 10_000 };

describe('the workspace owner in a real browser', () => {
  let app: AppProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A new account signed in in `ctx` (the session cookie lands in the context's jar). */
  const signUp = async (ctx: BrowserContext, name: string): Promise<string> => {
    const email = `${name.split(' ')[0]!.toLowerCase()}-${Date.now()}@example.com`;
    const res = await ctx.request.post(`${app.url}/api/auth/sign-up/email`, { data: { email, password: 'lantern-harbour-42', name }, headers: { origin: app.url } });
    expect(res.ok()).toBe(true);
    return email;
  };

  it('the owner transfers ownership and becomes an admin; the new owner deletes the workspace by typing its name', async () => {
    const [olive, ana] = await Promise.all([browser.newContext({ viewport: { width: 1440, height: 900 } }), browser.newContext({ viewport: { width: 375, height: 800 } })]);
    await signUp(olive, 'Olive Owner');
    const anaEmail = await signUp(ana, 'Ana Agent');
    // Ana joins Olive's workspace (the invitation flow has its own test): it becomes her current one.
    const invited = await olive.request.post(`${app.url}/api/team/invitations`, { data: { email: anaEmail, role: 'agent' }, headers: { origin: app.url } });
    const { link } = (await invited.json()) as { link: string };
    const joined = await ana.request.post(`${app.url}/api/invitations/accept`, { data: { token: link.split('/invite/')[1] }, headers: { origin: app.url } });
    expect(joined.ok()).toBe(true);
    const { workspaceId } = (await joined.json()) as { workspaceId: string };
    const call = async (ctx: BrowserContext, method: 'post' | 'delete', path: string, data: object) => {
      const r = await ctx.request[method](`${app.url}${path}`, { data, headers: { origin: app.url } });
      return [r.status(), ((await r.json()) as { code?: string }).code ?? 'ok'];
    };

    // Olive picks Ana, reads the consequence, confirms; the page comes back with the new roles.
    const owner = await olive.newPage();
    await owner.goto(`${app.url}/team`);
    const zone = owner.locator('[data-testid=danger-zone]');
    await zone.locator('[data-testid=transfer-member]').selectOption({ label: 'Ana Agent (Agent)' });
    await zone.locator('[data-testid=transfer-start]').click();
    expect(await zone.locator('[data-testid=transfer-confirm-box]').innerText()).toMatch(/Ana Agent.*the owner.*You will become an admin/s);
    await zone.locator('[data-testid=transfer-confirm]').click();
    await owner.locator('[data-testid=transfer-done]').waitFor(POLL);
    const roleOf = (name: string) => owner.locator('[data-testid=member-row]').filter({ hasText: name }).locator('[data-testid=member-role-text], [data-testid=member-role]').first();
    expect(await roleOf('Olive Owner').innerText()).toBe('Admin');
    expect(await roleOf('Ana Agent').innerText()).toBe('Owner');
    expect(await owner.locator('main').innerText()).toMatch(/you are an admin of this workspace/);
    expect(await owner.locator('[data-testid=danger-zone]').count()).toBe(0);

    // The API says the same: the former owner is refused both, and a wrong name is a clear 400.
    expect(await call(olive, 'post', '/api/team/transfer', { userId: 'someone' })).toEqual([403, 'forbidden']);
    expect(await call(olive, 'delete', `/api/workspaces/${workspaceId}`, { confirm: "Olive Owner's workspace" })).toEqual([403, 'forbidden']);
    expect(await call(ana, 'post', '/api/team/transfer', { userId: 'not-a-member' })).toEqual([404, 'not_found']);
    expect(await call(ana, 'delete', `/api/workspaces/${workspaceId}`, { confirm: 'Olive Owner' })).toEqual([400, 'confirm_mismatch']);
    expect(await call(ana, 'delete', '/api/workspaces/no-such-workspace', { confirm: 'x' })).toEqual([404, 'not_found']);

    // Ana, now the owner, deletes it: the button waits for the exact name.
    const next = await ana.newPage();
    await next.goto(`${app.url}/team`);
    expect(await next.locator('[data-testid=workspace-name]').innerText()).toBe("Olive Owner's workspace");
    await next.locator('[data-testid=delete-workspace-start]').click();
    const input = next.locator('[data-testid=delete-workspace-confirm-input]');
    const button = next.locator('[data-testid=delete-workspace-confirm]');
    await input.fill("olive owner's workspace");
    expect(await button.isDisabled()).toBe(true);
    await input.fill("Olive Owner's workspace");
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await next.waitForURL(/\/sites$/, POLL);
    await expect.poll(() => next.locator('main').innerText(), POLL).toContain("Ana Agent's workspace");

    // Olive had only that workspace: her Team page now says she has none.
    await owner.goto(`${app.url}/team`);
    await owner.locator('[data-testid=team-none]').waitFor(POLL);
    // One long story in three browsers: on a busy 2-core machine it needs more than the default 30 s.
  }, 120_000);
});
