import { MinHeap, type HeapEntry } from './heap.js';

export interface SchedulerOptions {
  /** Most checks in flight at once. */
  concurrency: number;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

/** A job the scheduler can plan: it keeps its current plan on the job, so no lookup by id per run. */
export interface Plannable {
  /** Written by the scheduler only: the heap entry of the job's current plan. */
  plan: HeapEntry<Plannable> | undefined;
}

/**
 * Runs jobs at planned monotonic times, never more than `concurrency` at once. Each job has at
 * most one planned run; planning it again replaces the earlier plan. Due jobs that find every slot
 * taken wait in time order and start as slots free up; the delay is recorded as drift.
 */
export class Scheduler<J extends Plannable> {
  private readonly heap = new MinHeap<J>();
  /** Jobs with a plan (a plan is the very entry in the heap, one object per plan, compared by identity). */
  private plannedCount = 0;
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
    /** Starts `job`; it calls `done` once when it has ended, either way. */
    private readonly run: (job: J, done: () => void) => void,
    private readonly options: SchedulerOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.plannedCount;
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

  plan(job: J, at: number): void {
    const entry: HeapEntry<J> = { at, seq: ++this.seq, job };
    if (!job.plan) this.plannedCount++;
    job.plan = entry;
    this.heap.push(entry);
    if (this.running) this.pumpSoon();
  }

  cancel(job: J): void {
    if (!job.plan) return;
    job.plan = undefined;
    this.plannedCount--;
  }

  plannedAt(job: J): number | undefined {
    return job.plan?.at;
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
      if (top.job.plan !== top) {
        this.heap.pop(); // superseded or cancelled
        continue;
      }
      if (top.at > now) break;
      this.heap.pop();
      top.job.plan = undefined;
      this.plannedCount--;
      this.drifts[this.driftCount++ % this.drifts.length] = now - top.at;
      this.inFlight++;
      try {
        this.run(top.job, this.done);
      } catch {
        this.done(); // a job that failed to start holds no slot
      }
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
    // Whole milliseconds (libuv's timer resolution anyway): never early, so never a pump that finds
    // nothing due, and one Node timer list per duration rather than one per fractional delay.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, Math.ceil(top.at - this.now())));
  }
}
