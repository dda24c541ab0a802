// The product (as `npm start` runs it) and a headless Chromium for one describe block of e2e
// tests: both start in the block's beforeAll and stop in its afterAll. Subclasses add what their
// tests share; their own hooks run after these on the way in and before them on the way out.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type AppProcess } from './app-process';
import { launchBrowser } from './browser';

/** A value a beforeAll sets, read where it must be there already. */
export function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not there (read before beforeAll, or never set)`);
  return value;
}

/** The product and a browser; the browser is closed again if the product does not start. */
async function startBoth(env: Record<string, string>, browserArgs: string[]): Promise<{ app: AppProcess; browser: Browser }> {
  const launching = launchBrowser(browserArgs);
  try {
    return { app: await startApp(env), browser: await launching };
  } catch (err) {
    await (await launching).close();
    throw err;
  }
}

export class AppAndBrowser {
  #app: AppProcess | undefined;
  #browser: Browser | undefined;

  /** Registers the block's hooks: construct it inside describe(). */
  constructor(env: Record<string, string> = {}, browserArgs: string[] = []) {
    beforeAll(async () => {
      const both = await startBoth(env, browserArgs);
      this.#app = both.app;
      this.#browser = both.browser;
    });
    afterAll(async () => {
      await this.#browser?.close();
      await this.#app?.stop();
    });
  }

  get app(): AppProcess {
    return ready(this.#app, 'the app');
  }

  get browser(): Browser {
    return ready(this.#browser, 'the browser');
  }
}
