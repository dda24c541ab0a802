// Writes visit history in batches, off the live path: the presence engine never waits for it.
// Events queue in memory and are flushed every interval as a few idempotent statements (one per
// kind of event and chunk, batch-plan.ts); a step that fails because the database is away goes back
// to the queue with the steps after it.
import type { Db } from '../../drizzle/db';
import { planBatch } from './batch-plan';
import { isConnectionError } from './connection-error';
import type { HistoryEvent, RecalledVisitor } from './history-event';

export type { HistoryEvent, RecalledVisitor } from './history-event';
export { isConnectionError } from './connection-error';

export interface HistoryWriterOptions {
  intervalMs: number;
  /** Events held while the database is behind or away; past it the oldest are dropped (and counted). */
  maxQueue: number;
  /** Told what is stored about visitors whose new visit was just recorded. */
  onVisitorsRecalled?: (visitors: RecalledVisitor[]) => void;
  /** A write failed: `retryInMs` when it will be tried again (the database is away), null when it never will (bad data). */
  onError?: (err: unknown, retryInMs: number | null) => void;
  /** A batch was written (or tried): how long it took, in ms. */
  onFlushed?: (ms: number) => void;
  /** The queue overflowed: `dropped` events so far in all. */
  onDrop?: (dropped: number) => void;
  /** Backoff between retries after a connection failure: from `min` doubling to `max`. */
  backoffMs?: { min: number; max: number };
  now?: () => number;
}

/** What the writer has done, for health, metrics and logs. */
export interface HistoryStats {
  queued: number;
  /** Events dropped because the queue overflowed while the database was away. */
  dropped: number;
  /** Events refused by the database itself (never retried: they would fail again). */
  failed: number;
  /** Batches put back after a connection failure. */
  retries: number;
  /** When the next retry may run (epoch ms); null when writing normally. */
  retryAt: number | null;
}

export class HistoryWriter {
  private queue: HistoryEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private backoff = 0;
  private retryAt: number | null = null;
  dropped = 0;
  private failed = 0;
  private retries = 0;

  constructor(private readonly db: Db, private readonly opts: HistoryWriterOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  push(e: HistoryEvent): void {
    this.queue.push(e);
    this.trim();
  }

  stats(): HistoryStats {
    return { queued: this.queue.length, dropped: this.dropped, failed: this.failed, retries: this.retries, retryAt: this.retryAt };
  }

  /**
   * Write everything queued so far; resolves when it is in the database, or when the database is
   * away (the events stay queued, and are retried with backoff).
   */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeBatch());
    return this.running;
  }

  /** Stops the timer and writes what is queued, retrying for up to `graceMs` if the database is away. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = this.now() + graceMs;
    await this.flush();
    while (this.queue.length > 0 && this.retryAt !== null && this.now() < until) {
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(this.retryAt ?? 0, until) - this.now())));
      await this.flush();
    }
  }

  private trim(): void {
    const over = this.queue.length - this.opts.maxQueue;
    if (over <= 0) return;
    // The database has been away too long: keep serving live presence, lose the oldest history.
    this.queue.splice(0, over);
    this.dropped += over;
    this.opts.onDrop?.(this.dropped);
  }

  private async writeBatch(): Promise<void> {
    if (this.queue.length === 0) return;
    if (this.retryAt !== null && this.now() < this.retryAt) return;
    const batch = this.queue;
    this.queue = [];
    const started = performance.now();
    const recalled: RecalledVisitor[] = [];
    const steps = planBatch(this.db, batch, recalled);
    let away = false;
    for (let i = 0; i < steps.length && !away; i++) {
      try {
        await steps[i]!.run();
      } catch (err) {
        if (isConnectionError(err)) {
          // The database is away: this step and the ones after it go back to the front of the
          // queue, in order, ahead of what arrived meanwhile; nothing acknowledged is lost.
          this.queue = [...steps.slice(i).flatMap((s) => s.events), ...this.queue];
          this.trim();
          this.retries++;
          const { min, max } = this.opts.backoffMs ?? { min: 250, max: 10_000 };
          this.backoff = this.backoff ? Math.min(max, this.backoff * 2) : min;
          this.retryAt = this.now() + this.backoff;
          this.opts.onError?.(err, this.backoff);
          away = true;
          continue;
        }
        const { events } = steps[i]!;
        if (events.length > 1) {
          // One bad row must not take its chunk down: the chunk's events go again one by one,
          // right here, and only the ones the database refuses are lost.
          steps.splice(i + 1, 0, ...events.flatMap((e) => planBatch(this.db, [e], recalled)));
          continue;
        }
        // The database refused this row: retrying would fail again. Report, count, go on.
        this.failed += events.length;
        this.opts.onError?.(err, null);
      }
      // Yield between statements so live presence keeps moving during a big batch.
      await new Promise((r) => setImmediate(r));
    }
    if (!away) {
      this.backoff = 0;
      this.retryAt = null;
    }
    this.opts.onFlushed?.(performance.now() - started);
    if (recalled.length) this.opts.onVisitorsRecalled?.(recalled);
  }
}
