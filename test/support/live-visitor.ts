// A live-table row for unit tests of the dashboard's pure parts: an ordinary desktop visitor on
// the home page, with whatever the test overrides.
import type { LiveVisitor } from '../../server/protocol';

export function liveVisitor(id: string, o: Partial<LiveVisitor> = {}, now = 1_750_000_000_000): LiveVisitor {
  return {
    id,
    status: 'active',
    tabs: 1,
    page: { url: 'https://shop.example/', title: 'Home', path: '/' },
    pagesViewed: 1,
    visitStartedAt: now - 60_000,
    lastActivityAt: now,
    referrer: '',
    source: 'direct',
    utm: {},
    country: 'DE',
    device: { type: 'desktop', browser: 'Chrome', os: 'macOS' },
    language: 'en-US',
    timeZone: 'Europe/Berlin',
    visitCount: 1,
    identity: { attributes: {} },
    call: null,
    chat: null,
    ...o,
  };
}
