// Who of the team is on which visitor (server/attention), as the live page keeps it: the snapshot
// from site:watch, then one visitor:attention update at a time. Pure functions, unit-tested.
import type { AgentAttention, AttentionDoing, VisitorAttention } from '../../server/protocol';

export type AttentionMap = ReadonlyMap<string, readonly AgentAttention[]>;

export const NO_ATTENTION: AttentionMap = new Map();

/** The map as the server sees it now, without the signed-in agent themselves. */
export function attentionSnapshot(all: readonly VisitorAttention[], meId: string | null): AttentionMap {
  const out = new Map<string, readonly AgentAttention[]>();
  for (const a of all) {
    const others = a.agents.filter((x) => x.id !== meId);
    if (others.length > 0) out.set(a.visitorId, others);
  }
  return out;
}

/** One visitor's update; the same map back when nothing visible changed (no re-render). */
export function applyAttention(map: AttentionMap, update: VisitorAttention, meId: string | null): AttentionMap {
  const others = update.agents.filter((x) => x.id !== meId);
  const cur = map.get(update.visitorId);
  if (sameAgents(cur ?? [], others)) return map;
  const out = new Map(map);
  if (others.length > 0) out.set(update.visitorId, others);
  else out.delete(update.visitorId);
  return out;
}

function sameAgents(a: readonly AgentAttention[], b: readonly AgentAttention[]): boolean {
  return a.length === b.length && a.every((x, i) => x.id === b[i]?.id && x.doing === b[i]?.doing && x.avatar === b[i]?.avatar && x.name === b[i]?.name);
}

const VERB: Record<AttentionDoing, string> = { viewing: 'is looking at this visitor', chatting: 'is chatting with this visitor', calling: 'is calling this visitor' };
const SHORT: Record<AttentionDoing, string> = { viewing: 'looking', chatting: 'chatting', calling: 'calling' };

/** "Ana is chatting with this visitor" (tooltips, screen readers). */
export const attentionSentence = (a: AgentAttention): string => `${a.name} ${VERB[a.doing]}`;
/** "chatting" (the panel's compact list). */
export const attentionShort = (a: AgentAttention): string => SHORT[a.doing];
