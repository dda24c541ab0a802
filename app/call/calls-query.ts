// The calls history page's filters and their URL form (?outcome=&site=&agent=&q=&before=&before_id=).
// Pure, so malformed or hostile parameters are unit-tested; the tenant never comes from here.
import type { CallEndReason, CallParty } from '../../server/protocol';
import { isSiteId } from '../lib/site-json';

export const CALLS_PAGE_SIZE = 50;
export const OUTCOME_FILTERS = ['answered', 'declined', 'missed', 'cancelled', 'failed', 'ongoing'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export interface CallsQuery {
  outcome: OutcomeFilter | null;
  site: string | null;
  agent: string | null;
  q: string;
  /** The older page starts after this call: started at `before` (epoch ms), id `beforeId` (calls in the same millisecond are ordered by id). */
  before: number | null;
  beforeId: string | null;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function get(p: Params, key: string): string | undefined {
  if (p instanceof URLSearchParams) return p.get(key) ?? undefined;
  const v = p[key];
  return Array.isArray(v) ? v[0] : v;
}

const MAX_Q = 100;

export function parseCallsQuery(p: Params): CallsQuery {
  const outcome = get(p, 'outcome')?.trim().toLowerCase();
  const site = get(p, 'site')?.trim() ?? '';
  const agent = get(p, 'agent')?.trim() ?? '';
  const before = Number(get(p, 'before'));
  return {
    outcome: (OUTCOME_FILTERS as readonly string[]).includes(outcome ?? '') ? (outcome as OutcomeFilter) : null,
    site: isSiteId(site) ? site.toLowerCase() : null,
    agent: /^[A-Za-z0-9_-]{1,128}$/.test(agent) ? agent : null,
    q: (get(p, 'q') ?? '').trim().slice(0, MAX_Q),
    before: Number.isSafeInteger(before) && before > 0 ? before : null,
    beforeId: /^[0-9a-f-]{36}$/i.test(get(p, 'before_id') ?? '') ? get(p, 'before_id')!.toLowerCase() : null,
  };
}

/** The query string (without "?"), only set values, in a fixed order. */
export function serializeCallsQuery(q: CallsQuery): string {
  const p = new URLSearchParams();
  if (q.outcome) p.set('outcome', q.outcome);
  if (q.site) p.set('site', q.site);
  if (q.agent) p.set('agent', q.agent);
  if (q.q) p.set('q', q.q);
  if (q.before !== null) p.set('before', String(q.before));
  if (q.before !== null && q.beforeId) p.set('before_id', q.beforeId);
  return p.toString();
}

export function callsHref(q: CallsQuery): string {
  const qs = serializeCallsQuery(q);
  return qs ? `/calls?${qs}` : '/calls';
}

export const hasCallFilters = (q: CallsQuery): boolean => !!(q.outcome || q.site || q.agent || q.q);

/**
 * One page of rows out of `limit + 1` fetched: the rows to show and, when there are more, the
 * link to the next (older) page, which starts before the oldest row shown.
 */
export function pageOf<T extends { id: string; startedAt: number }>(rows: readonly T[], q: CallsQuery, size = CALLS_PAGE_SIZE): { rows: T[]; olderHref: string | null } {
  const shown = rows.slice(0, size);
  const last = shown[shown.length - 1];
  return { rows: shown, olderHref: rows.length > size && last ? callsHref({ ...q, before: last.startedAt, beforeId: last.id }) : null };
}

export const ENDED_BY_LABEL: Record<CallParty, string> = { agent: 'Agent', visitor: 'Visitor', system: 'System' };

export const REASON_LABEL: Record<CallEndReason, string> = {
  hangup: 'hung up',
  declined: 'declined',
  no_answer: 'no answer',
  cancelled: 'cancelled',
  left: 'left',
  connect_failed: 'could not connect',
  media_unavailable: 'no camera or microphone',
  answered_elsewhere: 'answered in another tab',
  interrupted: 'interrupted (server restart)',
};

