// Which navigations count as this page being replaced by another page of the site, so the call
// part says call:navigating (embed-snippet/src/call/navigation-hint.ts). The watcher runs against
// a stubbed Navigation API: Node has EventTarget, and timers are faked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formLeaves, leavesForSameOrigin, linkLeaves, sameOrigin, watchLeaving } from '../../embed-snippet/src/call/navigation-hint';

describe('leaving for another page of the site', () => {
  const here = 'https://shop.example/lamps?page=1#top';
  const link = (href: string, attrs: Record<string, string> = {}) => ({ href, getAttribute: (n: string) => attrs[n] ?? null, hasAttribute: (n: string) => n in attrs });
  const plain = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };

  it('counts same-origin http(s) pages, not other sites or other schemes', () => {
    expect(sameOrigin('/checkout', here)).toBe(true);
    expect(sameOrigin('https://other.example/', here)).toBe(false);
    expect(sameOrigin('http://shop.example/', here)).toBe(false);
    expect(sameOrigin('javascript:void(0)', here)).toBe(false);
    expect(sameOrigin('mailto:a@b.c', here)).toBe(false);
    expect(sameOrigin('http://[bad', here)).toBe(false);
  });

  it('does not count fragment links on this page, but does count reloading it', () => {
    expect(leavesForSameOrigin('#reviews', here)).toBe(false);
    expect(leavesForSameOrigin('https://shop.example/lamps?page=1#reviews', here)).toBe(false);
    expect(leavesForSameOrigin('https://shop.example/lamps?page=2#reviews', here)).toBe(true);
    expect(leavesForSameOrigin('https://shop.example/lamps?page=1', here)).toBe(true);
  });

  it('ignores links that open elsewhere or download', () => {
    expect(linkLeaves(link('https://shop.example/cart'), plain, here)).toBe(true);
    expect(linkLeaves(link('https://shop.example/cart', { target: '_self' }), plain, here)).toBe(true);
    expect(linkLeaves(link('https://shop.example/cart', { target: '_blank' }), plain, here)).toBe(false);
    expect(linkLeaves(link('https://shop.example/cart', { target: 'help' }), plain, here)).toBe(false);
    expect(linkLeaves(link('https://shop.example/price-list.pdf', { download: '' }), plain, here)).toBe(false);
    expect(linkLeaves(link('https://shop.example/cart'), { ...plain, ctrlKey: true }, here)).toBe(false);
    expect(linkLeaves(link('https://shop.example/cart'), { ...plain, button: 1 }, here)).toBe(false);
    // SVG links carry their href as an animated string.
    expect(linkLeaves({ ...link(''), href: { baseVal: '/cart' } }, plain, here)).toBe(true);
  });

  it('counts form submissions to this site, including the page itself, but not dialogs or new windows', () => {
    const form = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null });
    expect(formLeaves(form({}), null, here)).toBe(true);
    expect(formLeaves(form({ action: '/search' }), null, here)).toBe(true);
    expect(formLeaves(form({ action: 'https://pay.example/' }), null, here)).toBe(false);
    expect(formLeaves(form({ method: 'dialog' }), null, here)).toBe(false);
    expect(formLeaves(form({ target: '_blank' }), null, here)).toBe(false);
    // The button's formaction/formtarget win over the form's.
    expect(formLeaves(form({ action: '/search' }), form({ formaction: 'https://pay.example/' }), here)).toBe(false);
    expect(formLeaves(form({ target: '_blank' }), form({ formtarget: '_self' }), here)).toBe(true);
  });
});

describe('watching for this page to be replaced (Navigation API)', () => {
  const here = 'https://shop.example/lamps';
  let navigation: EventTarget & { currentEntry: object };
  let win: EventTarget;

  beforeEach(() => {
    vi.useFakeTimers();
    navigation = Object.assign(new EventTarget(), { currentEntry: {} });
    win = new EventTarget();
    vi.stubGlobal('navigation', navigation);
    vi.stubGlobal('window', win);
    vi.stubGlobal('location', { href: here });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const navigate = (url: string, o: { canIntercept?: boolean; hashChange?: boolean; sameDocument?: boolean; download?: string | null } = {}) => {
    const e = Object.assign(new Event('navigate', { cancelable: true }), {
      canIntercept: o.canIntercept ?? true,
      hashChange: o.hashChange ?? false,
      downloadRequest: o.download ?? null,
      destination: { url, sameDocument: o.sameDocument ?? false },
    });
    navigation.dispatchEvent(e);
    return e;
  };

  it('reports a same-origin navigation once its dispatch is over', async () => {
    const onLeave = vi.fn();
    const stop = watchLeaving(onLeave);
    navigate('https://shop.example/cart');
    expect(onLeave).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(onLeave).toHaveBeenCalledTimes(1);
    stop();
    navigate('https://shop.example/cart');
    await vi.advanceTimersByTimeAsync(0);
    expect(onLeave).toHaveBeenCalledTimes(1);
  });

  it('ignores other origins, fragments, downloads, same-document, cancelled and intercepted navigations', async () => {
    const onLeave = vi.fn();
    watchLeaving(onLeave);
    navigate('https://other.example/');
    navigate('https://shop.example/lamps#top', { hashChange: true });
    navigate('https://shop.example/list.pdf', { download: 'list.pdf' });
    navigate('https://shop.example/p', { sameDocument: true });
    await vi.advanceTimersByTimeAsync(0);
    navigate('https://shop.example/cart').preventDefault();
    await vi.advanceTimersByTimeAsync(0);
    // A router intercepts: the new history entry is committed before our timer runs.
    navigate('https://shop.example/cart');
    navigation.currentEntry = {};
    await vi.advanceTimersByTimeAsync(0);
    win.dispatchEvent(new Event('pagehide'));
    expect(onLeave).not.toHaveBeenCalled();
  });

  it('reports at once what cannot be intercepted, and at beforeunload what the timer has not decided yet', () => {
    const onLeave = vi.fn();
    watchLeaving(onLeave);
    navigate('https://shop.example/previous', { canIntercept: false });
    expect(onLeave).toHaveBeenCalledTimes(1);
    navigate('https://shop.example/cart');
    win.dispatchEvent(new Event('beforeunload'));
    expect(onLeave).toHaveBeenCalledTimes(2);
  });

  it('reports again at pagehide when the page lingered after reporting (slow next page)', async () => {
    const onLeave = vi.fn();
    watchLeaving(onLeave);
    navigate('https://shop.example/cart');
    await vi.advanceTimersByTimeAsync(5_000);
    win.dispatchEvent(new Event('pagehide'));
    expect(onLeave).toHaveBeenCalledTimes(2);
  });
});
