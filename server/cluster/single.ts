// The embedded default: one process holds everything, so nothing is held elsewhere and the
// engine's own samples are the sparkline.
import type { PresenceEngine } from '../presence/engine';
import type { Cluster } from './cluster';

export function singleProcess(presence: PresenceEngine): Cluster {
  return {
    shared: false,
    processId: 'local',
    remoteSnapshot: async () => ({ visitors: [], complete: true }),
    heldElsewhere: async () => new Set<string>(),
    history: async (siteId) => presence.history(siteId),
    ping: null,
    locks: null,
    close: async () => {},
  };
}
