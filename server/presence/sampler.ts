// Sparkline sampling: every `everyMs` each site's visitor count goes into its sample ring.
import type { PresencePoint } from '../protocol';
import type { SiteState } from './site-state';

export class Sampler {
  private lastAt = 0;

  constructor(private readonly everyMs: number) {}

  /** When the latest samples were taken (latest() returns those until the next sampling). */
  get sampledAt(): number {
    return this.lastAt;
  }

  /**
   * Samples every site if a sampling is due. A site with no visitors whose kept samples are all
   * empty is dropped: it has nothing left to show.
   */
  sample(sites: Map<string, SiteState>, now: number): void {
    if (now - this.lastAt >= this.everyMs) {
      this.lastAt = now;
      for (const [siteId, site] of sites) {
        site.samples.add({ at: now, count: site.visitors.size });
        if (site.visitors.size === 0 && site.samples.allZero()) sites.delete(siteId);
      }
    }
  }

  /** Each site's sample from the latest sampling (a site made since then has none yet). */
  latest(sites: ReadonlyMap<string, SiteState>): { siteId: string; point: PresencePoint }[] {
    const out: { siteId: string; point: PresencePoint }[] = [];
    for (const [siteId, site] of sites) {
      const point = site.samples.latest();
      if (point && point.at === this.lastAt) out.push({ siteId, point });
    }
    return out;
  }
}
