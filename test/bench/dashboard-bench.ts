// Dashboard benchmark: `npm run bench:dashboard` (options: `npm run bench:dashboard -- --help`).
//
// The live table at scale in real Chromium: the full app (server/start.ts: Next.js dashboard and
// realtime server, bench-app.ts), N visitors (bench-client.ts generators) on one site, page changes
// at a steady rate spread over them, and one agent's live table in headless Chromium (1440x900).
// Measures keystroke -> repainted table in the search box (dashboard-page.ts), the share of the
// page's main thread taken by long tasks while only updates arrive, and the page's JS heap. When the
// p95 target is missed (or with --profile) it profiles the page while typing (dashboard-profile.ts).
// Prints a Markdown table and writes test/bench/results/dashboard-latest.md and .json.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { createAccountAndSite, startBenchApp, treeCpuWindow, type BenchApp } from './bench-app';
import { addressesFor, Child, cpuWindow, killAll, sliceSizes } from './bench-proc';
import { sleep, summarize, wall } from './bench-shared';
import { benchInitScript, expectedCount, keystrokePlan, longTasksBetween, measureKey, pageNow, type KeyTiming, type PlannedKey } from './dashboard-page';
import { profile, type ProfileSummary } from './dashboard-profile';
import { trace, type TraceSummary } from './dashboard-trace';
import { parseArgs, writeReport, type Options, type Result, type Window } from './dashboard-report';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ORIGIN = 'http://bench.example';
const BASE = 'g0i'; // the search every measured keystroke starts from (dashboard-page.ts)
const log = (m: string) => console.log(`[bench:dashboard ${new Date().toISOString().slice(11, 19)}] ${m}`);

const metrics = async (s: CDPSession): Promise<Record<string, number>> => {
  const { metrics: m } = (await s.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
};

/** Long tasks, main-thread busy time (CDP TaskDuration), server and machine CPU over `ms`, or while `during` runs. */
async function measureWindow(page: Page, cdp: CDPSession, serverPid: number, ms: number, during?: () => Promise<void>): Promise<Window> {
  const m0 = await metrics(cdp);
  const p0 = await pageNow(page);
  const cpu = cpuWindow([serverPid]);
  const procs = treeCpuWindow();
  if (during) await during();
  else await sleep(ms);
  const p1 = await pageNow(page);
  const m1 = await metrics(cdp);
  const tree = procs();
  const lt = await longTasksBetween(page, p0, p1);
  const windowMs = p1 - p0;
  return {
    seconds: windowMs / 1000,
    longTasks: lt.count,
    longTaskMs: lt.totalMs,
    longTaskMaxMs: lt.maxMs,
    longTaskSharePct: (100 * lt.totalMs) / windowMs,
    mainThreadBusyPct: (100 * 1000 * ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0))) / windowMs,
    scriptPct: (100 * 1000 * ((m1.ScriptDuration ?? 0) - (m0.ScriptDuration ?? 0))) / windowMs,
    layoutStylePct: (100 * 1000 * ((m1.LayoutDuration ?? 0) + (m1.RecalcStyleDuration ?? 0) - (m0.LayoutDuration ?? 0) - (m0.RecalcStyleDuration ?? 0))) / windowMs,
    serverCpuPct: cpu()[0] as number,
    rendererCpuPct: tree.rendererPct,
    chromiumCpuPct: tree.chromiumPct,
    otherCpuPct: tree.otherPct,
  };
}

async function run(o: Options): Promise<Result> {
  let app: BenchApp | null = null;
  const gens: Child[] = [];
  let closeBrowser: (() => Promise<void>) | null = null;
  try {
    app = await startBenchApp();
    const account = await createAccountAndSite(app.url, ORIGIN);
    log(`app on ${app.url} (pid ${app.pid}); site ${account.siteId}`);

    // 1. N visitors on the site.
    const slices = sliceSizes(o.visitors, o.generators);
    for (let g = 0; g < slices.length; g++) gens.push(new Child(`visitors-${g}`, 'bench-client.ts', ['visitors']));
    await Promise.all(
      gens.map((g, i) =>
        g.request('init', {
          init: { url: app?.url.replace('//localhost:', '//127.0.0.1:'), key: account.siteKey, origin: ORIGIN, count: slices[i], generator: i, localAddresses: addressesFor(o.addresses), concurrency: o.concurrency, connectTimeoutMs: 20_000 },
        }, 60_000),
      ),
    );
    const startAt = wall() + 300;
    const conns = await Promise.all(gens.map((g) => g.request<{ connected: number; errors: Record<string, number> }>('connect', { startAt }, 120_000 + o.visitors * 20)));
    const connected = conns.reduce((a, c) => a + c.connected, 0);
    log(`${connected} visitors connected in ${((wall() - startAt) / 1000).toFixed(1)} s`);
    if (connected !== o.visitors) throw new Error(`only ${connected} of ${o.visitors} visitors connected: ${JSON.stringify(conns.map((c) => c.errors))}`);

    // 2. The agent's live table in Chromium.
    const browser = await launchBrowser();
    closeBrowser = () => browser.close();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript({ content: benchInitScript() });
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.fill('#email', account.email);
    await page.fill('#password', account.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sites/);
    const count = page.locator('[data-testid=visitor-count]');
    const t0 = wall();
    await page.goto(`${app.url}/sites/${account.siteId}`);
    await page.waitForFunction((n) => document.querySelector('[data-testid=visitor-count]')?.textContent === `${n} of ${n}`, o.visitors, { timeout: 60_000, polling: 100 });
    const tableMs = Math.round(wall() - t0);
    log(`live table shows ${await count.innerText()} (${tableMs} ms after navigation)`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await sleep(3000);

    // Typing: the search box is set to BASE (unmeasured), then each planned key is measured.
    const baseCount = expectedCount(BASE, slices);
    const showing = (prefix: string) =>
      page.waitForFunction((t) => document.querySelector('[data-testid=visitor-count]')?.textContent?.startsWith(t), prefix, { timeout: 30_000, polling: 100 });
    let rnd = 12345;
    const typeAll = async (list: PlannedKey[], into: KeyTiming[]) => {
      await page.click('[data-testid=search]');
      await page.fill('[data-testid=search]', BASE);
      await showing(`${baseCount} of `);
      await sleep(1000);
      for (const k of list) {
        into.push(await measureKey(page, k.key, k.q, k.expected, o.keyTimeoutMs));
        rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
        await sleep(o.pauseMs + (rnd % o.pauseMs)); // a person reads a moment before the next key
      }
    };
    const frameOf = (list: KeyTiming[]) => summarize(list.map((k) => (k.timedOut ? o.keyTimeoutMs : k.toFrame)));

    // 3. No page changes: what the table costs on its own (1 s ticks re-render it), and typing then.
    const idle = await measureWindow(page, cdp, app.pid, o.idleSeconds * 1000);
    log(`no load: long tasks ${idle.longTaskSharePct.toFixed(1)} % of ${idle.seconds.toFixed(0)} s, main thread busy ${idle.mainThreadBusyPct.toFixed(1)} %`);
    const quietKeys: KeyTiming[] = [];
    if (o.quietKeystrokes > 0) {
      await typeAll(keystrokePlan(BASE, slices, o.quietKeystrokes, 3), quietKeys);
      log(`no load: keystroke -> frame p50 ${frameOf(quietKeys).p50.toFixed(1)} ms, p95 ${frameOf(quietKeys).p95.toFixed(1)} ms`);
      await page.fill('[data-testid=search]', '');
      await showing(`${o.visitors} of ${o.visitors}`);
      await page.mouse.move(0, 0);
    }

    // 4. Page changes at the rate, until everything below is done (the generators are stopped then).
    const loadStart = wall() + 300;
    const loadEnd = loadStart + o.maxMinutes * 60_000;
    const loads = gens.map((g, i) => g.request('load', { rate: (o.rate * (slices[i] as number)) / o.visitors, startAt: loadStart, measureFrom: loadStart, endAt: loadEnd }, o.maxMinutes * 60_000 + 60_000).catch(() => null));
    const acks = async () => (await Promise.all(gens.map((g) => g.request<{ acksOk: number }>('stats')))).reduce((a, s) => a + s.acksOk, 0);
    await sleep(300 + o.warmupSeconds * 1000);
    const a0 = await acks();
    const aT = wall();
    const load = await measureWindow(page, cdp, app.pid, o.windowSeconds * 1000);
    const achievedRate = ((await acks()) - a0) / ((wall() - aT) / 1000);
    log(`${achievedRate.toFixed(0)} changes/s: long tasks ${load.longTaskSharePct.toFixed(1)} % (${load.longTasks}), main thread busy ${load.mainThreadBusyPct.toFixed(1)} %`);
    const before = await metrics(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const stillShown = await count.innerText();

    // 5. Keystrokes in the search box under the same load.
    const plan = keystrokePlan(BASE, slices, o.keystrokes);
    const keys: KeyTiming[] = [];
    const typing = await measureWindow(page, cdp, app.pid, 0, () => typeAll(plan, keys));
    const ok = keys.filter((k) => !k.timedOut);
    const frame = frameOf(keys);
    log(`keystroke -> frame p50 ${frame.p50.toFixed(1)} ms, p95 ${frame.p95.toFixed(1)} ms, max ${frame.max.toFixed(1)} ms (${keys.length - ok.length} timed out)`);

    // 6. Where the time goes, when the target is missed (or asked for).
    let prof: ProfileSummary | null = null;
    let traced: TraceSummary | null = null;
    if (o.profile === 'always' || (o.profile === 'auto' && frame.p95 > o.targetMs)) {
      const more = keystrokePlan(BASE, slices, o.profileKeystrokes, 99);
      log(`profiling ${more.length} more keystrokes under load`);
      prof = await profile(cdp, () => typeAll(more, []), root);
      const then = keystrokePlan(BASE, slices, o.profileKeystrokes, 101);
      log(`tracing ${then.length} more keystrokes under load`);
      traced = await trace(cdp, () => typeAll(then, []));
    }
    const visitorsStill = await Promise.all(gens.map((g) => g.request<{ connected: number }>('stats')));
    await Promise.all(gens.map((g) => g.stop()));
    await Promise.all(loads);

    return {
      visitors: o.visitors,
      rate: o.rate,
      achievedRate,
      tableMs,
      stillShown,
      visitorsConnectedAtEnd: visitorsStill.reduce((a, s) => a + s.connected, 0),
      idle,
      load,
      typing,
      heap: { usedMB: heap.usedSize / 2 ** 20, totalMB: heap.totalSize / 2 ** 20, beforeGcMB: (before.JSHeapUsedSize ?? 0) / 2 ** 20, domNodes: before.Nodes ?? 0 },
      keys,
      frame,
      quietKeys,
      quietFrame: frameOf(quietKeys),
      painted: summarize(keys.map((k) => (k.timedOut ? o.keyTimeoutMs : k.toPainted))),
      dom: summarize(ok.map((k) => k.toDom)),
      inputDelay: summarize(ok.map((k) => k.inputDelay)),
      timedOut: keys.length - ok.length,
      profile: prof,
      trace: traced,
    };
  } finally {
    await closeBrowser?.().catch(() => {});
    await Promise.all(gens.map((g) => g.stop().catch(() => {})));
    await app?.stop().catch(() => {});
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const stopAt = setTimeout(() => {
    console.error(`[bench:dashboard] --max-minutes ${o.maxMinutes} reached: stopping`);
    killAll();
    process.exit(1);
  }, o.maxMinutes * 60_000);
  const started = new Date();
  const result = await run(o);
  clearTimeout(stopAt);
  writeReport(o, result, started);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('[bench:dashboard] failed:', err);
    process.exit(1);
  },
);
