// Who counts as online for visitors (the widget's faces, offline capture) and for alerts:
// an agent who has not set Away and has at least one dashboard tab in use. A tab hidden for the
// idle time reports itself idle; closing the last tab leaves no tab at all.

export interface AgentTab {
  userId: string;
  /** The agent chose Away (kept across tabs and visits). */
  away: boolean;
  /** This tab has been hidden for the idle time. */
  idle: boolean;
}

export function onlineAgents<T extends AgentTab>(tabs: readonly T[]): T[] {
  const online = new Map<string, T>();
  for (const t of tabs) if (!t.away && !t.idle && !online.has(t.userId)) online.set(t.userId, t);
  return [...online.values()];
}
