// A call waits for one thing at a time (an answer, a connection, a visitor coming back), so it has
// at most one timer: setting one replaces the one before.
import type { Clock } from '../clock';

export class CallTimers {
  private readonly timers = new Map<string, unknown>();

  constructor(private readonly clock: Clock) {}

  set(callId: string, ms: number, fn: () => void): void {
    this.clear(callId);
    this.timers.set(callId, this.clock.setTimeout(fn, ms));
  }

  clear(callId: string): void {
    const t = this.timers.get(callId);
    if (t !== undefined) this.clock.clearTimeout(t);
    this.timers.delete(callId);
  }
}
