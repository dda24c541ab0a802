// The live table's unit-test site (test/unit/filters*.test.ts): a fixed clock, visitors on
// shop.example pages, a view builder over DEFAULT_VIEW, and a small crowd of four visitors.
import { DEFAULT_VIEW, type ViewState } from '../../app/live/filters';
import type { LiveVisitor } from '../../server/protocol';
import { liveVisitor } from './live-visitor';

export const NOW = 1_750_000_000_000;
export const MIN = 60_000;

export function visitor(id: string, o: Partial<Omit<LiveVisitor, 'page'>> & { path?: string; title?: string } = {}): LiveVisitor {
  const { path = '/', title = 'Home', ...rest } = o;
  return liveVisitor(id, { page: { url: `https://shop.example${path}`, title, path }, ...rest }, NOW);
}

export const view = (o: Partial<ViewState> = {}): ViewState => ({ ...DEFAULT_VIEW, ...o });
export const ids = (list: LiveVisitor[]) => list.map((v) => v.id);

// A small site: who a sales person would be looking at.
export const crowd = [
  visitor('alice', { path: '/pricing', title: 'Pricing', source: 'google', visitCount: 3, visitStartedAt: NOW - 5 * MIN, pagesViewed: 6, identity: { name: 'Alice Ng', email: 'alice@acme.io', attributes: { plan: 'pro' } } }),
  visitor('bob', { path: '/blog/launch', title: 'We launched', source: 'news.ycombinator.com', status: 'idle', country: 'US', visitStartedAt: NOW - 30_000 }),
  visitor('carol', { path: '/pricing?ref=nav', title: 'Pricing', source: 'direct', status: 'hidden', country: null, device: { type: 'mobile', browser: 'Safari', os: 'iOS' }, visitCount: 2, visitStartedAt: NOW - 2 * MIN, pagesViewed: 2 }),
  visitor('dave', { path: '/contact', title: 'Contact us', source: 'google', country: 'FR', visitStartedAt: NOW - 12 * MIN, pagesViewed: 3, identity: { email: 'dave@corp.fr', attributes: {} } }),
];
