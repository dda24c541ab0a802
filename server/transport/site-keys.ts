// Site key changes across processes. Each process caches key lookups for 30 s, so a change made
// on one (new origins, a rotated key) is told to the others ('sites:forget' over the adapter).
// A rotated-out key keeps working for its grace period; when that ends, every process closes the
// visitor sockets it holds that connected with it (new handshakes with it are refused by the
// store from then on). The snippet treats the refusal of its reconnect like any refused key.
import type { SiteStore } from '../sites/site-store';
import type { VisitorNamespace } from './io';
import { siteKeyOf } from './visitor-namespace';

export interface SiteKeysDeps {
  sites: Pick<SiteStore, 'onKeysChange' | 'forgetSites' | 'retiringKeys' | 'retired'>;
  /** Several processes share the adapter (Redis). */
  cluster: boolean;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** How often retiring keys are checked (a key's sockets close at most this long after its grace). */
  sweepMs?: number;
}

export function attachSiteKeys(nsp: VisitorNamespace, d: SiteKeysDeps): { close(): void } {
  d.sites.onKeysChange((c) => {
    if (d.cluster) nsp.serverSideEmit('sites:forget', c);
  });
  // Another process changed keys: forget the cached ones here, note the retiring ones.
  nsp.on('sites:forget', (p) => d.sites.forgetSites(p.siteIds, p.retiring ?? []));

  const sweep = (): void => {
    const now = d.now();
    for (const r of d.sites.retiringKeys()) {
      if (r.until > now) continue;
      let closed = 0;
      for (const socket of nsp.sockets.values()) {
        if (socket.data.siteId === r.siteId && siteKeyOf(socket.handshake.query) === r.key) {
          socket.disconnect(true);
          closed++;
        }
      }
      d.sites.retired(r.key);
      if (closed) d.log(`site ${r.siteId}: closed ${closed} visitor socket(s) still on its rotated-out key`);
    }
  };
  const timer = setInterval(() => {
    try {
      sweep();
    } catch (err) {
      d.log('closing sockets of a retired site key failed', err);
    }
  }, d.sweepMs ?? 1_000);
  timer.unref?.();
  return { close: () => clearInterval(timer) };
}
