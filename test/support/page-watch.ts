// A page watched for what a strict or hostile site would cause: Content-Security-Policy violations
// (as "<directive> <blocked URI>") and uncaught page errors, recorded from its first script on.
import type { BrowserContext, Page } from 'playwright-core';

export interface WatchedPage {
  page: Page;
  /** Uncaught errors on the page (pass a shared list to collect several pages' together). */
  errors: string[];
  /** The violations so far. */
  csp: () => Promise<string[]>;
}

/** The violations a watched page has seen so far. */
export const cspOf = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** A new page of `ctx` with the watch installed; the caller navigates. */
export async function watchedPage(ctx: BrowserContext, errors: string[] = []): Promise<WatchedPage> {
  await ctx.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, csp: () => cspOf(page) };
}
