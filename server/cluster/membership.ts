// Which server processes are alive, as a process sees it from the heartbeats in the shared store
// (each process refreshes a key with an expiry; a process that dies stops refreshing, its key
// expires). Pure: the store is read elsewhere, this only says what changed between two looks.

/** A live process: its id, and the epoch of its current link to the store (new after each reconnection). */
export interface NodeBeat {
  uid: string;
  epoch: string;
}

export interface MembershipChange {
  left: string[];
  /** New processes, and processes whose link came back (a new epoch): what they sent meanwhile was lost. */
  joined: string[];
}

export class MembershipView {
  private known: Map<string, string> | null = null;

  constructor(private readonly self: string) {}

  /** Takes the live processes seen now; says who left and who (re)joined since the last look. */
  update(live: readonly NodeBeat[]): MembershipChange {
    const next = new Map<string, string>();
    for (const b of live) if (b.uid !== this.self) next.set(b.uid, b.epoch);
    const before = this.known;
    this.known = next;
    if (!before) return { left: [], joined: [] }; // the first look: nothing to compare with
    const left = [...before.keys()].filter((uid) => !next.has(uid));
    const joined = [...next].filter(([uid, epoch]) => before.get(uid) !== epoch).map(([uid]) => uid);
    return { left, joined };
  }

  /** Forget the last look (our own link broke: the next look starts afresh). */
  reset(): void {
    this.known = null;
  }

  size(): number {
    return this.known?.size ?? 0;
  }
}

/**
 * The sparkline across processes: in each time slot every process adds the visitors it holds to
 * one set per site, and the point is the size of that set (a visitor with tabs on two processes
 * counts once). Slots are aligned on the wall clock so processes agree.
 */
export function slotOf(at: number, everyMs: number): number {
  return Math.floor(at / everyMs) * everyMs;
}

/**
 * The points of a sparkline from its stored counts (`<slot>` -> distinct visitors online in that
 * slot, every process's tabs together), a zero for every slot nobody wrote between the first and
 * the last; anything else in the hash is ignored.
 */
export function pointsOf(fields: Record<string, string>, everyMs: number, from: number, to: number): { at: number; count: number }[] {
  const bySlot = new Map<number, number>();
  for (const [field, value] of Object.entries(fields)) {
    if (!/^\d+$/.test(field)) continue;
    const at = Number(field);
    const count = Number(value);
    if (!Number.isFinite(count) || at < from || at > to) continue;
    bySlot.set(at, count);
  }
  if (bySlot.size === 0) return [];
  const first = Math.min(...bySlot.keys());
  const out: { at: number; count: number }[] = [];
  for (let at = first; at <= to; at += everyMs) out.push({ at, count: bySlot.get(at) ?? 0 });
  return out;
}
