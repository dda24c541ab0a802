// Display helpers for the Team and invitation pages. Pure: times are epoch milliseconds and "now"
// is passed in (the server's render time), so the server and the browser print the same text.
import type { Role } from '../../server/access/access';

export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };

export const ROLE_HINT: Record<Exclude<Role, 'owner'>, string> = {
  admin: 'Admins manage sites and people.',
  agent: 'Agents watch visitors, call and chat.',
};

/** "an admin", "an agent", "the owner": for sentences. */
export function roleInSentence(role: Role): string {
  return role === 'owner' ? 'the owner' : role === 'admin' ? 'an admin' : 'an agent';
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** "2 minutes ago", "in 7 days", "just now"; "never" for null. */
export function relativeTime(at: number | null, now: number): string {
  if (at === null) return 'never';
  const diff = at - now;
  const sign = diff < 0 ? -1 : 1;
  const abs = Math.abs(diff);
  if (abs < 60_000) return sign < 0 ? 'just now' : 'in less than a minute';
  const minutes = Math.round(abs / 60_000);
  if (minutes < 60) return rtf.format(sign * minutes, 'minute');
  const hours = Math.round(abs / 3_600_000);
  if (hours < 24) return rtf.format(sign * hours, 'hour');
  const days = Math.round(abs / 86_400_000);
  if (days < 31) return rtf.format(sign * days, 'day');
  const months = Math.round(days / 30.44);
  if (months < 12) return rtf.format(sign * months, 'month');
  return rtf.format(sign * Math.max(1, Math.round(days / 365.25)), 'year');
}

/** "Mar 4, 2025" (UTC, so the server and the browser agree). */
export function formatDay(at: number): string {
  return new Date(at).toLocaleDateString('en', { dateStyle: 'medium', timeZone: 'UTC' });
}

/** "Mar 4, 2025, 14:05 UTC": a precise time for tooltips. */
export function formatExact(at: number): string {
  return `${new Date(at).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' })} UTC`;
}
