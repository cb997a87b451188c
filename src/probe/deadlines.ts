/**
 * Many deadlines on one timer, to within `tickMs`: thousands of sockets a second each waiting out a
 * listen window or a close grace would otherwise each allocate, arm and cancel a timer of their own.
 * `add` returns the item's bucket; `cancel` with it lets go of an item whose wait ended early.
 */
export class CoarseDeadlines<T> {
  private readonly buckets = new Map<number, Set<T>>();
  private timer: NodeJS.Timeout | undefined;
  private armedTick = Infinity;

  constructor(
    private readonly tickMs: number,
    private readonly expire: (item: T) => void,
    /** Whether a pending deadline keeps the process alive. */
    private readonly ref = true,
  ) {}

  add(item: T, ms: number): number {
    const tick = Math.ceil((performance.now() + ms) / this.tickMs);
    const bucket = this.buckets.get(tick);
    if (bucket) bucket.add(item);
    else this.buckets.set(tick, new Set([item]));
    if (tick < this.armedTick) this.arm(tick);
    return tick;
  }

  cancel(item: T, tick: number): void {
    const bucket = this.buckets.get(tick);
    if (!bucket) return;
    bucket.delete(item);
    if (bucket.size === 0) this.buckets.delete(tick);
    // Nothing left to wait for: an armed timer would keep a one-shot `check` alive for the whole window.
    if (this.buckets.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.armedTick = Infinity;
    }
  }

  /** Items still waiting (for tests and leak checks). */
  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size;
    return n;
  }

  private arm(tick: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedTick = tick;
    this.timer = setTimeout(() => this.fire(), Math.max(0, tick * this.tickMs - performance.now()));
    if (!this.ref) this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedTick = Infinity;
    const now = performance.now();
    let next = Infinity;
    const due: number[] = [];
    for (const tick of this.buckets.keys()) {
      if (tick * this.tickMs <= now) due.push(tick);
      else if (tick < next) next = tick;
    }
    // Several buckets fall due together when the loop was busy: earliest first (a Map keeps insertion order).
    due.sort((a, b) => a - b);
    for (const tick of due) {
      // An earlier item's expiry may have cancelled every item of this bucket.
      const items = this.buckets.get(tick);
      if (!items) continue;
      this.buckets.delete(tick);
      for (const item of items) {
        try {
          this.expire(item);
        } catch {
          // One item's failure must not leave the others waiting forever.
        }
      }
    }
    if (next < Infinity) this.arm(next);
  }
}
