/**
 * A target's recent handshake times as front ends read them: oldest first, null for a failed check.
 * A plain array satisfies it, and so does the engine's SampleRing.
 */
export interface RecentSamples extends Iterable<number | null> {
  readonly length: number;
  /** The samples from `start` on (negative: counted from the newest) as a new array, oldest first. */
  slice(start?: number): (number | null)[];
}

/**
 * The last `capacity` handshake times of one target, kept in place: a fixed Float64Array written
 * round (NaN marks a failed check), so a result costs no allocation. `version` counts the samples
 * ever pushed, which tells a reader that the content changed without comparing it.
 */
export class SampleRing implements RecentSamples {
  private readonly values: Float64Array;
  /** Where the next sample goes. */
  private head = 0;
  private count = 0;
  version = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  static from(samples: Iterable<number | null>, capacity: number): SampleRing {
    const ring = new SampleRing(capacity);
    for (const s of samples) ring.push(s);
    return ring;
  }

  get length(): number {
    return this.count;
  }

  push(sample: number | null): void {
    this.values[this.head] = sample === null ? NaN : sample;
    this.head = (this.head + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
    this.version++;
  }

  /** Replaces the content with `samples` (the newest `capacity` of them). */
  reset(samples: readonly (number | null)[]): void {
    this.head = 0;
    this.count = 0;
    for (const s of samples.slice(-this.values.length)) this.push(s);
  }

  slice(start = 0): (number | null)[] {
    const from = start < 0 ? Math.max(0, this.count + start) : Math.min(start, this.count);
    const out: (number | null)[] = new Array(this.count - from);
    const cap = this.values.length;
    const oldest = (this.head - this.count + cap) % cap;
    for (let i = from; i < this.count; i++) {
      const v = this.values[(oldest + i) % cap]!;
      out[i - from] = Number.isNaN(v) ? null : v;
    }
    return out;
  }

  [Symbol.iterator](): Iterator<number | null> {
    return this.slice()[Symbol.iterator]();
  }

  /** As JSON (the agent's API), the samples as an array. */
  toJSON(): (number | null)[] {
    return this.slice();
  }
}
