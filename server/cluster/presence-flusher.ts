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

/** How often the flusher looks for changes: a quiet site's first change waits at most this long. */
const TICK_MS = 10;

export function startPresenceFlusher(o: FlusherOptions): { stop(): void } {
  const { presence } = o;
  let sampleSentAt = 0;
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
  // Changes go out within TICK_MS when their site has been quiet, and at most once per flushMs
  // per site under load (engine.drain's window): low latency for most changes, one message per
  // window for a busy site however many of its visitors move.
  const timer = setInterval(() => {
    try {
      presence.tick();
      void confirm();
      for (const diff of presence.drain(o.flushMs)) o.agents.to(siteRoom(diff.siteId)).emit('presence:diff', diff);
      // With several processes the sparkline is summed across them (server/cluster/redis-cluster.ts).
      // Each sampling once: it stays the latest for many ticks, and listing it walks every site.
      if (!o.cluster.shared && presence.sampledAt() !== sampleSentAt) {
        sampleSentAt = presence.sampledAt();
        for (const s of presence.latestSamples()) o.agents.to(siteRoom(s.siteId)).emit('presence:point', s);
      }
    } catch (err) {
      o.log('presence flush failed', err);
    }
  }, Math.min(TICK_MS, o.flushMs));
  return { stop: () => clearInterval(timer) };
}
