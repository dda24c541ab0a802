// The merge rule for a visitor whose tabs sit on several processes: each process holds a copy of
// the row built from its own tabs, and the dashboard shows one row per visitor.
import type { LiveVisitor, TabState } from '../protocol';

const RANK: Record<TabState, number> = { active: 0, idle: 1, hidden: 2 };

/** Which copy of a visitor's row a dashboard shows: the most attentive tab's, then the freshest. */
export function preferred(a: LiveVisitor, b: LiveVisitor): LiveVisitor {
  if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] < RANK[b.status] ? a : b;
  return b.lastActivityAt > a.lastActivityAt ? b : a;
}

/**
 * One row per visitor across processes: the preferred copy, with the tabs of every copy counted
 * and the largest page count (each process counts the views of its own tabs since the visit
 * reached it).
 */
export function mergeSnapshots(...parts: LiveVisitor[][]): LiveVisitor[] {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const byId = new Map<string, LiveVisitor>();
  for (const part of nonEmpty) {
    for (const v of part) {
      const cur = byId.get(v.id);
      if (!cur) {
        byId.set(v.id, v);
        continue;
      }
      const win = preferred(cur, v);
      byId.set(v.id, { ...win, tabs: cur.tabs + v.tabs, pagesViewed: Math.max(cur.pagesViewed, v.pagesViewed), call: win.call ?? cur.call ?? v.call, chat: win.chat ?? cur.chat ?? v.chat });
    }
  }
  return [...byId.values()];
}
