// The presence engine: who is on each site right now. Pure TypeScript, clock injected,
// no I/O. The transport feeds it tab events; a flusher drains coalesced diffs per site.
import type { Device, Identity, LiveCall, LiveChat, LiveVisitor, PageRef, PresenceDiff, PresencePoint, TabState, Utm } from '../protocol';
import { pathOf, sourceOf } from './source';

export interface TabConnect {
  siteId: string;
  visitorId: string;
  tabId: string;
  visitId: string;
  visitStartedAt: number;
  visitCount: number;
  page: PageRef;
  referrer: string;
  utm: Utm;
  language: string;
  timeZone: string;
  state: TabState;
  device: Device;
  country: string | null;
}

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

/** One visitor of one site. */
export interface VisitorRef {
  siteId: string;
  visitorId: string;
}

interface Tab {
  state: TabState;
  page: PageRef;
  touchedAt: number; // last page change or state change: the freshest tab wins the "current page"
}

interface VisitorEntry {
  row: LiveVisitor;
  visitId: string;
  tabs: Map<string, Tab>;
  /** URL each recently closed tab was on: a socket reconnect in place is not a new page view. */
  closedTabs: Map<string, string> | null; // made on first close: most visitors never need it
  goneAt: number | null; // when the last tab closed; removal is due at goneAt + graceMs
}

interface SiteState {
  visitors: Map<string, VisitorEntry>;
  dirty: Set<string>;
  removed: Set<string>;
  leaving: Set<string>; // visitors with no open tab, waiting out the grace period
  samples: PresencePoint[];
  /** When this site's last diff went out (drain's coalescing window counts from it). */
  sentAt: number;
}

const STATUS_RANK: Record<TabState, number> = { active: 0, idle: 1, hidden: 2 };
const MAX_VISIT_AGE_MS = 24 * 60 * 60 * 1000;

export class PresenceEngine {
  private readonly sites = new Map<string, SiteState>();
  private lastSampleAt = 0;
  /** Grace ran out, waiting for the cluster to say whether they are online elsewhere (confirmRemovals). */
  private due: VisitorRef[] = [];

  constructor(private readonly opts: PresenceOptions) {}

  private site(siteId: string): SiteState {
    let s = this.sites.get(siteId);
    if (!s) {
      s = { visitors: new Map(), dirty: new Set(), removed: new Set(), leaving: new Set(), samples: [], sentAt: 0 };
      this.sites.set(siteId, s);
    }
    return s;
  }

  /**
   * A tab opened (or reconnected). Says whether this started a new visit and whether it
   * counts as a page view (a new tab, or a reconnect on another page; not a reconnect in place).
   */
  connectTab(c: TabConnect): { newVisit: boolean; pageViewed: boolean } {
    const now = this.opts.now();
    const site = this.site(c.siteId);
    let entry = site.visitors.get(c.visitorId);
    const tab: Tab = { state: c.state, page: c.page, touchedAt: now };
    let newVisit = false;
    let pageViewed = true;
    if (!entry || entry.visitId !== c.visitId) {
      newVisit = true;
      // The browser's visit start is trusted only within sane bounds: it is the visitor's own data.
      const started = Math.min(now, Math.max(now - MAX_VISIT_AGE_MS, c.visitStartedAt));
      const row: LiveVisitor = {
        id: c.visitorId,
        status: c.state,
        tabs: 1,
        page: { ...c.page, path: pathOf(c.page.url) },
        pagesViewed: 1,
        visitStartedAt: started,
        lastActivityAt: now,
        referrer: c.referrer,
        source: sourceOf(c.referrer, c.utm, c.page.url),
        utm: c.utm,
        country: c.country,
        device: c.device,
        language: c.language,
        timeZone: c.timeZone,
        visitCount: Math.max(1, c.visitCount),
        identity: entry?.row.identity ?? { attributes: {} },
        call: entry?.row.call ?? null,
        chat: entry?.row.chat ?? null,
      };
      entry = { row, visitId: c.visitId, tabs: new Map<string, Tab>(), closedTabs: null, goneAt: null };
      site.visitors.set(c.visitorId, entry);
    } else {
      entry.goneAt = null;
      const prevUrl = entry.tabs.get(c.tabId)?.page.url ?? entry.closedTabs?.get(c.tabId);
      entry.closedTabs?.delete(c.tabId);
      // A tab reconnecting on the page it was on is not a page view; a new tab or another page is.
      if (prevUrl !== c.page.url) entry.row.pagesViewed += 1;
      else pageViewed = false;
      entry.row.lastActivityAt = now;
    }
    entry.tabs.set(c.tabId, tab);
    site.removed.delete(c.visitorId);
    site.leaving.delete(c.visitorId);
    this.refresh(site, entry);
    return { newVisit, pageViewed };
  }

  /** A tab's socket closed. The visitor stays listed for the grace period if it was their last tab. */
  disconnectTab(siteId: string, visitorId: string, tabId: string): void {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    const tab = entry?.tabs.get(tabId);
    if (!site || !entry || !tab) return;
    entry.tabs.delete(tabId);
    entry.closedTabs ??= new Map();
    entry.closedTabs.set(tabId, tab.page.url);
    if (entry.closedTabs.size > 20) entry.closedTabs.delete(entry.closedTabs.keys().next().value!);
    if (entry.tabs.size === 0) {
      entry.goneAt = this.opts.now();
      site.leaving.add(visitorId);
    } else this.refresh(site, entry);
  }

  /**
   * A tab navigated (or retitled its page). Says what it was: a new page view, a title change
   * on the same URL, nothing new, or an unknown visitor/tab (ignored).
   */
  pageView(siteId: string, visitorId: string, tabId: string, page: PageRef): 'viewed' | 'retitled' | 'same' | 'unknown' {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    const tab = entry?.tabs.get(tabId);
    if (!site || !entry || !tab) return 'unknown';
    if (tab.page.url === page.url && tab.page.title === page.title) return 'same';
    const now = this.opts.now();
    const viewed = tab.page.url !== page.url;
    if (viewed) entry.row.pagesViewed += 1;
    tab.page = page;
    tab.touchedAt = now;
    // Navigating is activity: a hidden or idle tab that navigates is being used.
    tab.state = 'active';
    entry.row.lastActivityAt = now;
    this.refresh(site, entry);
    return viewed ? 'viewed' : 'retitled';
  }

  setTabState(siteId: string, visitorId: string, tabId: string, state: TabState): boolean {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    const tab = entry?.tabs.get(tabId);
    if (!site || !entry || !tab) return false;
    if (tab.state === state) return true;
    const now = this.opts.now();
    tab.state = state;
    if (state === 'active') {
      tab.touchedAt = now;
      entry.row.lastActivityAt = now;
    }
    this.refresh(site, entry);
    return true;
  }

  identify(siteId: string, visitorId: string, identity: Partial<Identity>): boolean {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    if (!site || !entry) return false;
    const cur = entry.row.identity;
    entry.row.identity = {
      name: identity.name ?? cur.name,
      email: identity.email ?? cur.email,
      attributes: { ...cur.attributes, ...identity.attributes },
    };
    site.dirty.add(visitorId);
    return true;
  }

  /** The call this visitor is in (or being rung for), shown in their row; null when it ends. */
  setCall(siteId: string, visitorId: string, call: LiveCall | null): boolean {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    if (!site || !entry) return false;
    entry.row.call = call;
    site.dirty.add(visitorId);
    return true;
  }

  /** The visitor's conversation as their row shows it; null when they have none. */
  setChat(siteId: string, visitorId: string, chat: LiveChat | null): boolean {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    if (!site || !entry) return false;
    entry.row.chat = chat;
    site.dirty.add(visitorId);
    return true;
  }

  /**
   * What the server's records say about a visitor who just started a visit: the stored visit
   * count wins over the browser's, and a known identity comes back without the site calling
   * identify again (fields the page already sent this visit stay).
   */
  recall(siteId: string, visitorId: string, stored: { visitCount: number; identity: Identity }): void {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    if (!site || !entry) return;
    const cur = entry.row.identity;
    entry.row.visitCount = stored.visitCount;
    entry.row.identity = {
      name: cur.name ?? stored.identity.name,
      email: cur.email ?? stored.identity.email,
      attributes: { ...stored.identity.attributes, ...cur.attributes },
    };
    site.dirty.add(visitorId);
  }

  /** Recompute the aggregate fields of a visitor from their tabs. */
  private refresh(site: SiteState, entry: VisitorEntry): void {
    let best: Tab | undefined;
    let freshest: Tab | undefined;
    for (const tab of entry.tabs.values()) {
      if (!best || STATUS_RANK[tab.state] < STATUS_RANK[best.state]) best = tab;
      if (!freshest || tab.touchedAt > freshest.touchedAt) freshest = tab;
    }
    if (!best || !freshest) return;
    const row = entry.row;
    row.status = best.state;
    row.tabs = entry.tabs.size;
    // The current page is the page of the most attentive tab, the freshest among equals.
    const current = best.state === freshest.state ? freshest : best;
    if (row.page.url !== current.page.url || row.page.title !== current.page.title) {
      row.page = { ...current.page, path: pathOf(current.page.url) };
    }
    site.dirty.add(row.id);
  }

  /**
   * Advance time: remove visitors whose grace period ran out and take sparkline samples.
   * Called by the flusher on every tick.
   */
  tick(): void {
    const now = this.opts.now();
    for (const [siteId, site] of this.sites) {
      for (const id of site.leaving) {
        const entry = site.visitors.get(id);
        if (!entry || entry.goneAt === null) {
          site.leaving.delete(id);
        } else if (now - entry.goneAt >= this.opts.graceMs) {
          site.leaving.delete(id);
          if (this.opts.confirmRemovals) this.due.push({ siteId, visitorId: id });
          else this.removeEntry(site, id, true);
        }
      }
    }
    if (now - this.lastSampleAt >= this.opts.sampleEveryMs) {
      this.lastSampleAt = now;
      for (const [siteId, site] of this.sites) {
        site.samples.push({ at: now, count: site.visitors.size });
        if (site.samples.length > this.opts.samplesKept) site.samples.shift();
        if (site.visitors.size === 0 && site.samples.every((p) => p.count === 0)) this.sites.delete(siteId);
      }
    }
  }

  private removeEntry(site: SiteState, visitorId: string, announce: boolean): void {
    site.visitors.delete(visitorId);
    site.dirty.delete(visitorId);
    if (announce) site.removed.add(visitorId);
  }

  /** Visitors whose grace ran out since the last call (confirmRemovals): the cluster decides, then forget(). */
  takeDue(): VisitorRef[] {
    const out = this.due;
    this.due = [];
    return out;
  }

  /**
   * Drops a visitor taken by takeDue, unless a tab of theirs came back here meanwhile.
   * `announce` false: they are still online on another process, whose copy of the row stays on
   * the dashboards (that process re-announces it), so no removal goes out.
   */
  forget(siteId: string, visitorId: string, announce: boolean): void {
    const site = this.sites.get(siteId);
    const entry = site?.visitors.get(visitorId);
    if (!site || !entry || entry.tabs.size > 0 || entry.goneAt === null) return;
    this.removeEntry(site, visitorId, announce);
  }

  /**
   * Of these visitors, the ones with a tab open here. Their rows go out again with the next
   * drain: another process is about to drop its copy, and dashboards must show this one.
   */
  holding(refs: readonly VisitorRef[]): VisitorRef[] {
    const out: VisitorRef[] = [];
    for (const r of refs) {
      const site = this.sites.get(r.siteId);
      const entry = site?.visitors.get(r.visitorId);
      if (!site || !entry || entry.tabs.size === 0) continue;
      site.dirty.add(r.visitorId);
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
      if (site.dirty.size === 0 && site.removed.size === 0) continue;
      // A site that sent a diff less than windowMs ago waits: changes on a busy site go out
      // together, one message per window; the first change on a quiet site goes out at once.
      if (at - site.sentAt < windowMs) continue;
      site.sentAt = at;
      const upserts: LiveVisitor[] = [];
      for (const id of site.dirty) {
        const e = site.visitors.get(id);
        if (e) upserts.push({ ...e.row, page: { ...e.row.page } });
      }
      out.push({ siteId, upserts, removed: [...site.removed], total: site.visitors.size, at });
      site.dirty.clear();
      site.removed.clear();
    }
    return out;
  }

  snapshot(siteId: string): LiveVisitor[] {
    const site = this.sites.get(siteId);
    if (!site) return [];
    return [...site.visitors.values()].map((e) => ({ ...e.row, page: { ...e.row.page } }));
  }

  history(siteId: string): PresencePoint[] {
    return [...(this.sites.get(siteId)?.samples ?? [])];
  }

  /** Latest sparkline sample of each site, for pushing to dashboards. */
  /** When the latest samples were taken (latestSamples returns those until the next sampling). */
  sampledAt(): number {
    return this.lastSampleAt;
  }

  latestSamples(): { siteId: string; point: PresencePoint }[] {
    const out: { siteId: string; point: PresencePoint }[] = [];
    for (const [siteId, site] of this.sites) {
      const point = site.samples[site.samples.length - 1];
      if (point && point.at === this.lastSampleAt) out.push({ siteId, point });
    }
    return out;
  }

  /** What the visitor told about themselves (identify), if they are online here. */
  identityOf(siteId: string, visitorId: string): Identity | null {
    return this.sites.get(siteId)?.visitors.get(visitorId)?.row.identity ?? null;
  }

  /** The visit key of the visitor's current visit, if they are listed. */
  visitIdOf(siteId: string, visitorId: string): string | null {
    return this.sites.get(siteId)?.visitors.get(visitorId)?.visitId ?? null;
  }

  has(siteId: string, visitorId: string): boolean {
    return this.sites.get(siteId)?.visitors.has(visitorId) ?? false;
  }

  count(siteId: string): number {
    return this.sites.get(siteId)?.visitors.size ?? 0;
  }
}
