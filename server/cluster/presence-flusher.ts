// The presence flusher: one computation per change, fanned out to every dashboard watching the
// site. With several processes, a visitor whose last tab here closed leaves the dashboards only
// if no other process still has a tab of theirs (the others are asked in one batch per tick).
import type { PresenceEngine } from '../presence/engine';
import { siteRoom } from '../transport/agent-namespace';
import type { AgentNamespace } from '../transport/io';
import { visitorKey, type Cluster } from './cluster';

export interface FlusherOptions {
  presence: PresenceEngine;
  cluster: Pick<Cluster, 'shared' | 'heldElsewhere'>;
  agents: AgentNamespace;
  flushMs: number;
  log: (msg: string, err?: unknown) => void;
}

export function startPresenceFlusher(o: FlusherOptions): { stop(): void } {
  const { presence } = o;
  const confirm = async () => {
    const due = presence.takeDue();
    if (due.length === 0) return;
    let held = new Set<string>();
    try {
      held = await o.cluster.heldElsewhere(due);
    } catch (err) {
      o.log('presence check across processes failed: removing', err);
    }
    for (const r of due) presence.forget(r.siteId, r.visitorId, !held.has(visitorKey(r)));
  };
  const timer = setInterval(() => {
    try {
      presence.tick();
      void confirm();
      for (const diff of presence.drain()) o.agents.to(siteRoom(diff.siteId)).emit('presence:diff', diff);
      // With several processes the sparkline is summed across them (server/cluster/redis-cluster.ts).
      if (!o.cluster.shared) for (const s of presence.latestSamples()) o.agents.to(siteRoom(s.siteId)).emit('presence:point', s);
    } catch (err) {
      o.log('presence flush failed', err);
    }
  }, o.flushMs);
  return { stop: () => clearInterval(timer) };
}
