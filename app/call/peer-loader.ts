// simple-peer and its stream polyfills stay out of the dashboard's first load: fetched once the
// page is idle, or at the latest when the agent clicks Call (long before the visitor accepts).
import { useEffect } from 'react';

type PeerModule = typeof import('../../embed-snippet/src/rtc/peer');

let peerModule: Promise<PeerModule> | null = null;

/** The peer module, fetched once; a failed fetch is forgotten so the next call tries again. */
export function loadPeer(): Promise<PeerModule> {
  peerModule ??= import('../../embed-snippet/src/rtc/peer').catch((err: unknown) => {
    peerModule = null;
    throw err;
  });
  return peerModule;
}

/** Starts fetching the peer module without waiting for it (a failure shows when a call needs it). */
export function prefetchPeer(): void {
  loadPeer().catch(() => {});
}

/** Prefetches the peer module once the page is idle. */
export function usePeerPrefetch(): void {
  useEffect(() => {
    if (typeof requestIdleCallback === 'function') {
      const h = requestIdleCallback(prefetchPeer, { timeout: 5_000 });
      return () => cancelIdleCallback(h);
    }
    const t = setTimeout(prefetchPeer, 2_000);
    return () => clearTimeout(t);
  }, []);
}
