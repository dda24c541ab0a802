// Visitors whose last tab closed stay listed through the grace period (a reload must not
// flicker), then go: at once with one process, or after the cluster's word with several.
import { removeVisitor, type SiteState } from './site-state';

/** One visitor of one site. */
export interface VisitorRef {
  siteId: string;
  visitorId: string;
}

export class Departures {
  /** Grace ran out, waiting for the cluster to say whether they are online elsewhere (confirm). */
  private due: VisitorRef[] = [];

  constructor(
    private readonly graceMs: number,
    private readonly confirm: boolean,
  ) {}

  /** Removes, announcing it, each visitor whose grace ran out by `now`; with `confirm`, queues them instead. */
  expire(sites: ReadonlyMap<string, SiteState>, now: number): void {
    for (const [siteId, site] of sites) {
      for (const id of site.leaving) {
        const entry = site.visitors.get(id);
        if (!entry || entry.goneAt === null) {
          site.leaving.delete(id);
        } else if (now - entry.goneAt >= this.graceMs) {
          site.leaving.delete(id);
          if (this.confirm) this.due.push({ siteId, visitorId: id });
          else removeVisitor(site, id, true);
        }
      }
    }
  }

  /** The visitors queued since the last call. */
  take(): VisitorRef[] {
    const out = this.due;
    this.due = [];
    return out;
  }
}
