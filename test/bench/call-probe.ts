// Call benchmark, in-page instrumentation: the same script in both contexts, and the helpers that arm and read it.
import type { Page } from 'playwright-core';
import { sleep } from './bench-shared';

export const PAGE_PROBE = `(() => {
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

export type WatchKind = 'shown' | 'absent' | 'frame' | 'newFrame';

export interface PageBench {
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

export const tid = (id: string, extra = '') => `[data-testid=${id}]${extra}`;

export async function reset(page: Page): Promise<void> {
  await page.evaluate(() => window.__bench.reset());
}
export async function watch(page: Page, name: string, sel: string, kind: WatchKind): Promise<void> {
  await page.evaluate(([n, s, k]) => window.__bench.watch(n, s, k as WatchKind), [name, sel, kind] as const);
}
export async function state(page: Page): Promise<PageBench> {
  return page.evaluate(() => ({ marks: window.__bench.marks, clicks: window.__bench.clicks }));
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
