// One site's sparkline: visitor counts sampled over time, the newest `kept` of them.
import type { PresencePoint } from '../protocol';

export class SampleRing {
  private readonly points: PresencePoint[] = [];

  constructor(private readonly kept: number) {}

  add(point: PresencePoint): void {
    this.points.push(point);
    if (this.points.length > this.kept) this.points.shift();
  }

  /** A copy, oldest first: callers may keep it while sampling goes on. */
  all(): PresencePoint[] {
    return [...this.points];
  }

  latest(): PresencePoint | undefined {
    return this.points[this.points.length - 1];
  }

  /** True when no sample kept saw a visitor: the site can be forgotten without losing history. */
  allZero(): boolean {
    return this.points.every((p) => p.count === 0);
  }
}
