// Logs in as the seeded demo account and finds the Demo Store site.
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_ACCOUNT } from '../../server/demo/seed';

export async function loginDemo(baseUrl: string): Promise<{ cookie: string; siteId: string; publicKey: string }> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password }),
  });
  if (!res.ok) throw new Error(`demo login failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const list = (await (await fetch(`${baseUrl}/api/sites`, { headers: { cookie } })).json()) as { sites: { id: string; name: string; publicKey: string }[] };
  const site = list.sites.find((s) => s.name === 'Demo Store');
  if (!site) throw new Error('no Demo Store site');
  return { cookie, siteId: site.id, publicKey: site.publicKey };
}

/** Logs in as the demo owner through the login form (in `ctx`) and opens the Demo Store's live page. */
export async function openDemoLivePage(ctx: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', DEMO_ACCOUNT.email);
  await page.fill('#password', DEMO_ACCOUNT.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/sites/);
  await page.locator('[data-testid=site-card]').filter({ hasText: 'Demo Store' }).locator('a').first().click();
  await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
  return page;
}
