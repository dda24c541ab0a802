// One visitor's live row and the rules that build it from their tabs. No clock or I/O: the
// engine passes `now` in.
import type { Device, Identity, LiveVisitor, PageRef, TabState, Utm } from '../protocol';
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

export interface Tab {
  state: TabState;
  page: PageRef;
  touchedAt: number; // last page change or state change: the freshest tab wins the "current page"
}

export interface VisitorEntry {
  row: LiveVisitor;
  visitId: string;
  tabs: Map<string, Tab>;
  /** URL each recently closed tab was on: a socket reconnect in place is not a new page view. */
  closedTabs: Map<string, string> | null; // made on first close: most visitors never need it
  goneAt: number | null; // when the last tab closed; removal is due at goneAt + graceMs
}

const STATUS_RANK: Record<TabState, number> = { active: 0, idle: 1, hidden: 2 };
const MAX_VISIT_AGE_MS = 24 * 60 * 60 * 1000;
/** Closed tabs remembered per visitor; the oldest is forgotten first. */
const CLOSED_TABS_KEPT = 20;

/**
 * A new visit's entry, with no tabs yet. Identity, call and chat carry over from the visitor's
 * previous visit on this site, if they are still listed.
 */
export function newVisit(c: TabConnect, now: number, previous: VisitorEntry | undefined): VisitorEntry {
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
    identity: previous?.row.identity ?? { attributes: {} },
    call: previous?.row.call ?? null,
    chat: previous?.row.chat ?? null,
  };
  return { row, visitId: c.visitId, tabs: new Map<string, Tab>(), closedTabs: null, goneAt: null };
}

/**
 * A tab (re)connected within the visitor's current visit, before it is added to their tabs.
 * Says whether it counts as a page view.
 */
export function rejoinVisit(entry: VisitorEntry, tabId: string, page: PageRef, now: number): boolean {
  entry.goneAt = null;
  const prevUrl = entry.tabs.get(tabId)?.page.url ?? entry.closedTabs?.get(tabId);
  entry.closedTabs?.delete(tabId);
  entry.row.lastActivityAt = now;
  // A tab reconnecting on the page it was on is not a page view; a new tab or another page is.
  if (prevUrl === page.url) return false;
  entry.row.pagesViewed += 1;
  return true;
}

/** Drops a closed tab, remembering its URL. Says whether it was the visitor's last open tab. */
export function closeTab(entry: VisitorEntry, tabId: string, tab: Tab): boolean {
  entry.tabs.delete(tabId);
  entry.closedTabs ??= new Map();
  entry.closedTabs.set(tabId, tab.page.url);
  if (entry.closedTabs.size > CLOSED_TABS_KEPT) entry.closedTabs.delete(entry.closedTabs.keys().next().value!);
  return entry.tabs.size === 0;
}

/** A tab moved to another page, or retitled the one it is on. */
export function navigate(entry: VisitorEntry, tab: Tab, page: PageRef, now: number): void {
  if (tab.page.url !== page.url) entry.row.pagesViewed += 1;
  tab.page = page;
  tab.touchedAt = now;
  // Navigating is activity: a hidden or idle tab that navigates is being used.
  tab.state = 'active';
  entry.row.lastActivityAt = now;
}

/** A tab changed state; only becoming active counts as activity. */
export function changeState(entry: VisitorEntry, tab: Tab, state: TabState, now: number): void {
  tab.state = state;
  if (state === 'active') {
    tab.touchedAt = now;
    entry.row.lastActivityAt = now;
  }
}

/**
 * Recompute the aggregate fields of a visitor from their tabs. Says false, changing nothing,
 * when they have no open tab (their row keeps showing the last one through the grace period).
 */
export function mergeTabs(entry: VisitorEntry): boolean {
  let best: Tab | undefined;
  let freshest: Tab | undefined;
  for (const tab of entry.tabs.values()) {
    if (!best || STATUS_RANK[tab.state] < STATUS_RANK[best.state]) best = tab;
    if (!freshest || tab.touchedAt > freshest.touchedAt) freshest = tab;
  }
  if (!best || !freshest) return false;
  const row = entry.row;
  row.status = best.state;
  row.tabs = entry.tabs.size;
  // The current page is the page of the most attentive tab, the freshest among equals.
  const current = best.state === freshest.state ? freshest : best;
  if (row.page.url !== current.page.url || row.page.title !== current.page.title) {
    row.page = { ...current.page, path: pathOf(current.page.url) };
  }
  return true;
}

/** What the page said through identify: each field it sent replaces the one listed. */
export function identified(cur: Identity, told: Partial<Identity>): Identity {
  return {
    name: told.name ?? cur.name,
    email: told.email ?? cur.email,
    attributes: { ...cur.attributes, ...told.attributes },
  };
}

/** A stored identity coming back: fields the page already sent this visit stay. */
export function recalled(cur: Identity, stored: Identity): Identity {
  return {
    name: cur.name ?? stored.name,
    email: cur.email ?? stored.email,
    attributes: { ...stored.attributes, ...cur.attributes },
  };
}

/** A copy of a row to send out, so later changes to the live row do not reach it. */
export function copyRow(row: LiveVisitor): LiveVisitor {
  return { ...row, page: { ...row.page } };
}
