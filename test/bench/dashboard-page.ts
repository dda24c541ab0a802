// In-page instrumentation of the dashboard benchmark (dashboard-bench.ts), and the keystroke plan.
//
// `benchInit` is installed with page.addInitScript, so it runs before any of the dashboard's code:
//   - a buffered PerformanceObserver collects every 'longtask' entry (start, duration);
//   - `__bench.arm(q, expected, timeoutMs)` prepares the measurement of the next keystroke: a
//     capture keydown listener on the document takes the event's timeStamp (when the browser
//     created the input event, so time spent queued behind other main-thread work counts), and a
//     MutationObserver on the live page checks, after every DOM change, that the table now shows
//     the new filter's result: the search box holds `q`, the count reads "<expected> of …" (the
//     orchestrator computed `expected` from the visitor ids it created, independently of the page),
//     and every rendered row's visitor id contains `q`. The first DOM change that satisfies all
//     three is "dom"; the next animation frame's callback is "frame" (it runs right before that
//     frame's style, layout and paint); a message posted from it runs after the frame's rendering
//     work on the main thread: "painted".
//   - `__bench.wait()` resolves with the timings (or timedOut).
import type { Page } from 'playwright-core';

export interface KeyTiming {
  q: string;
  key: string;
  expected: number;
  /** Milliseconds from the keydown's timeStamp. */
  inputDelay: number;
  toDom: number;
  toFrame: number;
  toPainted: number;
  rows: number;
  timedOut: boolean;
}

export interface LongTask {
  start: number;
  duration: number;
}

interface BenchGlobal {
  longtasks: LongTask[];
  arm(q: string, expected: number, key: string, timeoutMs: number): void;
  wait(): Promise<KeyTiming>;
}

/** Runs in the page (addInitScript): self-contained, no imports, no closures over Node values. */
export function benchInit(): void {
  const longtasks: LongTask[] = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no longtask support: reported as zero entries */
  }
  let pending: Promise<KeyTiming> = Promise.reject(new Error('not armed'));
  pending.catch(() => {});
  const g: BenchGlobal = {
    longtasks,
    arm(q, expected, key, timeoutMs) {
      const t = { q, key, expected, t0: NaN, handler: NaN, dom: NaN, frame: NaN, painted: NaN, rows: 0, timedOut: false };
      pending = new Promise<KeyTiming>((resolve) => {
        const root = document.querySelector('[data-testid=live-page]') ?? document.body;
        const input = document.querySelector<HTMLInputElement>('[data-testid=search]');
        const lower = q.toLowerCase();
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          mo.disconnect();
          document.removeEventListener('keydown', onKey, true);
          const d = (x: number) => (Number.isNaN(x) ? NaN : x - t.t0);
          resolve({ q, key, expected, inputDelay: d(t.handler), toDom: d(t.dom), toFrame: d(t.frame), toPainted: d(t.painted), rows: t.rows, timedOut: t.timedOut });
        };
        const check = () => {
          if (Number.isNaN(t.t0) || !Number.isNaN(t.dom) || !input || input.value !== q) return;
          const text = document.querySelector('[data-testid=visitor-count]')?.textContent ?? '';
          if (!text.startsWith(`${expected} of `)) return;
          const rows = root.querySelectorAll('tr[data-visitor-id]');
          if (expected > 0 && rows.length === 0) return;
          for (const r of rows) if (!(r.getAttribute('data-visitor-id') ?? '').toLowerCase().includes(lower)) return;
          t.rows = rows.length;
          t.dom = performance.now();
          mo.disconnect();
          requestAnimationFrame(() => {
            t.frame = performance.now();
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              t.painted = performance.now();
              finish();
            };
            ch.port2.postMessage(0);
          });
        };
        const onKey = (e: KeyboardEvent) => {
          if (!Number.isNaN(t.t0)) return;
          t.t0 = e.timeStamp;
          t.handler = performance.now();
        };
        const mo = new MutationObserver(check);
        mo.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-visitor-id'] });
        document.addEventListener('keydown', onKey, true);
        const timer = setTimeout(() => {
          t.timedOut = true;
          finish();
        }, timeoutMs);
      });
    },
    wait: () => pending,
  };
  (window as unknown as { __bench: BenchGlobal }).__bench = g;
}

/**
 * The init script's source. tsx compiles with keepNames, which wraps functions in calls to a
 * `__name` helper that does not exist in the page: a no-op one is defined first.
 */
export const benchInitScript = (): string => `var __name = (f) => f;\n(${benchInit.toString()})();`;

/** One measured keystroke: arm, press, wait for the repaint (or the timeout). */
export async function measureKey(page: Page, key: string, q: string, expected: number, timeoutMs: number): Promise<KeyTiming> {
  await page.evaluate(([qq, n, k, t]) => (window as unknown as { __bench: BenchGlobal }).__bench.arm(qq, n, k, t), [q, expected, key, timeoutMs] as const);
  await page.keyboard.press(key);
  return page.evaluate(() => (window as unknown as { __bench: BenchGlobal }).__bench.wait());
}

/** Long tasks that started in [from, to) (page clock), and the time they cover inside that window. */
export async function longTasksBetween(page: Page, from: number, to: number): Promise<{ count: number; totalMs: number; maxMs: number }> {
  const all = await page.evaluate(() => (window as unknown as { __bench: BenchGlobal }).__bench.longtasks);
  let count = 0;
  let totalMs = 0;
  let maxMs = 0;
  for (const l of all) {
    const s = Math.max(from, l.start);
    const e = Math.min(to, l.start + l.duration);
    if (e <= s) continue;
    count++;
    totalMs += e - s;
    maxMs = Math.max(maxMs, l.duration);
  }
  return { count, totalMs, maxMs };
}

export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

// ---- the keystroke plan ------------------------------------------------------------------------

/**
 * Visitor ids are `bvg<generator>i<index>x<8 hex>` (bench-client.ts). A search for "g0i12" matches
 * exactly the ids whose prefix contains it (no other searchable field of a bench visitor holds a
 * "g<digit>" pair: pages, titles, sources, device, language, time zone), so the number of rows
 * each search must show is known from the ids alone.
 */
export function expectedCount(q: string, slices: readonly number[]): number {
  let n = 0;
  slices.forEach((count, g) => {
    for (let i = 0; i < count; i++) if (`bvg${g}i${i}x`.includes(q)) n++;
  });
  return n;
}

export interface PlannedKey {
  key: string;
  q: string;
  expected: number;
}

/**
 * A random walk (seeded, so every run types the same) over searches "g0i" + up to 3 digits: each
 * keystroke appends a digit (narrows) or deletes one (widens), and always changes how many rows
 * match, so the count on screen tells the new result from the old one.
 */
export function keystrokePlan(base: string, slices: readonly number[], count: number, seed = 7): PlannedKey[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const plan: PlannedKey[] = [];
  let q = base;
  let cur = expectedCount(q, slices);
  const memo = new Map<string, number>();
  const exp = (x: string): number => {
    let n = memo.get(x);
    if (n === undefined) memo.set(x, (n = expectedCount(x, slices)));
    return n;
  };
  while (plan.length < count) {
    const digits = q.length - base.length;
    const widen = digits === 3 || (digits > 0 && rnd() < 0.45);
    const key = widen ? 'Backspace' : String(Math.floor(rnd() * 10));
    const next = widen ? q.slice(0, -1) : q + key;
    const n = exp(next);
    if (n === 0 || n === cur) continue;
    plan.push({ key, q: next, expected: n });
    q = next;
    cur = n;
  }
  return plan;
}
