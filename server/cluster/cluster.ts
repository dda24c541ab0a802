// What spans server processes, behind one interface: the visitors other processes hold, whether
// a visitor is still online elsewhere, the sparkline summed over every process, locks, and
// telling dashboards to take a fresh snapshot when the cluster changed under them. One process
// (the embedded default) has a trivial implementation (./single.ts); several share Redis
// (./redis-cluster.ts) through socket.io's adapter and keys with expiry.
import type { LiveVisitor, PresencePoint } from '../protocol';
import type { VisitorRef } from '../presence/engine';

/** Short-lived locks shared by every process (one visitor, one call across the cluster). */
export interface ClusterLocks {
  /** Takes the lock if nobody holds it; false if someone does. */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  extend(key: string, value: string, ttlMs: number): Promise<void>;
  release(key: string, value: string): Promise<void>;
}

export interface Cluster {
  /** Several processes share the live state (Redis); false for the embedded single process. */
  readonly shared: boolean;
  /** This process among the others (what 'cluster:processes-left' names). */
  readonly processId: string;
  /**
   * The visitors of a site that the other live processes hold (none alone, or while they cannot
   * be asked); `complete` is false when a process did not answer in time.
   */
  remoteSnapshot(siteId: string): Promise<{ visitors: LiveVisitor[]; complete: boolean }>;
  /**
   * Of these visitors (their last tab here closed), the ones with a tab still open on another
   * process, keyed by visitorKey(); the holders send their copy of the row out again.
   */
  heldElsewhere(visitors: readonly VisitorRef[]): Promise<Set<string>>;
  /** The sparkline's samples of a site, every process's visitors counted. */
  history(siteId: string): Promise<PresencePoint[]>;
  /** Whether the shared store answers now (/readyz); null alone. */
  ping: (() => Promise<boolean>) | null;
  locks: ClusterLocks | null;
  close(): Promise<void>;
}

export const visitorKey = (r: VisitorRef): string => `${r.siteId}\n${r.visitorId}`;
