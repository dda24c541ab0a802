// The abuse limits' rules: defaults, keys, order of the counters, refusal counts and failing open.
import { describe, expect, it } from 'vitest';
import { loadConfig as load } from '../../server/config';
import { createAbuseGate } from '../../server/transport/abuse-gate';
import { AbuseLimiter, DEFAULT_ABUSE_LIMITS, addressKey, connectionChecks, limitRules, type ConsumeFn, type LimitRule, type Verdict } from '../../server/visitors/abuse-limits';

/** A fixed-window counter store on a manual clock, recording every key it was asked about. */
function fakeStore(clock: { t: number }) {
  const windows = new Map<string, { start: number; n: number }>();
  const asked: string[] = [];
  let verdictOverride: Verdict | null = null;
  const consume: ConsumeFn = async (rule: LimitRule, key: string) => {
    asked.push(key);
    if (verdictOverride) return verdictOverride;
    const w = windows.get(key);
    const cur = w && clock.t - w.start < rule.durationS * 1000 ? w : { start: clock.t, n: 0 };
    cur.n++;
    windows.set(key, cur);
    return cur.n <= rule.points ? 'ok' : 'refused';
  };
  return { consume, asked, set: (v: Verdict | null) => (verdictOverride = v) };
}

const config = (env: Record<string, string>) => load({ NODE_ENV: 'test', ...env });

const limits = { ...DEFAULT_ABUSE_LIMITS, perAddress: 3, perVisitor: 5, perSite: 8, pageViewsPerSecond: 2, pageViewBurst: 4 };

describe('abuse limit defaults and configuration', () => {
  it('defaults to 100 connections per address per site per 10 s and 5 page views a second with bursts of 20', () => {
    const c = config({});
    expect(c.abuse).toEqual(DEFAULT_ABUSE_LIMITS);
    expect(c.abuse).toMatchObject({ perAddress: 100, perSite: 30_000, perVisitor: 50, windowS: 10, pageViewsPerSecond: 5, pageViewBurst: 20 });
    const rules = limitRules(DEFAULT_ABUSE_LIMITS);
    expect(rules.page_views).toMatchObject({ points: 20, durationS: 4 }); // 5/s sustained, 20 at once
    expect(rules.connections_per_address).toMatchObject({ points: 100, durationS: 10 });
  });

  it('reads each cap from the environment, within bounds', () => {
    const c = config({ VISITOR_CONNECTIONS_PER_ADDRESS: '7', VISITOR_CONNECTIONS_PER_SITE: '900', VISITOR_CONNECTIONS_PER_VISITOR: '3', VISITOR_CONNECTION_WINDOW_S: '30', VISITOR_PAGE_VIEWS_PER_SECOND: '2', VISITOR_PAGE_VIEW_BURST: '6' });
    expect(c.abuse).toEqual({ perAddress: 7, perSite: 900, perVisitor: 3, windowS: 30, pageViewsPerSecond: 2, pageViewBurst: 6 });
    expect(() => config({ VISITOR_CONNECTIONS_PER_ADDRESS: '0' })).toThrow('VISITOR_CONNECTIONS_PER_ADDRESS');
    expect(() => config({ VISITOR_CONNECTION_WINDOW_S: '99999' })).toThrow('VISITOR_CONNECTION_WINDOW_S');
    expect(() => config({ VISITOR_PAGE_VIEWS_PER_SECOND: '10', VISITOR_PAGE_VIEW_BURST: '5' })).toThrow('VISITOR_PAGE_VIEW_BURST');
  });

  it('PORCHLIGHT_NO_RATE_LIMIT turns them off (tests and benchmarks)', () => {
    expect(config({ PORCHLIGHT_NO_RATE_LIMIT: '1' }).abuse).toBeNull();
  });
});

describe('abuse limit keys', () => {
  it('counts IPv4 addresses one by one and IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('every connection key names the site, narrowest first', () => {
    const checks = connectionChecks({ siteId: 'S1', address: '203.0.113.7', visitorId: 'v1' });
    expect(checks.map((c) => c.kind)).toEqual(['connections_per_address', 'connections_per_visitor', 'connections_per_site']);
    for (const c of checks) expect(c.key).toContain('S1');
  });
});

describe('AbuseLimiter', () => {
  it('caps connections per address per site; another site from the same address is unaffected', async () => {
    const clock = { t: 0 };
    const store = fakeStore(clock);
    const l = new AbuseLimiter(limits, store.consume);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await l.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: `v${i}` }));
    expect(results).toEqual([null, null, null, 'connections_per_address', 'connections_per_address', 'connections_per_address']);
    expect(await l.admitConnection({ siteId: 'B', address: '1.2.3.4', visitorId: 'v0' })).toBeNull();
    // A refused attempt stops at the address: the site's budget is not spent by the flood.
    expect(store.asked.filter((k) => k.includes('conn:site:A'))).toHaveLength(3);
    expect(l.refusals().get('connections_per_address')).toBe(3);
    // The window passes: the address may connect again.
    clock.t += limits.windowS * 1000;
    expect(await l.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: 'v9' })).toBeNull();
  });

  it('caps connections per visitor id and per site key', async () => {
    const l = new AbuseLimiter(limits, fakeStore({ t: 0 }).consume);
    const byVisitor = [];
    for (let i = 0; i < 7; i++) byVisitor.push(await l.admitConnection({ siteId: 'A', address: `10.0.0.${i}`, visitorId: 'same' }));
    expect(byVisitor.filter((r) => r === null)).toHaveLength(5);
    expect(byVisitor.slice(5)).toEqual(['connections_per_visitor', 'connections_per_visitor']);
    const bySite = [];
    for (let i = 0; i < 6; i++) bySite.push(await l.admitConnection({ siteId: 'A', address: `10.0.1.${i}`, visitorId: `w${i}` }));
    // 5 taken by "same" already, 8 per site.
    expect(bySite.filter((r) => r === null)).toHaveLength(3);
    expect(bySite.slice(3)).toEqual(['connections_per_site', 'connections_per_site', 'connections_per_site']);
    expect(l.refusals()).toEqual(new Map([['connections_per_address', 0], ['connections_per_site', 3], ['connections_per_visitor', 2], ['page_views', 0]]));
  });

  it("a visitor's page views share one budget, per site", async () => {
    const l = new AbuseLimiter(limits, fakeStore({ t: 0 }).consume);
    const ok = [];
    for (let i = 0; i < 6; i++) ok.push(await l.admitPageView('A', 'v1'));
    expect(ok).toEqual([true, true, true, true, false, false]);
    expect(await l.admitPageView('A', 'v2')).toBe(true);
    expect(await l.admitPageView('B', 'v1')).toBe(true);
    expect(l.refusals().get('page_views')).toBe(2);
  });

  it('fails open while the store does not answer, and says so once each way', async () => {
    const store = fakeStore({ t: 0 });
    const changes: boolean[] = [];
    const l = new AbuseLimiter({ ...limits, perAddress: 1 }, store.consume, (down) => changes.push(down));
    store.set('unavailable');
    for (let i = 0; i < 5; i++) expect(await l.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: `v${i}` })).toBeNull();
    expect(await l.admitPageView('A', 'v1')).toBe(true);
    expect(changes).toEqual([true]);
    store.set(null);
    expect(await l.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: 'v9' })).toBeNull();
    expect(await l.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: 'v10' })).toBe('connections_per_address');
    expect(changes).toEqual([true, false]);
  });
});

describe('createAbuseGate', () => {
  it('in memory (one process): caps page views with rate-limiter-flexible', async () => {
    const gate = await createAbuseGate({ limits, log: () => {} });
    const ok = [];
    for (let i = 0; i < 6; i++) ok.push(await gate.admitPageView('A', 'v1'));
    expect(ok.filter(Boolean)).toHaveLength(4);
    expect(gate.refusals().get('page_views')).toBe(2);
    await gate.close();
  });

  it('with Redis unreachable: serves visitors at once and logs once', async () => {
    const logs: string[] = [];
    const gate = await createAbuseGate({ limits: { ...limits, perAddress: 1 }, redisUrl: 'redis://127.0.0.1:1', connectWaitMs: 50, log: (m) => logs.push(m) });
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await gate.admitConnection({ siteId: 'A', address: '1.2.3.4', visitorId: `v${i}` })).toBeNull();
    expect(await gate.admitPageView('A', 'v1')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(logs.filter((m) => m.includes('Redis does not answer'))).toHaveLength(1);
    await gate.close();
  });
});
