import { beforeEach, describe, expect, it } from 'vitest';
import { PresenceEngine, type TabConnect } from '../../server/presence/engine';

let t = 0;
const clock = () => t;
const SITE = 'site-a';

function tab(over: Partial<TabConnect> = {}): TabConnect {
  return {
    siteId: SITE,
    visitorId: 'v1',
    tabId: 't1',
    visitId: 'visit1',
    visitStartedAt: t,
    visitCount: 1,
    page: { url: 'https://shop.example/', title: 'Home' },
    referrer: 'https://www.google.com/search?q=lamps',
    utm: {},
    language: 'en',
    timeZone: 'UTC',
    state: 'active',
    device: { type: 'desktop', browser: 'Chrome 131', os: 'macOS' },
    country: 'DE',
    ...over,
  };
}

let engine: PresenceEngine;
beforeEach(() => {
  t = 1_700_000_000_000;
  engine = new PresenceEngine({ now: clock, graceMs: 5000, sampleEveryMs: 10_000, samplesKept: 180 });
});

describe('presence engine', () => {
  it('lists a visitor when a tab connects, with the source taken from the referrer', () => {
    engine.connectTab(tab());
    const [row] = engine.snapshot(SITE);
    expect(row).toMatchObject({ id: 'v1', status: 'active', tabs: 1, pagesViewed: 1, source: 'google.com', country: 'DE' });
    expect(row!.page).toEqual({ url: 'https://shop.example/', title: 'Home', path: '/' });
  });

  it('utm_source wins over the referrer; a same-site referrer is direct', () => {
    engine.connectTab(tab({ utm: { source: 'Newsletter' } }));
    engine.connectTab(tab({ visitorId: 'v2', referrer: 'https://shop.example/pricing' }));
    const rows = Object.fromEntries(engine.snapshot(SITE).map((r) => [r.id, r.source]));
    expect(rows).toEqual({ v1: 'newsletter', v2: 'direct' });
  });

  it('three tabs are one visitor with three tabs, online while any tab is', () => {
    engine.connectTab(tab({ tabId: 't1' }));
    engine.connectTab(tab({ tabId: 't2', page: { url: 'https://shop.example/pricing', title: 'Pricing' } }));
    engine.connectTab(tab({ tabId: 't3' }));
    expect(engine.snapshot(SITE)).toHaveLength(1);
    expect(engine.snapshot(SITE)[0]!.tabs).toBe(3);
    engine.disconnectTab(SITE, 'v1', 't1');
    engine.disconnectTab(SITE, 'v1', 't2');
    t += 60_000;
    engine.tick();
    expect(engine.snapshot(SITE)[0]!.tabs).toBe(1);
    expect(engine.count(SITE)).toBe(1);
  });

  it('closing the last tab removes the visitor only after the grace period', () => {
    engine.connectTab(tab());
    engine.drain();
    engine.disconnectTab(SITE, 'v1', 't1');
    t += 4999;
    engine.tick();
    expect(engine.count(SITE)).toBe(1);
    expect(engine.drain()).toEqual([]); // nothing to tell dashboards yet
    t += 1;
    engine.tick();
    expect(engine.count(SITE)).toBe(0);
    const [diff] = engine.drain();
    expect(diff).toMatchObject({ siteId: SITE, removed: ['v1'], upserts: [], total: 0 });
  });

  it('a reload (reconnect within the grace period) never flickers the visitor out', () => {
    engine.connectTab(tab());
    engine.drain();
    engine.disconnectTab(SITE, 'v1', 't1');
    t += 300;
    engine.connectTab(tab({ page: { url: 'https://shop.example/pricing', title: 'Pricing' } }));
    t += 10_000;
    engine.tick();
    const diffs = engine.drain();
    expect(diffs.flatMap((d) => d.removed)).toEqual([]);
    expect(engine.snapshot(SITE)[0]).toMatchObject({ pagesViewed: 2, page: { path: '/pricing' } });
  });

  it('a reconnect on the same page does not count as another page view', () => {
    engine.connectTab(tab());
    engine.disconnectTab(SITE, 'v1', 't1');
    const r = engine.connectTab(tab());
    expect(r).toEqual({ newVisit: false, pageViewed: false });
    expect(engine.snapshot(SITE)[0]!.pagesViewed).toBe(1);
  });

  it('a new visit id starts a new visit with fresh counters', () => {
    expect(engine.connectTab(tab()).newVisit).toBe(true);
    engine.pageView(SITE, 'v1', 't1', { url: 'https://shop.example/a', title: 'A' });
    expect(engine.connectTab(tab({ tabId: 't2' })).newVisit).toBe(false);
    const r = engine.connectTab(tab({ tabId: 't3', visitId: 'visit2', visitCount: 2 }));
    expect(r.newVisit).toBe(true);
    expect(engine.snapshot(SITE)[0]).toMatchObject({ pagesViewed: 1, visitCount: 2, tabs: 1 });
  });

  it('status is the most attentive tab: active beats idle beats hidden', () => {
    engine.connectTab(tab({ tabId: 't1', state: 'hidden' }));
    expect(engine.snapshot(SITE)[0]!.status).toBe('hidden');
    engine.connectTab(tab({ tabId: 't2', state: 'idle' }));
    expect(engine.snapshot(SITE)[0]!.status).toBe('idle');
    engine.setTabState(SITE, 'v1', 't1', 'active');
    expect(engine.snapshot(SITE)[0]!.status).toBe('active');
    engine.setTabState(SITE, 'v1', 't1', 'hidden');
    engine.setTabState(SITE, 'v1', 't2', 'hidden');
    expect(engine.snapshot(SITE)[0]!.status).toBe('hidden');
  });

  it('the current page is the page of the active tab', () => {
    engine.connectTab(tab({ tabId: 't1', page: { url: 'https://shop.example/pricing', title: 'Pricing' } }));
    t += 10;
    engine.connectTab(tab({ tabId: 't2', state: 'hidden', page: { url: 'https://shop.example/blog', title: 'Blog' } }));
    expect(engine.snapshot(SITE)[0]!.page.path).toBe('/pricing');
  });

  it('navigation updates the page, counts a page view and makes the tab active', () => {
    engine.connectTab(tab({ state: 'idle' }));
    t += 5000;
    expect(engine.pageView(SITE, 'v1', 't1', { url: 'https://shop.example/pricing?plan=pro#faq', title: 'Pricing' })).toBe('viewed');
    expect(engine.snapshot(SITE)[0]).toMatchObject({ status: 'active', pagesViewed: 2, lastActivityAt: t, page: { path: '/pricing?plan=pro#faq', title: 'Pricing' } });
    // Same URL, same title: no change, no page view.
    expect(engine.pageView(SITE, 'v1', 't1', { url: 'https://shop.example/pricing?plan=pro#faq', title: 'Pricing' })).toBe('same');
    // Same URL, new title (SPAs set titles late): the row updates, no page view is counted.
    expect(engine.pageView(SITE, 'v1', 't1', { url: 'https://shop.example/pricing?plan=pro#faq', title: 'Pricing: Pro' })).toBe('retitled');
    expect(engine.snapshot(SITE)[0]).toMatchObject({ pagesViewed: 2, page: { title: 'Pricing: Pro' } });
  });

  it('events for unknown visitors or tabs change nothing', () => {
    engine.connectTab(tab());
    engine.drain();
    expect(engine.pageView(SITE, 'nobody', 't1', { url: 'https://x.example/', title: 'x' })).toBe('unknown');
    expect(engine.pageView(SITE, 'v1', 'other-tab', { url: 'https://x.example/', title: 'x' })).toBe('unknown');
    expect(engine.setTabState('other-site', 'v1', 't1', 'idle')).toBe(false);
    expect(engine.drain()).toEqual([]);
  });

  it('coalesces many changes within a window into one diff per site with the latest row', () => {
    engine.connectTab(tab());
    engine.connectTab(tab({ visitorId: 'v2', tabId: 't9' }));
    engine.connectTab(tab({ siteId: 'site-b', visitorId: 'v3', tabId: 't3' }));
    for (let i = 0; i < 20; i++) engine.pageView(SITE, 'v1', 't1', { url: `https://shop.example/p${i}`, title: `P${i}` });
    const diffs = engine.drain();
    expect(diffs).toHaveLength(2);
    const a = diffs.find((d) => d.siteId === SITE)!;
    expect(a.upserts.map((u) => u.id).sort()).toEqual(['v1', 'v2']);
    expect(a.upserts.find((u) => u.id === 'v1')).toMatchObject({ pagesViewed: 21, page: { path: '/p19' } });
    expect(a.total).toBe(2);
    expect(engine.drain()).toEqual([]);
  });

  it('diff rows are copies: later changes do not mutate what was already sent', () => {
    engine.connectTab(tab());
    const [diff] = engine.drain();
    engine.pageView(SITE, 'v1', 't1', { url: 'https://shop.example/later', title: 'Later' });
    expect(diff!.upserts[0]!.page.path).toBe('/');
  });

  it('identify merges fields and attributes', () => {
    engine.connectTab(tab());
    engine.identify(SITE, 'v1', { name: 'Ana', attributes: { plan: 'pro' } });
    engine.identify(SITE, 'v1', { email: 'ana@example.com', attributes: { seats: 5 } });
    expect(engine.snapshot(SITE)[0]!.identity).toEqual({ name: 'Ana', email: 'ana@example.com', attributes: { plan: 'pro', seats: 5 } });
  });

  it('what the server stored corrects the visit count and brings back a known identity', () => {
    engine.connectTab(tab({ visitCount: 1 }));
    engine.identify(SITE, 'v1', { email: 'new@example.com', attributes: { plan: 'team' } });
    engine.drain();
    engine.recall(SITE, 'v1', { visitCount: 4, identity: { name: 'Ana', email: 'old@example.com', attributes: { plan: 'pro', seats: 3 } } });
    const row = engine.drain()[0]!.upserts[0]!;
    expect(row.visitCount).toBe(4);
    // What the page said this visit wins; the rest comes from the record.
    expect(row.identity).toEqual({ name: 'Ana', email: 'new@example.com', attributes: { plan: 'team', seats: 3 } });
  });

  it('clamps a visit start the browser claims to the past 24 hours', () => {
    engine.connectTab(tab({ visitStartedAt: t + 999_999 }));
    engine.connectTab(tab({ visitorId: 'v2', tabId: 't2', visitStartedAt: 0 }));
    const rows = Object.fromEntries(engine.snapshot(SITE).map((r) => [r.id, r.visitStartedAt]));
    expect(rows.v1).toBe(t);
    expect(rows.v2).toBe(t - 24 * 60 * 60 * 1000);
  });

  it('samples the visitor count for the sparkline and keeps a bounded history', () => {
    const small = new PresenceEngine({ now: clock, graceMs: 0, sampleEveryMs: 1000, samplesKept: 3 });
    small.connectTab(tab());
    for (let i = 0; i < 5; i++) {
      t += 1000;
      small.tick();
    }
    expect(small.history(SITE)).toHaveLength(3);
    expect(small.history(SITE).every((p) => p.count === 1)).toBe(true);
    expect(small.latestSamples()).toEqual([{ siteId: SITE, point: { at: t, count: 1 } }]);
  });

  it('the first change on a quiet site goes out at once; a busy site sends one diff per window', () => {
    engine.connectTab(tab());
    expect(engine.drain(40).map((d) => d.upserts.length)).toEqual([1]); // quiet: at once
    t += 5;
    engine.connectTab(tab({ visitorId: 'v2', tabId: 't2' }));
    expect(engine.drain(40)).toEqual([]); // 5 ms after the last diff: held
    t += 10;
    engine.connectTab(tab({ visitorId: 'v3', tabId: 't3' }));
    expect(engine.drain(40)).toEqual([]);
    t += 25; // 40 ms after the last diff: both changes together
    expect(engine.drain(40).map((d) => d.upserts.map((u) => u.id).sort())).toEqual([['v2', 'v3']]);
    t += 500; // quiet again
    engine.connectTab(tab({ visitorId: 'v4', tabId: 't4' }));
    expect(engine.drain(40).map((d) => d.upserts.map((u) => u.id))).toEqual([['v4']]);
  });
});
