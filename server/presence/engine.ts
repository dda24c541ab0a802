// The presence engine: who is on each site right now. Pure TypeScript, clock injected,
// no I/O. The transport feeds it tab events; a flusher drains coalesced diffs per site.
// This class keeps the sites and routes events; the rules live in the modules it imports.
import type { Identity, LiveCall, LiveChat, LiveVisitor, PageRef, PresenceDiff, PresencePoint, TabState } from '../protocol';
import { Departures, type VisitorRef } from './departures';
import { Sampler } from './sampler';
import { emptySite, removeVisitor, takeDiff, type SiteState } from './site-state';
import { changeState, closeTab, copyRow, identified, mergeTabs, navigate, newVisit, recalled, rejoinVisit, type Tab, type TabConnect, type VisitorEntry } from './visitor-row';

export type { VisitorRef } from './departures';
export type { TabConnect } from './visitor-row';

export interface PresenceOptions {
  now: () => number;
  /** How long a visitor with no open tab stays listed (a reload must not flicker). */
  graceMs: number;
  /** Sparkline sampling interval and how many samples to keep. */
  sampleEveryMs: number;
  samplesKept: number;
  /**
   * Several processes: a visitor whose grace ran out here may still have a tab open on another
   * process, so removals wait for the cluster's word (takeDue, then forget) instead of being
   * announced at once.
   */
  confirmRemovals?: boolean;
}

interface Found {
  site: SiteState;
  entry: VisitorEntry;
}

export class PresenceEngine {
  private readonly sites = new Map<string, SiteState>();
  private readonly sampler: Sampler;
  private readonly departures: Departures;

  constructor(private readonly opts: PresenceOptions) {
    this.sampler = new Sampler(opts.sampleEveryMs);
    this.departures = new Departures(opts.graceMs, opts.confirmRemovals ?? false);
  }

  private site(siteId: string): SiteState {
    let s = this.sites.get(siteId);
    if (!s) {
      s = emptySite(this.opts.samplesKept);
      this.sites.set(siteId, s);
    }
    return s;
  }

  private find(siteId: string, visitorId: string): Found | null {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    return site && entry ? { site, entry } : null;
  }

  private findTab(siteId: string, visitorId: string, tabId: string): (Found & { tab: Tab }) | null {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    const tab = entry?.tabs.get(tabId);
    return site && entry && tab ? { site, entry, tab } : null;
  }

  /** Recompute a visitor's row from their tabs; it goes out with the next drain. */
  private refresh(site: SiteState, entry: VisitorEntry): void {
    if (mergeTabs(entry)) site.dirty.add(entry.row.id);
  }

  /**
   * A tab opened (or reconnected). Says whether this started a new visit and whether it
   * counts as a page view (a new tab, or a reconnect on another page; not a reconnect in place).
   */
  connectTab(c: TabConnect): { newVisit: boolean; pageViewed: boolean } {
    const now = this.opts.now();
    const site = this.site(c.siteId);
    const previous = site.visitors.get(c.visitorId);
    const started = !previous || previous.visitId !== c.visitId;
    const entry = started ? newVisit(c, now, previous) : previous;
    let pageViewed = true;
    if (started) site.visitors.set(c.visitorId, entry);
    else pageViewed = rejoinVisit(entry, c.tabId, c.page, now);
    entry.tabs.set(c.tabId, { state: c.state, page: c.page, touchedAt: now });
    site.removed.delete(c.visitorId);
    site.leaving.delete(c.visitorId);
    this.refresh(site, entry);
    return { newVisit: started, pageViewed };
  }

  /** A tab's socket closed. The visitor stays listed for the grace period if it was their last tab. */
  disconnectTab(siteId: string, visitorId: string, tabId: string): void {
    const found = this.findTab(siteId, visitorId, tabId);
    if (!found) return;
    const { site, entry, tab } = found;
    if (closeTab(entry, tabId, tab)) {
      entry.goneAt = this.opts.now();
      site.leaving.add(visitorId);
    } else this.refresh(site, entry);
  }

  /**
   * A tab navigated (or retitled its page). Says what it was: a new page view, a title change
   * on the same URL, nothing new, or an unknown visitor/tab (ignored).
   */
  pageView(siteId: string, visitorId: string, tabId: string, page: PageRef): 'viewed' | 'retitled' | 'same' | 'unknown' {
    const found = this.findTab(siteId, visitorId, tabId);
    if (!found) return 'unknown';
    const { site, entry, tab } = found;
    if (tab.page.url === page.url && tab.page.title === page.title) return 'same';
    const viewed = tab.page.url !== page.url;
    navigate(entry, tab, page, this.opts.now());
    this.refresh(site, entry);
    return viewed ? 'viewed' : 'retitled';
  }

  setTabState(siteId: string, visitorId: string, tabId: string, state: TabState): boolean {
    const found = this.findTab(siteId, visitorId, tabId);
    if (!found) return false;
    const { site, entry, tab } = found;
    if (tab.state === state) return true;
    changeState(entry, tab, state, this.opts.now());
    this.refresh(site, entry);
    return true;
  }

  identify(siteId: string, visitorId: string, identity: Partial<Identity>): boolean {
    return this.update(siteId, visitorId, (row) => {
      row.identity = identified(row.identity, identity);
    });
  }

  /** The call this visitor is in (or being rung for), shown in their row; null when it ends. */
  setCall(siteId: string, visitorId: string, call: LiveCall | null): boolean {
    return this.update(siteId, visitorId, (row) => {
      row.call = call;
    });
  }

  /** The visitor's conversation as their row shows it; null when they have none. */
  setChat(siteId: string, visitorId: string, chat: LiveChat | null): boolean {
    return this.update(siteId, visitorId, (row) => {
      row.chat = chat;
    });
  }

  /**
   * What the server's records say about a visitor who just started a visit: the stored visit
   * count wins over the browser's, and a known identity comes back without the site calling
   * identify again (fields the page already sent this visit stay).
   */
  recall(siteId: string, visitorId: string, stored: { visitCount: number; identity: Identity }): void {
    this.update(siteId, visitorId, (row) => {
      row.visitCount = stored.visitCount;
      row.identity = recalled(row.identity, stored.identity);
    });
  }

  /** Changes a listed visitor's row and marks it for the next drain; false if they are not listed. */
  private update(siteId: string, visitorId: string, change: (row: LiveVisitor) => void): boolean {
    const found = this.find(siteId, visitorId);
    if (!found) return false;
    change(found.entry.row);
    found.site.dirty.add(visitorId);
    return true;
  }

  /**
   * Advance time: remove visitors whose grace period ran out and take sparkline samples.
   * Called by the flusher on every tick.
   */
  tick(): void {
    const now = this.opts.now();
    this.departures.expire(this.sites, now);
    this.sampler.sample(this.sites, now);
  }

  /** Visitors whose grace ran out since the last call (confirmRemovals): the cluster decides, then forget(). */
  takeDue(): VisitorRef[] {
    return this.departures.take();
  }

  /**
   * Drops a visitor taken by takeDue, unless a tab of theirs came back here meanwhile.
   * `announce` false: they are still online on another process, whose copy of the row stays on
   * the dashboards (that process re-announces it), so no removal goes out.
   */
  forget(siteId: string, visitorId: string, announce: boolean): void {
    const found = this.find(siteId, visitorId);
    if (!found || found.entry.tabs.size > 0 || found.entry.goneAt === null) return;
    removeVisitor(found.site, visitorId, announce);
  }

  /**
   * Of these visitors, the ones with a tab open here. Their rows go out again with the next
   * drain: another process is about to drop its copy, and dashboards must show this one.
   */
  holding(refs: readonly VisitorRef[]): VisitorRef[] {
    const out: VisitorRef[] = [];
    for (const r of refs) {
      const found = this.find(r.siteId, r.visitorId);
      if (!found || found.entry.tabs.size === 0) continue;
      found.site.dirty.add(r.visitorId);
      out.push({ siteId: r.siteId, visitorId: r.visitorId });
    }
    return out;
  }

  /** How many visitors each site has listed here now (sites with none are left out). */
  counts(): { siteId: string; count: number }[] {
    const out: { siteId: string; count: number }[] = [];
    for (const [siteId, site] of this.sites) if (site.visitors.size > 0) out.push({ siteId, count: site.visitors.size });
    return out;
  }

  /** The visitors online here, per site (the cluster's sparkline counts them once across processes). */
  onlineIds(): { siteId: string; visitorIds: string[] }[] {
    const out: { siteId: string; visitorIds: string[] }[] = [];
    for (const [siteId, site] of this.sites) if (site.visitors.size > 0) out.push({ siteId, visitorIds: [...site.visitors.keys()] });
    return out;
  }

  /** Everything that changed since the last drain, one diff per site that changed. */
  drain(windowMs = 0): PresenceDiff[] {
    const at = this.opts.now();
    const out: PresenceDiff[] = [];
    for (const [siteId, site] of this.sites) {
      const diff = takeDiff(siteId, site, at, windowMs);
      if (diff) out.push(diff);
    }
    return out;
  }

  snapshot(siteId: string): LiveVisitor[] {
    const site = this.sites.get(siteId);
    if (!site) return [];
    return [...site.visitors.values()].map((e) => copyRow(e.row));
  }

  history(siteId: string): PresencePoint[] {
    return this.sites.get(siteId)?.samples.all() ?? [];
  }

  /** When the latest samples were taken (latestSamples returns those until the next sampling). */
  sampledAt(): number {
    return this.sampler.sampledAt;
  }

  /** Latest sparkline sample of each site, for pushing to dashboards. */
  latestSamples(): { siteId: string; point: PresencePoint }[] {
    return this.sampler.latest(this.sites);
  }

  /** What the visitor told about themselves (identify), if they are online here. */
  identityOf(siteId: string, visitorId: string): Identity | null {
    return this.find(siteId, visitorId)?.entry.row.identity ?? null;
  }

  /** The visit key of the visitor's current visit, if they are listed. */
  visitIdOf(siteId: string, visitorId: string): string | null {
    return this.find(siteId, visitorId)?.entry.visitId ?? null;
  }

  has(siteId: string, visitorId: string): boolean {
    return this.sites.get(siteId)?.visitors.has(visitorId) ?? false;
  }

  count(siteId: string): number {
    return this.sites.get(siteId)?.visitors.size ?? 0;
  }
}
