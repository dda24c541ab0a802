// Page changes, including single-page apps: full loads are covered by the handshake, in-page
// navigation by wrapping history.pushState/replaceState and listening to popstate/hashchange.
// The title is read a moment later because routers change the URL first and the title after
// rendering; a burst of URL changes (redirects, replaceState for scroll state) is one change.
import { guard } from './guard';

const SETTLE_MS = 300;
/** When the title still looks like the previous page's, give the app this much more time. */
const SLOW_TITLE_MS = 500;

/**
 * Calls `changed()` once per settled in-page navigation. `staleTitle()` says whether the title
 * still equals the last reported page's while the URL differs.
 */
export function watchNavigation(changed: () => void, staleTitle: () => boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = guard((retry: boolean) => {
    if (retry && staleTitle()) timer = setTimeout(settle, SLOW_TITLE_MS, false);
    else changed();
  });
  const onUrl = guard(() => {
    clearTimeout(timer);
    timer = setTimeout(settle, SETTLE_MS, true);
  });
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    try {
      // Keep the page's own call intact (arguments, `this`, return value, its exceptions).
      history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        onUrl();
        return result;
      };
    } catch {
      // A router that made history read-only: the Navigation API below still sees its changes.
    }
  }
  // Also every same-document navigation, including those of routers that kept a reference to
  // pushState from before this script ran (Chromium's Navigation API; elsewhere the wrappers).
  (window as { navigation?: EventTarget }).navigation?.addEventListener('currententrychange', onUrl);
  addEventListener('popstate', onUrl);
  addEventListener('hashchange', onUrl);
}
