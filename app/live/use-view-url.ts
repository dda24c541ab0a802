'use client';
// Keeps the URL in step with the live table's view without a navigation or a server round trip,
// so the view can be bookmarked and shared.
import { useEffect, useRef } from 'react';
import type { ViewState } from './view-state';
import { serializeView } from './view-url';

/**
 * The URL follows the view once the agent stops typing for this long: each history update goes
 * through Next's router and costs tens of milliseconds, too much to spend between keystrokes.
 */
const URL_SYNC_MS = 1_000;

/** Did the view change in a field the agent types into (the URL waits for a pause then)? */
const typedChange = (a: ViewState, b: ViewState): boolean => a.q !== b.q || a.page !== b.page || a.timeOver !== b.timeOver || a.pagesOver !== b.pagesOver;

/** Writes the view to the URL: at once for a click (a menu, a sort, a card), once the agent stops typing for typed filters. */
export function useViewUrl(view: ViewState): void {
  const urlView = useRef(view);
  useEffect(() => {
    const prev = urlView.current;
    urlView.current = view;
    const write = () => {
      const qs = serializeView(view);
      const next = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
      if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
    };
    if (!typedChange(prev, view)) return write();
    const t = setTimeout(write, URL_SYNC_MS);
    return () => clearTimeout(t);
  }, [view]);
}
