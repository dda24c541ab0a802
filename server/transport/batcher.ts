// Gathers items for a short window and hands them over together, one batch at a time (the
// next window starts when the previous batch is done, so a slow batch never piles up others).
export class Batcher<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private closed = false;

  constructor(
    private readonly everyMs: number,
    private readonly run: (items: T[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.items = [];
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), this.everyMs);
    this.timer.unref?.();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = this.items;
    this.items = [];
    if (!batch.length) return;
    this.running = true;
    try {
      await this.run(batch);
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
      if (this.items.length) this.schedule();
    }
  }
}
