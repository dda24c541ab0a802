// What the visitor's browser says about the page and the device, cleaned to pass the server's
// validation (server/transport/schemas.ts): a handshake that fails it is refused outright.
import type { PageRef, Utm } from '../../server/protocol';

/** Collapses whitespace and caps length: titles and campaign names are shown in a table. */
export const text = (v: unknown, max: number): string =>
  (typeof v === 'string' ? v : '').replace(/\s+/g, ' ').trim().slice(0, max);

/** Only http(s) URLs are accepted, at most 2048 characters; anything else becomes ''. */
export const httpUrl = (v: string): string => (/^https?:\/\//i.test(v) ? v.slice(0, 2048) : '');

export const currentPage = (): PageRef => ({ url: httpUrl(location.href), title: text(document.title, 300) });

/**
 * UTM parameters, from the landing URL (`utm_source`...) or from a stored visit (`source`...).
 * Unknown keys are dropped: the server rejects a handshake with any.
 */
export function utmOf(get: (key: string) => unknown, prefix = ''): Utm {
  const utm: Utm = {};
  for (const k of ['source', 'medium', 'campaign', 'term', 'content'] as const) {
    const v = text(get(prefix + k), 200);
    if (v) utm[k] = v;
  }
  return utm;
}

/** The page that sent the visitor here; a link from the site itself is not a source. */
export function externalReferrer(): string {
  const ref = httpUrl(document.referrer);
  try {
    return ref && new URL(ref).origin !== location.origin ? ref : '';
  } catch {
    return '';
  }
}

const size = (n: number): number => Math.min(100_000, Math.max(0, Math.round(n) || 0));

export function environment(): { language: string; timeZone: string; screen: { w: number; h: number } } {
  let timeZone = '';
  try {
    timeZone = text(Intl.DateTimeFormat().resolvedOptions().timeZone, 64);
  } catch {
    // Intl without time zone data: the dashboard shows it as unknown.
  }
  return { language: text(navigator.language, 35), timeZone, screen: { w: size(screen.width), h: size(screen.height) } };
}
