// The order of the live table's rows for a sort column and direction.
import type { LiveVisitor, VisitorStatus } from '../../server/protocol';
import type { SortDir, SortKey } from './view-state';

const STATUS_RANK: Record<VisitorStatus, number> = { active: 0, idle: 1, hidden: 2 };

type SortValue = number | string | null;

/**
 * The value a column sorts by. Time on site sorts as the visit's start, reversed (the longest
 * visit started first): the same order at any clock, so the table need not re-sort every second.
 */
export function sortValue(v: LiveVisitor, key: SortKey): SortValue {
  switch (key) {
    case 'status':
      return STATUS_RANK[v.status];
    case 'page':
      return v.page.path.toLowerCase();
    case 'pages':
      return v.pagesViewed;
    case 'time':
      return -v.visitStartedAt;
    case 'source':
      return v.source.toLowerCase();
    case 'country':
      return v.country ? v.country.toUpperCase() : null;
    case 'device':
      return `${v.device.type} ${v.device.browser} ${v.device.os}`.toLowerCase();
    case 'visitor':
      return v.visitCount;
    case 'identity':
      return (v.identity.name?.trim() || v.identity.email?.trim() || '').toLowerCase() || null;
  }
}

// String#localeCompare's order (the default locale), without building a collator per call.
const collator = new Intl.Collator();

export interface Keyed {
  v: LiveVisitor;
  k: SortValue;
}

export function compareKeyed(a: Keyed, b: Keyed, sign: number): number {
  const x = a.k;
  const y = b.k;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    const c = collator.compare(String(x), String(y));
    if (c !== 0) return c * sign;
  }
  const s = a.v.visitStartedAt - b.v.visitStartedAt;
  if (s !== 0) return s;
  return a.v.id < b.v.id ? -1 : a.v.id > b.v.id ? 1 : 0;
}

/**
 * Sorts rows by a column, in place, and returns them. Each row's sort value is computed once
 * (not twice per comparison). Missing values (unknown country, anonymous visitor) go last in
 * both directions; ties fall back to the longest time on site, then the id, so order is total.
 */
export function sortRows(rows: LiveVisitor[], key: SortKey, dir: SortDir): LiveVisitor[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed: Keyed[] = new Array<Keyed>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i] as LiveVisitor;
    keyed[i] = { v, k: sortValue(v, key) };
  }
  keyed.sort((a, b) => compareKeyed(a, b, sign));
  for (let i = 0; i < keyed.length; i++) rows[i] = (keyed[i] as Keyed).v;
  return rows;
}
