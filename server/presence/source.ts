// Where a visit came from, as the live table shows it. Pure string work on untrusted input.
import type { Utm } from '../protocol';

export function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search + u.hash;
  } catch {
    return url;
  }
}

/** utm_source wins; then the referring host (unless it is the site itself); else "direct". */
export function sourceOf(referrer: string, utm: Utm, pageUrl: string): string {
  if (utm.source) return utm.source.toLowerCase();
  const ref = hostOf(referrer);
  if (ref && ref !== hostOf(pageUrl)) return ref.replace(/^www\./, '');
  return 'direct';
}
