import { MinHeap } from './heap.js';

export interface SchedulerOptions {
  /** Most checks in flight at once. */
  concurrency: number;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * Runs jobs by id at planned monotonic times, never more than `concurrency` at once. Each id has at
 * most one planned run; planning it again replaces the earlier plan. Due jobs that find every slot
 * taken wait in time order and start as slots free up; the delay is recorded as drift.
 */
export class Scheduler {
  private readonly heap = new MinHeap();
  private readonly planned = new Map<string, { seq: number; at: number }>();
  private seq = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private running = false;
  private pumpQueued = false;
  private readonly now: () => number;
  /** Recent drifts (actual start − planned start, ms), a bounded ring for p50/p99. */
  readonly drifts = new Float64Array(4096);
  private driftCount = 0;

  constructor(
    private readonly run: (id: string) => Promise<void>,
    private readonly options: SchedulerOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.planned.size;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  plan(id: string, at: number): void {
    const seq = ++this.seq;
    this.planned.set(id, { seq, at });
    this.heap.push({ at, seq, id });
    if (this.running) this.pumpSoon();
  }

  cancel(id: string): void {
    this.planned.delete(id);
  }

  plannedAt(id: string): number | undefined {
    return this.planned.get(id)?.at;
  }

  recentDrifts(): number[] {
    return Array.from(this.drifts.subarray(0, Math.min(this.driftCount, this.drifts.length)));
  }

  /**
   * Pumps on the next turn of the event loop: completions that arrive together share one pump, and a
   * job that finishes without real I/O cannot chain the next one in microtasks and starve timers.
   */
  private pumpSoon(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** A job ended (either way): its slot is free. One function for every job, not a closure each. */
  private readonly done = (): void => {
    this.inFlight--;
    this.pumpSoon();
  };

  private pump(): void {
    if (!this.running) return;
    const now = this.now();
    while (this.inFlight < this.options.concurrency) {
      const top = this.heap.peek();
      if (!top) break;
      const current = this.planned.get(top.id);
      if (!current || current.seq !== top.seq) {
        this.heap.pop(); // superseded or cancelled
        continue;
      }
      if (top.at > now) break;
      this.heap.pop();
      this.planned.delete(top.id);
      this.drifts[this.driftCount++ % this.drifts.length] = now - top.at;
      this.inFlight++;
      this.run(top.id).then(this.done, this.done);
    }
    this.arm();
  }

  private arm(): void {
    const top = this.heap.peek();
    if (!top || this.inFlight >= this.options.concurrency) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= top.at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = top.at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, top.at - this.now()));
  }
}
