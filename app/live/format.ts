// Display helpers for visitor data. Pure functions, no React: everything a visitor sent is
// untrusted text, so nothing here builds HTML; callers render results as React text.
import { displayText } from '../../server/text/display-text';
import type { Device, LiveVisitor, VisitorStatus } from '../../server/protocol';

export const STATUS_LABEL: Record<VisitorStatus, string> = { active: 'Active', idle: 'Idle', hidden: 'Hidden tab' };

export const DEVICE_LABEL: Record<Device['type'], string> = {
  desktop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
  tv: 'TV',
  bot: 'Bot',
  other: 'Other',
};

/** "DE" -> the German flag emoji; '' for anything that is not a two-letter code. */
export function flagOf(code: string | null | undefined): string {
  if (!code || !/^[A-Za-z]{2}$/.test(code)) return '';
  const base = 0x1f1e6 - 65;
  const up = code.toUpperCase();
  return String.fromCodePoint(base + up.charCodeAt(0), base + up.charCodeAt(1));
}

let regionNames: Intl.DisplayNames | null | undefined;
/** "DE" -> "Germany"; the code itself when the runtime has no name for it. */
export function countryName(code: string | null | undefined): string {
  if (!code) return 'Unknown';
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/** The URL if it is http(s), for use as an href; null otherwise (javascript:, data:, garbage). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** 75_000 -> "1m 15s"; 3_900_000 -> "1h 5m". Negative values (clock skew) show as 0s. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** "3 min ago", "just now", for past events. */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDate(at: number): string {
  return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function ordinal(n: number): string {
  const v = n % 100;
  const suffix = v >= 11 && v <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export function displayName(v: Pick<LiveVisitor, 'identity'>): string {
  return displayText(v.identity.name ?? '').trim() || displayText(v.identity.email ?? '').trim() || '';
}

export function deviceSummary(d: Device): string {
  return [d.browser, d.os].filter((x) => x && x !== 'Unknown').join(' · ') || 'Unknown browser';
}

/** A visitor string as displayed: invisible reordering and control characters out, capped in length (the server caps too; this keeps layout sane). */
export function clip(s: string, max = 160): string {
  const t = displayText(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
