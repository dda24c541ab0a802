// One site's listed visitors and what its next diff carries. No clock: callers pass the time.
import type { LiveVisitor, PresenceDiff } from '../protocol';
import { SampleRing } from './sample-ring';
import { copyRow, type VisitorEntry } from './visitor-row';

export interface SiteState {
  visitors: Map<string, VisitorEntry>;
  dirty: Set<string>; // rows changed since the last diff
  removed: Set<string>; // unlisted since the last diff, announced by the next
  leaving: Set<string>; // visitors with no open tab, waiting out the grace period
  samples: SampleRing;
  /** When this site's last diff went out (drain's coalescing window counts from it). */
  sentAt: number;
}

export function emptySite(samplesKept: number): SiteState {
  return { visitors: new Map(), dirty: new Set(), removed: new Set(), leaving: new Set(), samples: new SampleRing(samplesKept), sentAt: 0 };
}

/** Unlists a visitor; with `announce` their removal goes out in the next diff. */
export function removeVisitor(site: SiteState, visitorId: string, announce: boolean): void {
  site.visitors.delete(visitorId);
  site.dirty.delete(visitorId);
  if (announce) site.removed.add(visitorId);
}

/** The site's changes since its last diff, or null when there are none or its window is still open. */
export function takeDiff(siteId: string, site: SiteState, at: number, windowMs: number): PresenceDiff | null {
  if (site.dirty.size === 0 && site.removed.size === 0) return null;
  // A site that sent a diff less than windowMs ago waits: changes on a busy site go out
  // together, one message per window; the first change on a quiet site goes out at once.
  if (at - site.sentAt < windowMs) return null;
  site.sentAt = at;
  const upserts: LiveVisitor[] = [];
  for (const id of site.dirty) {
    const e = site.visitors.get(id);
    if (e) upserts.push(copyRow(e.row));
  }
  const diff: PresenceDiff = { siteId, upserts, removed: [...site.removed], total: site.visitors.size, at };
  site.dirty.clear();
  site.removed.clear();
  return diff;
}
