// Who is on which visitor: each dashboard tab says which visitor it has open (the live panel, a
// conversation, a call), and colleagues see it on the row so two people never approach the same
// visitor at once. Plain data in, plain data out: the transport collects the tabs of every process.
import type { AgentAttention, AttentionDoing } from '../protocol';
import { initialsOf } from '../initials';

export interface VisitorKey {
  siteId: string;
  visitorId: string;
}

/** What one dashboard tab is doing, per kind of attention. */
export type Focus = Partial<Record<AttentionDoing, VisitorKey>>;

export interface FocusHolder {
  userId: string;
  name: string;
  avatar?: string | null;
  focus?: Focus;
}

/** Strongest first: a colleague who is calling matters more than one who is only looking. */
const RANK: Record<AttentionDoing, number> = { calling: 0, chatting: 1, viewing: 2 };
export const DOINGS = Object.keys(RANK) as AttentionDoing[];

const same = (a: VisitorKey, b: VisitorKey) => a.siteId === b.siteId && a.visitorId === b.visitorId;

/** The agents on one visitor, one entry per person (their strongest activity over all their tabs). */
export function attentionOn(holders: readonly FocusHolder[], v: VisitorKey): AgentAttention[] {
  const byUser = new Map<string, AgentAttention>();
  for (const h of holders) {
    for (const doing of DOINGS) {
      const on = h.focus?.[doing];
      if (!on || !same(on, v)) continue;
      const cur = byUser.get(h.userId);
      if (!cur || RANK[doing] < RANK[cur.doing]) {
        byUser.set(h.userId, { id: h.userId, name: h.name, initials: initialsOf(h.name), avatar: h.avatar ?? null, doing });
      }
    }
  }
  return [...byUser.values()].sort((a, b) => RANK[a.doing] - RANK[b.doing] || a.name.localeCompare(b.name));
}

/** Every visitor of a site that someone is on: the snapshot a dashboard gets when it starts watching. */
export function attentionBySite(holders: readonly FocusHolder[], siteId: string): { visitorId: string; agents: AgentAttention[] }[] {
  const visitors = new Set<string>();
  for (const h of holders) for (const doing of DOINGS) {
    const on = h.focus?.[doing];
    if (on?.siteId === siteId) visitors.add(on.visitorId);
  }
  return [...visitors].map((visitorId) => ({ visitorId, agents: attentionOn(holders, { siteId, visitorId }) }));
}

/**
 * Sets one kind of the tab's focus; returns the visitors whose attention changed (the one it
 * left and the one it went to), for the transport to announce.
 */
export function refocus(focus: Focus, doing: AttentionDoing, next: VisitorKey | null): { focus: Focus; changed: VisitorKey[] } {
  const prev = focus[doing];
  if ((prev && next && same(prev, next)) || (!prev && !next)) return { focus, changed: [] };
  const out: Focus = { ...focus };
  if (next) out[doing] = next;
  else delete out[doing];
  return { focus: out, changed: [prev, next].filter((x): x is VisitorKey => !!x) };
}
