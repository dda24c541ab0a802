// Tells the call part that this page is about to be replaced by another page of the same site,
// so it can say `call:navigating` while the socket is still open (the server then keeps the call
// for the next page instead of ending it when this page's socket closes).
//
// Where the Navigation API exists, its `navigate` event sees every kind of navigation (links,
// forms, location.href, reload, back/forward). Elsewhere a capture-phase click listener on links
// and a submit listener on forms stand in. Either way the decision waits for the end of the
// event's dispatch (a 0 ms timer): single-page apps cancel the click or intercept the
// navigation in their own listeners, which may run after ours, and those stay on this document.
// At pagehide a navigation that was seen but not yet reported is reported then.
import { guard } from './safe';

/** Whether `to` (absolute, or relative to `here`) is an http(s) URL of the same origin as `here`. */
export function sameOrigin(to: string, here: string): boolean {
  try {
    const from = new URL(here);
    const dest = new URL(to, from);
    return dest.origin === from.origin && /^https?:$/.test(dest.protocol);
  } catch {
    return false;
  }
}

/** Whether following a link from `here` to `to` loads another document of the same origin. */
export function leavesForSameOrigin(to: string, here: string): boolean {
  if (!sameOrigin(to, here)) return false;
  const dest = new URL(to, here);
  // Only a fragment added or changed: the browser scrolls, the document stays.
  return !(dest.hash && dest.href.split('#')[0] === here.split('#')[0]);
}

interface LinkLike {
  href: string | { baseVal: string };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}
interface ClickLike {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether clicking this link (with these keys) navigates this tab to another same-origin page. */
export function linkLeaves(link: LinkLike, click: ClickLike, here: string): boolean {
  // Modified or middle clicks open new tabs or windows; downloads keep the page.
  if (click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return false;
  if (link.hasAttribute('download')) return false;
  const target = (link.getAttribute('target') ?? '').toLowerCase();
  if (target && target !== '_self') return false;
  const href = typeof link.href === 'string' ? link.href : link.href.baseVal;
  return leavesForSameOrigin(href, here);
}

interface FormLike {
  getAttribute(name: string): string | null;
}

/** Whether submitting this form (through this submit button) loads another same-origin page. */
export function formLeaves(form: FormLike, submitter: FormLike | null, here: string): boolean {
  // Attributes, not the form's properties: an <input name="action"> shadows form.action.
  const attr = (name: string): string | null => submitter?.getAttribute(`form${name}`) ?? form.getAttribute(name);
  if ((attr('method') ?? '').toLowerCase() === 'dialog') return false;
  const target = (attr('target') ?? '').toLowerCase();
  if (target && target !== '_self') return false;
  // A submission always loads a document (even to this very URL).
  return sameOrigin(attr('action') || here, here);
}

interface NavigateEventLike extends Event {
  canIntercept: boolean;
  hashChange: boolean;
  downloadRequest: string | null;
  destination: { url: string; sameDocument: boolean };
}
interface NavigationLike extends EventTarget {
  currentEntry: unknown;
}

/** Calls `onLeave` when this document is about to be replaced by another page of this site. Returns a stop function. */
export function watchLeaving(onLeave: () => void): () => void {
  const offs: (() => void)[] = [];
  const listen = (target: EventTarget, type: string, fn: (e: never) => void, capture = false): void => {
    const handler = guard(fn) as EventListener;
    target.addEventListener(type, handler, capture);
    offs.push(() => target.removeEventListener(type, handler, capture));
  };
  // A navigation seen but not yet decided (its event is still being dispatched).
  let pending: { event: Event; stays: () => boolean } | null = null;
  let reportedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = (): void => {
    pending = null;
    clearTimeout(timer);
    reportedAt = Date.now();
    onLeave();
  };
  const decide = (): void => {
    const p = pending;
    pending = null;
    if (p && !p.event.defaultPrevented && !p.stays()) report();
  };
  // beforeunload and pagehide come only for navigations that replace this document, so a
  // navigation seen and not cancelled is reported there without waiting for the timer, which
  // Chrome may not run before a fast next page replaces this one.
  const unloading = (): void => {
    if (pending && !pending.event.defaultPrevented) report();
  };
  const seen = (event: Event, stays: () => boolean = () => false): void => {
    pending = { event, stays };
    clearTimeout(timer);
    timer = setTimeout(guard(decide), 0);
  };

  const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
  if (navigation && typeof navigation.addEventListener === 'function') {
    listen(navigation, 'navigate', (e: NavigateEventLike) => {
      if (e.hashChange || e.downloadRequest != null || e.destination.sameDocument || !sameOrigin(e.destination.url, location.href)) return;
      // Nobody can turn it into a same-document navigation (a cross-document back/forward).
      if (!e.canIntercept) return report();
      // A listener that intercepts it (a router) turns it into a same-document navigation,
      // which commits a new history entry before our timer runs.
      const entry = navigation.currentEntry;
      seen(e, () => navigation.currentEntry !== entry);
    });
  } else {
    listen(
      document,
      'click',
      (e: MouseEvent) => {
        const link = e.composedPath().find((n): n is Element => n instanceof Element && n.matches('a[href],area[href]'));
        if (link && linkLeaves(link as HTMLAnchorElement, e, location.href)) seen(e);
      },
      true,
    );
    listen(
      document,
      'submit',
      (e: SubmitEvent) => {
        if (e.target instanceof HTMLFormElement && formLeaves(e.target, e.submitter, location.href)) seen(e);
      },
      true,
    );
  }
  listen(window, 'beforeunload', unloading);
  // Capture phase: window is the target, so this runs before the core's own pagehide listener
  // closes the socket. A page that lingered after the first report (slow next page) reports again.
  listen(
    window,
    'pagehide',
    () => {
      if (pending) unloading();
      else if (reportedAt && Date.now() - reportedAt < 60_000) onLeave();
    },
    true,
  );
  return () => {
    clearTimeout(timer);
    for (const off of offs.splice(0)) off();
  };
}
