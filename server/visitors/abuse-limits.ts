// Abuse limits on visitor traffic: how many visitor connections an address, a site key and a
// visitor id may open, and how many page views a visitor may report across all its tabs. The
// counters live in a store shared by every process (Redis) or in memory when alone; this file
// holds the rules only (which counters, in which order, what a store failure means) so they can
// be tested without sockets or Redis.
//
// Connections are capped per window (new connections in the last N seconds), not as a count of
// sockets open right now. A shared count of open sockets has to be handed back by whoever took
// it: a process killed with -9, or a Redis restart, never hands it back, so the count drifts and
// either locks real visitors out or forgets the flood. A window count needs no handing back:
// every counter expires by itself, so faults heal within one window, and the limiter updates it
// atomically in one round trip. A flood is many connections opened fast (300 in 1.7 s), which a
// window stops; a slow drip under the cap is bounded by the per-site cap and the per-process
// socket limit.

export interface AbuseLimits {
  /** New visitor connections one address may open to one site per window. */
  perAddress: number;
  /** New visitor connections one site key may receive per window, from everywhere. */
  perSite: number;
  /** New connections (tabs, page loads, reconnects) one visitor id of a site may open per window. */
  perVisitor: number;
  /** The connection window, in seconds. */
  windowS: number;
  /** Page views one visitor may report a second, all its tabs together (sustained). */
  pageViewsPerSecond: number;
  /** Page views one visitor may report at once. */
  pageViewBurst: number;
}

/**
 * A real site does not come near these: one address would have to open 10 pages a second on one
 * site, one visitor 5 tabs or page loads a second, a site 3,000 connections a second (a cluster
 * of three full processes renewing every socket every 20 s). A flood does.
 */
export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  perAddress: 100,
  perSite: 30_000,
  perVisitor: 50,
  windowS: 10,
  pageViewsPerSecond: 5,
  pageViewBurst: 20,
};

/** What a refusal was for (a label of the refusals counter in /metrics). */
export type RefusalKind = 'connections_per_address' | 'connections_per_site' | 'connections_per_visitor' | 'page_views';
export const REFUSAL_KINDS: readonly RefusalKind[] = ['connections_per_address', 'connections_per_site', 'connections_per_visitor', 'page_views'];

/** One counter: at most `points` per `durationS` seconds for each key. */
export interface LimitRule {
  kind: RefusalKind;
  points: number;
  durationS: number;
}

/**
 * The rules, one per kind. Page views: a fixed window of `burst` points lasting burst/rate
 * seconds (20 per 4 s by default) keeps the sustained rate and allows the burst in one round trip.
 */
export function limitRules(l: AbuseLimits): Record<RefusalKind, LimitRule> {
  return {
    connections_per_address: { kind: 'connections_per_address', points: l.perAddress, durationS: l.windowS },
    connections_per_site: { kind: 'connections_per_site', points: l.perSite, durationS: l.windowS },
    connections_per_visitor: { kind: 'connections_per_visitor', points: l.perVisitor, durationS: l.windowS },
    page_views: { kind: 'page_views', points: l.pageViewBurst, durationS: Math.max(1, Math.round(l.pageViewBurst / l.pageViewsPerSecond)) },
  };
}

/** What a store says about one consumed point. */
export type Verdict = 'ok' | 'refused' | 'unavailable';

/** A counter store: takes one point of `key` under `rule`. Never throws ('unavailable' instead). */
export type ConsumeFn = (rule: LimitRule, key: string) => Promise<Verdict>;

/**
 * The address a limit is kept for. IPv6 is grouped by its /64: one subscriber usually holds a
 * whole /64, so counting single addresses would let one machine rotate through 2^64 of them.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  const hextets = expandIpv6(ip);
  return hextets ? `${hextets.slice(0, 4).join(':')}::/64` : ip.toLowerCase();
}

function expandIpv6(ip: string): string[] | null {
  const bare = ip.split('%')[0]!.toLowerCase();
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two hextets.
  const last = tail.length ? tail : head;
  if (last.length && last[last.length - 1]!.includes('.')) last.splice(last.length - 1, 1, '0', '0');
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.length !== 8 || !all.every((h) => /^[0-9a-f]{1,4}$/.test(h))) return null;
  return all.map((h) => h.replace(/^0+(?=.)/, ''));
}

/** The counters a new connection takes, in order. Every key includes the site: one site's flood never touches another's budget. */
export function connectionChecks(who: { siteId: string; address: string; visitorId: string }): { kind: RefusalKind; key: string }[] {
  // The narrowest first: a refused attempt stops there, so one flooding address cannot use up
  // its site's budget (the site counter only sees attempts that passed the address and visitor).
  return [
    { kind: 'connections_per_address', key: `conn:addr:${who.siteId}:${who.address}` },
    { kind: 'connections_per_visitor', key: `conn:visitor:${who.siteId}:${who.visitorId}` },
    { kind: 'connections_per_site', key: `conn:site:${who.siteId}` },
  ];
}

export const pageViewKey = (siteId: string, visitorId: string) => `pv:${siteId}:${visitorId}`;

/** Counts refusals by kind and says when the store went away or came back (to log each once). */
export class AbuseLimiter {
  private readonly refused = new Map<RefusalKind, number>();
  private readonly rules: Record<RefusalKind, LimitRule>;
  private storeDown = false;

  constructor(
    limits: AbuseLimits,
    private readonly consume: ConsumeFn,
    private readonly onStoreChange: (down: boolean) => void = () => {},
  ) {
    this.rules = limitRules(limits);
  }

  /** Null when the connection may open, else the kind of limit it hit. */
  async admitConnection(who: { siteId: string; address: string; visitorId: string }): Promise<RefusalKind | null> {
    for (const { kind, key } of connectionChecks(who)) {
      if (!(await this.take(kind, key))) return kind;
    }
    return null;
  }

  /** Whether one more page view of this visitor may be recorded. */
  async admitPageView(siteId: string, visitorId: string): Promise<boolean> {
    return this.take('page_views', pageViewKey(siteId, visitorId));
  }

  /** Refusals so far, by kind (every kind listed, zero included, so dashboards see the series). */
  refusals(): ReadonlyMap<RefusalKind, number> {
    return new Map(REFUSAL_KINDS.map((k) => [k, this.refused.get(k) ?? 0]));
  }

  private async take(kind: RefusalKind, key: string): Promise<boolean> {
    const verdict = await this.consume(this.rules[kind], key);
    // Fail open: a store that does not answer must not turn real visitors away.
    if (verdict === 'unavailable') {
      if (!this.storeDown) this.onStoreChange((this.storeDown = true));
      return true;
    }
    if (this.storeDown) this.onStoreChange((this.storeDown = false));
    if (verdict === 'refused') this.refused.set(kind, (this.refused.get(kind) ?? 0) + 1);
    return verdict === 'ok';
  }
}
