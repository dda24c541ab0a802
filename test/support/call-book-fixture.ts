// The call state machine's unit-test rig (test/unit/call-book*.test.ts): a hand-driven clock, the
// parties of a call, and a CallBook on that clock that records every event it emits.
import { CallBook, type CallClock, type CallEvent, type Party, type VisitorParty } from '../../server/calls/call-book';

export class ManualClock implements CallClock {
  t = 1_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    const until = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = until;
  }
  get pending() {
    return this.timers.size;
  }
}

export const RING = 30_000;
export const CONNECT = 20_000;
export const GRACE = 10_000;

export const agentA = { userId: 'user-a', socketId: 'sa', name: 'Ana Lima' };
export const agentB = { userId: 'user-b', socketId: 'sb', name: 'Bo' };
export const tab1: VisitorParty = { siteId: 'site-1', visitorId: 'v1', tabId: 't1', socketId: 'vs1' };
export const tab2: VisitorParty = { ...tab1, tabId: 't2', socketId: 'vs2' };
export const A = (p = agentA): Party => ({ kind: 'agent', userId: p.userId, socketId: p.socketId });
export const V = (p: VisitorParty): Party => ({ kind: 'visitor', ...p });
export const AV = { audio: true, video: true };

/** A fresh CallBook on a fresh ManualClock, and shortcuts to what it emitted. */
export function newCallBook() {
  const clock = new ManualClock();
  const events: CallEvent[] = [];
  let ids = 0;
  const book = new CallBook({ ringTimeoutMs: RING, connectTimeoutMs: CONNECT, resumeGraceMs: GRACE, clock, newId: () => `call-${++ids}`, onEvent: (e) => events.push(e) });
  const types = () => events.map((e) => e.type);
  const lastEnd = () => {
    const e = events.at(-1);
    if (e?.type !== 'ended') throw new Error(`last event is ${e?.type}`);
    return e.end;
  };
  const start = (agent = agentA, visitor = tab1) => {
    const r = book.start({ siteId: visitor.siteId, visitorId: visitor.visitorId, video: true, company: 'Lumen', agent });
    if (!r.ok) throw new Error(r.code);
    return r.call;
  };
  return { clock, events, book, types, lastEnd, start };
}
export type CallBookFixture = ReturnType<typeof newCallBook>;
