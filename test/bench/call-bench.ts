// Call benchmark: `npm run bench:calls` (options: `npm run bench:calls -- --help`).
//
// Starts the product as `npm start` runs it (test/support/app-process.ts: server/start.ts in a child
// process, SKIP_BUILD, so a build must exist), logs into the dashboard as the demo user in one
// headless Chromium context and opens the demo customer website in another (both with a fake camera
// and microphone), then runs N calls one after another on loopback:
//   agent clicks `call-button` on the visitor's row
//     -> the invite (`pl-call`, data-state=ringing, in <porchlight-call>'s shadow root) is shown
//   visitor clicks `pl-accept-video`
//     -> first remote video frame on the visitor (`pl-remote-video`) and on the agent (`call-remote-video`)
//   the visitor clicks a link to another page of the demo site (call connected; unless --no-resume)
//     -> the call resumes by itself: `pl-call` in-call on the new page, first remote video frame
//        on the new page (`pl-remote-video`) and the first frame of the agent's new remote stream
//   agent clicks `call-hangup` -> both sides ended; the dock and the invite are dismissed.
// Every timestamp is taken inside the pages (performance.timeOrigin + event.timeStamp for clicks,
// performance.timeOrigin + performance.now() for what appears, requestVideoFrameCallback's
// presentationTime for frames): both pages run on this machine and share its clock.
// Prints p50/p95/max and writes test/bench/results/calls.md and calls.json.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { loginDemo } from '../support/demo';
import { newestMtime } from '../../server/build-freshness';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

const HELP = `Usage: npm run bench:calls -- [options]
  --calls 20          calls to run (the issue asks for at least 20)
  --gap-ms 300        pause between one call's end and the next click
  --timeout-ms 15000  how long to wait for each step before counting the call as failed
  --out test/bench/results/calls   results file stem (.md and .json are written)
  --allow-stale       run even if the build is older than app/ or embed-snippet/src
  --no-resume         skip the navigation step (the visitor moving to another page mid-call)
  --resume-settle-ms 500  how long the call runs (both sides in-call) before the visitor clicks the link
Needs a build: run \`npm run build\` first (the benchmark starts the server with SKIP_BUILD).`;

interface Options {
  calls: number;
  gapMs: number;
  timeoutMs: number;
  out: string;
  allowStale: boolean;
  resume: boolean;
  resumeSettleMs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { calls: 20, gapMs: 300, timeoutMs: 15_000, out: path.join(root, 'test/bench/results/calls'), allowStale: false, resume: true, resumeSettleMs: 500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--calls') o.calls = Math.max(1, Math.floor(num()));
    else if (a === '--gap-ms') o.gapMs = num();
    else if (a === '--timeout-ms') o.timeoutMs = num();
    else if (a === '--out') o.out = path.resolve(argv[++i] ?? '');
    else if (a === '--allow-stale') o.allowStale = true;
    else if (a === '--no-resume') o.resume = false;
    else if (a === '--resume-settle-ms') o.resumeSettleMs = num();
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// build check

function checkBuild(allowStale: boolean): void {
  const nextStamp = path.join(root, '.next', 'BUILD_ID');
  const snippetDir = path.join(root, 'embed-snippet', 'dist');
  const missing = [nextStamp, path.join(snippetDir, 'embed.js'), path.join(snippetDir, 'call.js')].filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(
      `The call benchmark runs the built product (the server starts with SKIP_BUILD), and the build is missing:\n` +
        missing.map((f) => `  ${path.relative(root, f)}`).join('\n') +
        `\nRun \`npm run build\` first, then \`npm run bench:calls\`.`,
    );
    process.exit(2);
  }
  const stale: string[] = [];
  if (statSync(nextStamp).mtimeMs < newestMtime(path.join(root, 'app'))) stale.push('.next is older than app/');
  if (statSync(path.join(snippetDir, 'call.js')).mtimeMs < newestMtime(path.join(root, 'embed-snippet', 'src'))) stale.push('embed-snippet/dist is older than embed-snippet/src');
  if (stale.length) {
    const msg = `The build looks stale (${stale.join('; ')}): run \`npm run build\` to measure the current code`;
    if (!allowStale) {
      console.error(`${msg}, or pass --allow-stale.`);
      process.exit(2);
    }
    console.warn(`WARNING: ${msg}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// in-page instrumentation (the same script in both contexts)

const PAGE_PROBE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const B = (window.__bench = { marks: {}, clicks: {}, watches: [], since: 0 });
  // Watches armed by the previous document of this tab before a navigation (B.armNext): they
  // start with this document, so the first frame or state of the new page is caught however early.
  try {
    const armed = sessionStorage.getItem('__benchArm');
    if (armed) {
      sessionStorage.removeItem('__benchArm');
      for (const w of JSON.parse(armed)) B.watches.push({ name: w.name, sel: w.sel, kind: w.kind, done: false, since: 0, videos: new Set(), oldStreams: new Set() });
    }
  } catch {}
  const roots = () => {
    const r = [document];
    const host = document.querySelector('porchlight-call');
    if (host && host.shadowRoot) r.push(host.shadowRoot);
    return r;
  };
  const query = (sel) => {
    for (const r of roots()) {
      const el = r.querySelector(sel);
      if (el) return el;
    }
    return null;
  };
  const visible = (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : true) && el.getClientRects().length > 0;
  const observed = new WeakSet();
  const mo = new MutationObserver(() => check());
  const observe = (node) => {
    if (!node || observed.has(node)) return;
    observed.add(node);
    mo.observe(node, { subtree: true, childList: true, attributes: true });
  };
  const check = () => {
    if (document.documentElement) observe(document);
    const host = document.querySelector('porchlight-call');
    if (host && host.shadowRoot) observe(host.shadowRoot);
    for (const w of B.watches) {
      if (w.done) continue;
      if (w.kind === 'shown') {
        const el = query(w.sel);
        if (el && visible(el)) {
          w.done = true;
          B.marks[w.name + 'Dom'] = now();
          // The frame in which it is first painted.
          requestAnimationFrame(() => (B.marks[w.name] = now()));
        }
      } else if (w.kind === 'absent') {
        if (!query(w.sel)) {
          w.done = true;
          B.marks[w.name] = now();
        }
      } else if (w.kind === 'frame' || w.kind === 'newFrame') {
        // Every <video> that takes the testid gets a callback (React or the call part may replace it);
        // the first frame presented after the watch was armed wins. 'newFrame': and it must come
        // from another stream than the ones the videos showed when the watch was armed (a new peer).
        for (const r of roots()) {
          for (const el of r.querySelectorAll(w.sel)) {
            if (w.videos.has(el) || typeof el.requestVideoFrameCallback !== 'function') continue;
            w.videos.add(el);
            const onFrame = (cbNow, meta) => {
              if (w.done) return;
              const at = performance.timeOrigin + meta.presentationTime;
              const old = w.kind === 'newFrame' && (!el.srcObject || w.oldStreams.has(el.srcObject.id));
              if (at < w.since || old) return el.requestVideoFrameCallback(onFrame);
              w.done = true;
              B.marks[w.name] = at;
              B.marks[w.name + 'Callback'] = performance.timeOrigin + cbNow;
              B.marks[w.name + 'Size'] = meta.width + 'x' + meta.height;
            };
            el.requestVideoFrameCallback(onFrame);
          }
        }
      }
    }
  };
  const loop = () => {
    check();
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  document.addEventListener('DOMContentLoaded', check);
  // Clicks, by the innermost data-testid on their (composed) path: event.timeStamp is when the
  // input event was created, i.e. the click itself.
  document.addEventListener(
    'click',
    (e) => {
      for (const n of e.composedPath()) {
        const id = n && n.getAttribute && n.getAttribute('data-testid');
        if (id) {
          if (!(id in B.clicks)) B.clicks[id] = performance.timeOrigin + e.timeStamp;
          break;
        }
      }
      // A click on a link: kept in the tab's sessionStorage too, for the page it leads to.
      const link = e.composedPath().find((n) => n && n.tagName === 'A' && n.getAttribute('href'));
      if (link) {
        const at = performance.timeOrigin + e.timeStamp;
        B.clicks['link:' + link.getAttribute('href')] = at;
        try {
          sessionStorage.setItem('__benchNavClick', JSON.stringify({ href: link.getAttribute('href'), at }));
        } catch {}
      }
    },
    true,
  );
  B.reset = () => {
    B.marks = {};
    B.clicks = {};
    B.watches = [];
    B.since = now();
  };
  B.watch = (name, sel, kind) => {
    const oldStreams = new Set();
    for (const r of roots()) for (const el of r.querySelectorAll(sel)) if (el.srcObject) oldStreams.add(el.srcObject.id);
    B.watches.push({ name, sel, kind, done: false, since: now(), videos: new Set(), oldStreams });
    check();
  };
  B.armNext = (watches) => sessionStorage.setItem('__benchArm', JSON.stringify(watches));
  B.navClick = () => {
    try {
      return JSON.parse(sessionStorage.getItem('__benchNavClick') || 'null');
    } catch {
      return null;
    }
  };
  B.now = now;
})();`;

type WatchKind = 'shown' | 'absent' | 'frame' | 'newFrame';

interface PageBench {
  marks: Record<string, number | string>;
  clicks: Record<string, number>;
}

declare global {
  interface Window {
    __bench: PageBench & {
      reset(): void;
      watch(name: string, sel: string, kind: WatchKind): void;
      armNext(watches: { name: string; sel: string; kind: WatchKind }[]): void;
      navClick(): { href: string; at: number } | null;
      now(): number;
    };
  }
}

const tid = (id: string, extra = '') => `[data-testid=${id}]${extra}`;

async function reset(page: Page): Promise<void> {
  await page.evaluate(() => window.__bench.reset());
}
async function watch(page: Page, name: string, sel: string, kind: WatchKind): Promise<void> {
  await page.evaluate(([n, s, k]) => window.__bench.watch(n, s, k as WatchKind), [name, sel, kind] as const);
}
async function state(page: Page): Promise<PageBench> {
  return page.evaluate(() => ({ marks: window.__bench.marks, clicks: window.__bench.clicks }));
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// statistics

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  // nearest rank, as in "p95 over 20 calls = the 19th value"
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
interface Stat {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}
function stats(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? NaN, p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');

// ---------------------------------------------------------------------------------------------
// the benchmark

interface CallSample {
  call: number;
  inviteMs?: number;
  inviteDomMs?: number;
  visitorFirstFrameMs?: number;
  agentFirstFrameMs?: number;
  visitorFrameSize?: string;
  agentFrameSize?: string;
  hangupVisitorEndedMs?: number;
  hangupAgentEndedMs?: number;
  /** The navigation step: from the visitor's click on a link to another page of the site. */
  resumeFrom?: string;
  resumeTo?: string;
  resumeInCallMs?: number;
  resumeVisitorFrameMs?: number;
  resumeAgentFrameMs?: number;
  error?: string;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  checkBuild(o.allowStale);

  let app: AppProcess | undefined;
  let browser: Browser | undefined;
  const samples: CallSample[] = [];
  let chromiumVersion = '';
  let clockSkewMs = NaN;
  const started = new Date();
  try {
    console.log('[bench:calls] starting Porchlight (server/start.ts, SKIP_BUILD) and Chromium...');
    [app, browser] = await Promise.all([startApp(), launchBrowser(MEDIA_ARGS)]);
    chromiumVersion = browser.version();
    const demo = await loginDemo(app.url);

    const agentCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await agentCtx.addCookies(cookiesFor(demo.cookie, app.url));
    const visitorCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    for (const ctx of [agentCtx, visitorCtx]) await ctx.addInitScript({ content: PAGE_PROBE });

    const agent = await agentCtx.newPage();
    const visitor = await visitorCtx.newPage();
    const pageErrors: string[] = [];
    agent.on('pageerror', (e) => pageErrors.push(`agent: ${e.message}`));
    visitor.on('pageerror', (e) => pageErrors.push(`visitor: ${e.message}`));

    await agent.goto(`${app.url}/sites/${demo.siteId}`);
    await visitor.goto(`${app.demoUrl}/`);
    const row = agent.locator(tid('visitor-row')).first();
    await row.waitFor({ timeout: 15_000 });
    const callButton = row.locator(tid('call-button'));
    try {
      await callButton.waitFor({ timeout: 15_000 });
    } catch {
      throw new Error('the visitor row has no call-button: is the calls UI in this build? (run `npm run build`)');
    }
    clockSkewMs = await measureSkew(agent, visitor);
    console.log(`[bench:calls] Chromium ${chromiumVersion}; page clocks agree within ${clockSkewMs.toFixed(2)} ms; ${o.calls} calls`);

    for (let i = 1; i <= o.calls; i++) {
      const sample: CallSample = { call: i };
      samples.push(sample);
      try {
        await runCall(agent, visitor, callButton, sample, o);
        const resumed = o.resume ? `, ${sample.resumeFrom} -> ${sample.resumeTo}: in-call ${ms(sample.resumeInCallMs!)} ms, frame visitor ${ms(sample.resumeVisitorFrameMs!)} ms / agent ${ms(sample.resumeAgentFrameMs!)} ms` : '';
        console.log(
          `call ${String(i).padStart(2)}: invite ${ms(sample.inviteMs!)} ms, first frame visitor ${ms(sample.visitorFirstFrameMs!)} ms / agent ${ms(sample.agentFirstFrameMs!)} ms${resumed}, hang-up -> ended visitor ${ms(sample.hangupVisitorEndedMs!)} ms / agent ${ms(sample.hangupAgentEndedMs!)} ms`,
        );
      } catch (e) {
        sample.error = (e as Error).message.split('\n')[0];
        console.log(`call ${String(i).padStart(2)}: FAILED: ${sample.error}`);
        await recover(agent, visitor, callButton);
      }
      await sleep(o.gapMs);
    }
    if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.slice(0, 10).join('\n  ')}`);
    await agentCtx.close();
    await visitorCtx.close();
  } finally {
    await browser?.close();
    await app?.stop();
  }

  report(o, samples, { chromiumVersion, clockSkewMs, started });
}

/** Runs one call and fills in its sample; throws when a step does not happen in time. */
async function runCall(agent: Page, visitor: Page, callButton: ReturnType<Page['locator']>, s: CallSample, o: Options): Promise<void> {
  const { timeoutMs } = o;
  // The previous call is over on the server too: the button is enabled again.
  await until(async () => (await callButton.isEnabled()) && !(await visible(agent, tid('call-dock', ':not([data-phase=ended])'))), timeoutMs, 'the call button to be enabled and no call in the dock');

  await Promise.all([reset(agent), reset(visitor)]);
  await watch(visitor, 'invite', tid('pl-call', '[data-state=ringing]'), 'shown');
  await callButton.click();
  const invite = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof v.marks.invite === 'number' && a.clicks['call-button'] ? { a, v } : null;
  }, timeoutMs, 'the invite on the visitor page');
  const clickAt = invite.a.clicks['call-button']!;
  s.inviteMs = (invite.v.marks.invite as number) - clickAt;
  s.inviteDomMs = (invite.v.marks.inviteDom as number) - clickAt;

  await watch(visitor, 'remoteFrame', tid('pl-remote-video'), 'frame');
  await watch(agent, 'remoteFrame', tid('call-remote-video'), 'frame');
  await visitor.locator(tid('pl-accept-video')).click();
  const frames = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof a.marks.remoteFrame === 'number' && typeof v.marks.remoteFrame === 'number' && v.clicks['pl-accept-video'] ? { a, v } : null;
  }, timeoutMs, 'the first remote frame on both sides');
  const acceptAt = frames.v.clicks['pl-accept-video']!;
  s.visitorFirstFrameMs = (frames.v.marks.remoteFrame as number) - acceptAt;
  s.agentFirstFrameMs = (frames.a.marks.remoteFrame as number) - acceptAt;
  s.visitorFrameSize = String(frames.v.marks.remoteFrameSize);
  s.agentFrameSize = String(frames.a.marks.remoteFrameSize);

  if (o.resume) await resumeAfterNavigation(agent, visitor, s, o);

  // Hang up from the agent: both sides end; then dismiss both UIs.
  await watch(visitor, 'ended', tid('pl-call', ':not([data-state=ended])'), 'absent');
  await watch(agent, 'ended', tid('call-dock', ':not([data-phase=ended])'), 'absent');
  await agent.locator(tid('call-hangup')).click();
  const ended = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof a.marks.ended === 'number' && typeof v.marks.ended === 'number' && a.clicks['call-hangup'] ? { a, v } : null;
  }, timeoutMs, 'both sides to show the call ended');
  const hangupAt = ended.a.clicks['call-hangup']!;
  s.hangupVisitorEndedMs = (ended.v.marks.ended as number) - hangupAt;
  s.hangupAgentEndedMs = (ended.a.marks.ended as number) - hangupAt;
  await dismiss(agent, visitor, timeoutMs);
}

/**
 * With the call connected on both sides, the visitor clicks a header link to another page of the
 * demo site (home <-> pricing, alternately); the call resumes by itself on the new page (a new
 * peer connection). Measured from the click to: the new page's call UI in-call, its first remote
 * video frame, and the first frame of the new remote stream on the agent's side.
 */
async function resumeAfterNavigation(agent: Page, visitor: Page, s: CallSample, o: Options): Promise<void> {
  const { timeoutMs } = o;
  await until(
    async () => (await visible(agent, tid('call-dock', '[data-phase=in-call]'))) && (await visible(visitor, tid('pl-call', '[data-state=in-call]'))),
    timeoutMs,
    'both sides in-call before the navigation',
  );
  await sleep(o.resumeSettleMs);
  const from = new URL(visitor.url()).pathname;
  const to = from === '/pricing' ? '/' : '/pricing';
  s.resumeFrom = from;
  s.resumeTo = to;
  // The new document arms its own watches as it starts (sessionStorage of this tab).
  await visitor.evaluate((sel) => {
    sessionStorage.removeItem('__benchNavClick');
    window.__bench.armNext([
      { name: 'resumeInCall', sel: '[data-testid=pl-call][data-state=in-call]', kind: 'shown' },
      { name: 'resumeFrame', sel, kind: 'frame' },
    ]);
  }, tid('pl-remote-video'));
  await reset(agent);
  // Frames of the stream the agent shows now (the visitor's old page) do not count.
  await watch(agent, 'resumeFrame', tid('call-remote-video'), 'newFrame');
  await Promise.all([visitor.waitForURL((u) => u.pathname === to, { waitUntil: 'commit', timeout: timeoutMs }), visitor.locator(`header a[href="${to}"]`).click()]);
  const r = await until(
    async () => {
      try {
        const [a, v, nav] = await Promise.all([state(agent), state(visitor), visitor.evaluate(() => window.__bench.navClick())]);
        return typeof a.marks.resumeFrame === 'number' && typeof v.marks.resumeFrame === 'number' && typeof v.marks.resumeInCall === 'number' && nav ? { a, v, nav } : null;
      } catch {
        return null; // the visitor's page is between documents
      }
    },
    timeoutMs,
    'the call to resume on the new page (in-call and frames on both sides)',
  );
  s.resumeInCallMs = (r.v.marks.resumeInCall as number) - r.nav.at;
  s.resumeVisitorFrameMs = (r.v.marks.resumeFrame as number) - r.nav.at;
  s.resumeAgentFrameMs = (r.a.marks.resumeFrame as number) - r.nav.at;
}

/** Closes the ended call UIs (or waits for them to go away by themselves). */
async function dismiss(agent: Page, visitor: Page, timeoutMs: number): Promise<void> {
  const close = async (page: Page, id: string) => {
    const b = page.locator(tid(id)).first();
    if (await b.isVisible().catch(() => false)) await b.click({ timeout: 2000 }).catch(() => {});
  };
  await Promise.all([close(agent, 'call-close'), close(visitor, 'pl-close')]);
  // Closed, or at least no longer showing a live call (an ended UI may stay a few seconds).
  await until(async () => !(await visible(agent, tid('call-dock', ':not([data-phase=ended])'))), timeoutMs, 'the call dock to close');
  await until(async () => !(await visible(visitor, tid('pl-call', ':not([data-state=ended])'))), timeoutMs, 'the visitor call UI to close');
  await until(async () => !(await visible(agent, tid('call-dock'))) && !(await visible(visitor, tid('pl-call'))), 5000, 'the ended UIs to go away').catch(() => {});
}

const visible = (page: Page, sel: string) => page.locator(sel).first().isVisible().catch(() => false);

/** After a failed step: end whatever call is up so the next one can start. */
async function recover(agent: Page, visitor: Page, callButton: ReturnType<Page['locator']>): Promise<void> {
  for (const [page, id] of [
    [agent, 'call-hangup'],
    [agent, 'call-cancel'],
    [visitor, 'pl-hangup'],
    [visitor, 'pl-decline'],
  ] as const) {
    const b = page.locator(tid(id)).first();
    if (await b.isVisible().catch(() => false)) await b.click({ timeout: 2000 }).catch(() => {});
  }
  await dismiss(agent, visitor, 10_000).catch(() => {});
  await until(async () => callButton.isEnabled(), 35_000, 'the call button after a failed call').catch(() => {});
}

/** How far apart the two pages' clocks (timeOrigin + now) read, bracketed by Node's clock. */
async function measureSkew(a: Page, b: Page): Promise<number> {
  let worst = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const ta = await a.evaluate(() => window.__bench.now());
    const t1 = performance.timeOrigin + performance.now();
    const tb = await b.evaluate(() => window.__bench.now());
    const t2 = performance.timeOrigin + performance.now();
    // Each page's reading must lie inside its bracket; the error is how far outside it lies.
    const off = (t: number, lo: number, hi: number) => (t < lo ? lo - t : t > hi ? t - hi : 0);
    worst = Math.max(worst, off(ta, t0, t1), off(tb, t1, t2));
  }
  return worst;
}

function cookiesFor(header: string, url: string) {
  return header
    .split(/;\s*/)
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf('=');
      return { name: kv.slice(0, i), value: kv.slice(i + 1), url };
    });
}

// ---------------------------------------------------------------------------------------------
// report

function report(o: Options, samples: CallSample[], meta: { chromiumVersion: string; clockSkewMs: number; started: Date }): void {
  const ok = samples.filter((s) => !s.error);
  const failed = samples.filter((s) => s.error);
  const pick = (k: keyof CallSample) => ok.map((s) => s[k]).filter((v): v is number => typeof v === 'number');
  const metrics = {
    invite: stats(pick('inviteMs')),
    inviteDom: stats(pick('inviteDomMs')),
    visitorFirstFrame: stats(pick('visitorFirstFrameMs')),
    agentFirstFrame: stats(pick('agentFirstFrameMs')),
    hangupVisitorEnded: stats(pick('hangupVisitorEndedMs')),
    hangupAgentEnded: stats(pick('hangupAgentEndedMs')),
    resumeInCall: stats(pick('resumeInCallMs')),
    resumeVisitorFrame: stats(pick('resumeVisitorFrameMs')),
    resumeAgentFrame: stats(pick('resumeAgentFrameMs')),
  };
  const warm = ok.filter((s) => s.call > 1);
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: meta.chromiumVersion,
  };
  const targets = {
    invite: { targetMs: 200, p95: metrics.invite.p95, met: metrics.invite.p95 < 200 },
    visitorFirstFrame: { targetMs: 1000, p95: metrics.visitorFirstFrame.p95, met: metrics.visitorFirstFrame.p95 < 1000 },
    agentFirstFrame: { targetMs: 1000, p95: metrics.agentFirstFrame.p95, met: metrics.agentFirstFrame.p95 < 1000 },
  };

  const row = (label: string, s: Stat, target?: string) => `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${ms(s.min)} | ${ms(s.mean)} | ${target ?? ''} |`;
  const verdict = (t: { targetMs: number; met: boolean }) => `< ${t.targetMs} ms: ${t.met ? 'met' : 'NOT met'}`;
  const md = `# Call benchmark

Run ${meta.started.toISOString()} on ${machine.cores} cores (${machine.cpu}), ${machine.memGiB} GiB, ${machine.kernel}, Node ${machine.node}, headless Chromium ${machine.chromium}; everything on loopback (127.0.0.1), no STUN/TURN (ICE_SERVERS empty: host candidates).
${ok.length} of ${samples.length} calls completed${failed.length ? `; ${failed.length} failed: ${[...new Set(failed.map((f) => f.error))].join('; ')}` : ''}.

| measured (ms) | calls | p50 | p95 | max | min | mean | target (on p95) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${row("agent's click on Call -> invite shown on the visitor's page", metrics.invite, verdict(targets.invite))}
${row('  (the same, to the invite in the DOM, before its frame)', metrics.inviteDom)}
${row("visitor's Accept with video -> first remote frame, visitor side", metrics.visitorFirstFrame, verdict(targets.visitorFirstFrame))}
${row("visitor's Accept with video -> first remote frame, agent side", metrics.agentFirstFrame, verdict(targets.agentFirstFrame))}
${o.resume ? `${row("visitor's click on a link to another page -> call UI in-call on the new page", metrics.resumeInCall)}
${row("visitor's click on a link to another page -> first remote video frame on the new page", metrics.resumeVisitorFrame)}
${row("visitor's click on a link to another page -> first new remote video frame, agent side", metrics.resumeAgentFrame)}
` : ''}${row("agent's hang-up -> visitor sees the call ended", metrics.hangupVisitorEnded)}
${row("agent's hang-up -> agent's dock shows it ended", metrics.hangupAgentEnded)}

First call (the visitor's page loads the call part, /embed/call.js, on the first invite): invite ${ms(ok.find((s) => s.call === 1)?.inviteMs ?? NaN)} ms, first frame visitor ${ms(ok.find((s) => s.call === 1)?.visitorFirstFrameMs ?? NaN)} ms / agent ${ms(ok.find((s) => s.call === 1)?.agentFirstFrameMs ?? NaN)} ms. Calls 2-${samples.length} only: invite p50 ${ms(stats(warm.map((s) => s.inviteMs!)).p50)} / p95 ${ms(stats(warm.map((s) => s.inviteMs!)).p95)} ms.

## Method

\`npm run bench:calls\` (test/bench/call-bench.ts) starts the product as \`npm start\` does (server/start.ts in a child process with SKIP_BUILD, so it serves
the existing \`npm run build\` output; a fresh PGlite folder; the demo customer website on its own port; no ICE servers), and one headless Chromium
(${machine.chromium}) with a fake camera and microphone (\`--use-fake-device-for-media-stream --use-fake-ui-for-media-stream
--allow-loopback-in-peer-connection\`). One browser context is the agent: the demo account's session cookie (signed in through better-auth's HTTP
endpoint) on the Demo Store's live page. Another context is one visitor on the demo website's home page. Then ${samples.length} calls run one after another,
${o.gapMs} ms apart: the agent clicks \`call-button\` on the visitor's row; the visitor clicks \`pl-accept-video\` as soon as the invite shows; once both
sides have a remote frame${o.resume ? `, and once both show the call in-call (dock \`data-phase=in-call\`, \`pl-call\` \`data-state=in-call\`) plus ${o.resumeSettleMs} ms, the visitor
clicks the header link to another page of the demo site (home -> /pricing, then /pricing -> home in the next call, alternately): a full page load, after which the
snippet on the new page picks the call up by itself (a new peer connection; nobody clicks anything). When the new page shows the call in-call and a remote frame
and the agent shows a frame of the new stream, the agent` : ', the agent'} clicks \`call-hangup\`, then both ended UIs are dismissed (\`call-close\`, \`pl-close\`) and the next call waits for the
row's call button to be enabled again.${o.resume ? ` The navigation step is one more step of every call (not a separate loop).` : ''}

Clocks: every timestamp is taken inside the pages, on this machine's clock: clicks are \`performance.timeOrigin + event.timeStamp\` of the click
event (the moment the input event was created), from a capturing listener; "invite shown" is the first animation frame after a MutationObserver
(on the document and on the \`<porchlight-call>\` open shadow root) sees \`pl-call[data-state=ringing]\` visible (the row above it, "in the DOM", is the
observer's own time); "first remote frame" is \`requestVideoFrameCallback\`'s \`presentationTime\` (when the frame was handed to the compositor) of the
first frame of \`pl-remote-video\` (visitor) or \`call-remote-video\` (agent) after the accept click; "ended" is when no \`pl-call\` outside
\`data-state=ended\` (no \`call-dock\` outside \`data-phase=ended\`) is left. ${o.resume ? `For the navigation step, the click on the link is taken the same way on the old page and kept in the tab's sessionStorage; the new
document arms its watches as it starts (from sessionStorage, set before the click), so its first \`pl-remote-video\` frame and the first visible
\`pl-call[data-state=in-call]\` are caught however early they come; on the agent's page the first frame of \`call-remote-video\` counts only if its
\`srcObject\` is another stream than the one shown at the click (the old peer's last frames do not count). ` : ''}The two pages' clocks (\`performance.timeOrigin + performance.now()\`)
agreed with Node's within ${Number.isFinite(meta.clockSkewMs) ? meta.clockSkewMs.toFixed(2) : 'n/a'} ms. Percentiles are nearest-rank (p95 of 20 calls = the 19th smallest).
Both browser pages, the server and the demo website share the machine's ${machine.cores} cores, so these are loopback figures, without network latency.
`;

  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(`${o.out}.md`, md);
  writeFileSync(`${o.out}.json`, `${JSON.stringify({ started: meta.started.toISOString(), machine, options: { calls: o.calls, gapMs: o.gapMs, resume: o.resume, resumeSettleMs: o.resumeSettleMs }, clockSkewMs: meta.clockSkewMs, metrics, targets, samples }, null, 2)}\n`);
  console.log(`\n${md}`);
  console.log(`written: ${path.relative(root, `${o.out}.md`)}, ${path.relative(root, `${o.out}.json`)}`);
  if (!ok.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
