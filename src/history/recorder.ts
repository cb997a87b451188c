import type { Target } from '../config/target.js';
import { kindOf } from '../checks/registry.js';
import type { ProbeResult } from '../probe/types.js';
import type { EngineEvent, Incident, TargetView } from '../engine/types.js';
import type { Feed } from '../feed/feed.js';
import type { StoreDb } from '../store/open.js';
import { describeFailure, type StoreProblem } from '../store/store-problem.js';
import { DEFAULT_RETENTION, prune, pruneInSlices, type PruneReport, type Retention } from './retention.js';
import { rollup, rollupInSlices } from './rollup.js';
import { gapLimitMs } from './timeline.js';
import { HistoryWriter, type Committed, type SampleRecord, type TargetInfo, type WriteOp } from './writer.js';


export interface RecorderOptions {
  /** How often queued writes are committed (default 1 s). */
  flushIntervalMs?: number;
  /** A queue this long is committed at once rather than at the next tick (default 2,000). */
  batchSize?: number;
  /** Most writes held while the disk is slow or failing; beyond it samples are dropped and counted (default 50,000). */
  maxQueue?: number;
  /** How often aggregates are brought up to date (default 60 s). */
  rollupIntervalMs?: number;
  /** How often retention is applied (default 1 h). */
  pruneIntervalMs?: number;
  retention?: Retention;
  location?: string;
  now?: () => number;
  /** Called after each commit (with what it made durable). */
  onCommit?: (committed: Committed) => void;
  /** Called when writing starts failing (with the problem) and when it works again (undefined). */
  onProblem?: (problem: StoreProblem | undefined) => void;
}

export interface RecorderStats {
  queued: number;
  written: number;
  /** Samples lost because the queue was full (the disk too slow or failing). Never silent: shown here. */
  droppedSamples: number;
  /** Incident writes lost the same way (only after a much longer failure; they get extra room). */
  droppedIncidents: number;
  flushes: number;
  failedFlushes: number;
  lastFlushMs: number;
  maxFlushMs: number;
  /** Set while writes fail; the console shows it in the header. */
  problem?: StoreProblem;
}

const INCIDENT_HEADROOM = 10_000;
const MAX_PER_TRANSACTION = 10_000;

function targetInfo(v: TargetView, known?: Map<string, Target>): TargetInfo {
  const t = v.target;
  known?.set(t.id, t);
  return { key: t.id, name: t.name, host: t.host, port: t.port, kind: t.kind, intervalMs: t.intervalMs, gapLimitMs: gapLimitMs(t) };
}

/**
 * Subscribes to an engine and writes what it reports. The listener only queues: commits happen on a
 * timer, many rows per transaction, so a check never waits for the disk.
 */
export class HistoryRecorder {
  private queue: WriteOp[] = [];
  private readonly writer: HistoryWriter;
  private readonly opts: Required<Omit<RecorderOptions, 'onCommit' | 'onProblem'>> & Pick<RecorderOptions, 'onCommit' | 'onProblem'>;
  private readonly counters = { written: 0, droppedSamples: 0, droppedIncidents: 0, flushes: 0, failedFlushes: 0, lastFlushMs: 0, maxFlushMs: 0 };
  private problem: StoreProblem | undefined;
  private source: Feed | undefined;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private flushSoon = false;
  private closed = false;
  private jobRunning = false;
  private carried = new Map<string, Incident>();
  /** Time of each target's newest sample, so the stop mark never lands before it. */
  private readonly lastAt = new Map<string, number>();

  constructor(private readonly history: StoreDb, options: RecorderOptions = {}) {
    this.writer = new HistoryWriter(history.db);
    this.opts = {
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      batchSize: options.batchSize ?? 2000,
      maxQueue: options.maxQueue ?? 50_000,
      rollupIntervalMs: options.rollupIntervalMs ?? 60_000,
      pruneIntervalMs: options.pruneIntervalMs ?? 3_600_000,
      retention: options.retention ?? DEFAULT_RETENTION,
      location: options.location ?? 'local',
      now: options.now ?? Date.now,
      onCommit: options.onCommit,
      onProblem: options.onProblem,
    };
  }

  /** Starts recording an engine: its targets now, then every event. Call before engine.start(). */
  attach(source: Feed): void {
    if (this.source) throw new Error('the recorder is already attached');
    this.source = source;
    const now = this.opts.now();
    const views = source.snapshot();
    // Before the targets' rows are updated: they still say where each target was when its incident opened.
    this.guard(() => {
      this.carried = this.writer.settleOpenIncidents(new Map(views.map((v) => [v.target.id, { host: v.target.host, port: v.target.port }])));
    });
    for (const v of views) this.enqueue({ kind: 'target', target: targetInfo(v, this.targets), at: now });
    for (const v of views) if (v.monitor.state === 'PAUSED') this.enqueue(this.mark(v.target.id, 'PAUSED', now));
    this.flush();
    this.guard(() => rollup(this.history.db, now));
    this.unsubscribe = source.subscribe((e) => this.record(e));
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.flushIntervalMs, () => this.flush());
    every(this.opts.rollupIntervalMs, () => this.background(() => rollupInSlices(this.history.db, this.opts.now(), {}, 50, () => this.closed)));
    every(this.opts.pruneIntervalMs, () => this.background(() => pruneInSlices(this.history.db, this.opts.now(), this.opts.retention, 20, () => this.closed)));
  }

  /**
   * The incident each target had open when porthole last stopped (or crashed), still open, per target
   * key — for Engine.seedIncident before engine.start(). Those of removed or moved targets were closed
   * by attach() and are not here.
   */
  openIncidents(): ReadonlyMap<string, Incident> {
    return this.carried;
  }

  /** The engine listener: turns an event into queued writes, nothing more. */
  /** What the target's kind keeps beside the main time (a ping round's spread and loss). */
  private kindSample(targetId: string, r: ProbeResult): Partial<SampleRecord> {
    const t = this.targets.get(targetId);
    return (t && kindOf(t).sample?.(r)) ?? {};
  }

  /** The targets as last announced (their kinds say what a sample keeps beside the main time). */
  private readonly targets = new Map<string, Target>();

  record(event: EngineEvent): void {
    if (this.closed) return;
    switch (event.type) {
      case 'result': {
        const r = event.result;
        this.lastAt.set(event.targetId, Math.max(event.at, this.lastAt.get(event.targetId) ?? -Infinity));
        this.enqueue({
          kind: 'sample',
          sample: {
            targetKey: event.targetId,
            at: event.at,
            outcome: r.outcome,
            state: event.state,
            dnsMs: r.dnsMs,
            connectMs: r.outcome === 'open' ? r.connectMs : null,
            cause: r.outcome === 'open' ? null : (r.errno ?? r.outcome),
            location: this.opts.location,
            ...this.kindSample(event.targetId, r),
          },
        });
        break;
      }
      case 'state':
        // Checks carry every other state; pausing and resuming happen between checks.
        if (event.to === 'PAUSED' || event.from === 'PAUSED') this.enqueue(this.mark(event.targetId, event.to, event.at));
        break;
      case 'incident':
        this.enqueue({ kind: 'incident', incident: event.incident, location: this.opts.location });
        break;
      case 'targets': {
        for (const v of this.source?.snapshot() ?? []) this.enqueue({ kind: 'target', target: targetInfo(v, this.targets), at: event.at });
        break;
      }
      case 'trend':
        break;
    }
  }

  /** Commits everything queued in one transaction. On failure the writes stay queued (bounded) for the next try. */
  flush(): Committed {
    this.flushSoon = false;
    if (this.queue.length === 0) return { samples: 0, incidents: [] };
    // A long queue (after the disk came back) is written in slices, so no single transaction holds up checks.
    const ops = this.queue.length > MAX_PER_TRANSACTION ? this.queue.slice(0, MAX_PER_TRANSACTION) : this.queue;
    this.queue = this.queue.length > MAX_PER_TRANSACTION ? this.queue.slice(MAX_PER_TRANSACTION) : [];
    const t0 = performance.now();
    try {
      const committed = this.writer.write(ops);
      const took = performance.now() - t0;
      this.counters.flushes++;
      this.counters.written += ops.length;
      this.counters.lastFlushMs = took;
      this.counters.maxFlushMs = Math.max(this.counters.maxFlushMs, took);
      this.setProblem(undefined);
      this.opts.onCommit?.(committed);
      if (this.queue.length > 0 && !this.flushSoon && !this.closed) {
        this.flushSoon = true;
        setImmediate(() => this.flush());
      }
      return committed;
    } catch (err) {
      this.counters.failedFlushes++;
      this.writer.forget();
      this.queue = ops.concat(this.queue);
      this.trim();
      this.setProblem(describeFailure(err, this.history.file));
      return { samples: 0, incidents: [] };
    }
  }

  /** Applies retention now (also runs on a timer). */
  prune(): PruneReport {
    this.flush();
    return prune(this.history.db, this.opts.now(), this.opts.retention);
  }

  stats(): RecorderStats {
    return { queued: this.queue.length, ...this.counters, ...(this.problem ? { problem: this.problem } : {}) };
  }

  /**
   * Stops recording: marks each target STOPPED (unknown time from now: porthole is not watching), commits
   * what is queued, rolls up. Open incidents stay open: the next run carries them on.
   */
  close(): RecorderStats {
    if (this.closed) return this.stats();
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    const now = this.opts.now();
    for (const v of this.source?.snapshot() ?? []) {
      if (now > (this.lastAt.get(v.target.id) ?? -Infinity)) this.enqueue(this.mark(v.target.id, 'STOPPED', now));
    }
    this.closed = true;
    // Everything queued, slice by slice, until a slice fails; what is left then is counted as lost.
    let before = -1;
    while (this.queue.length > 0 && this.queue.length !== before) {
      before = this.queue.length;
      this.flush();
    }
    for (const op of this.queue) {
      if (op.kind === 'sample') this.counters.droppedSamples++;
      else if (op.kind === 'incident') this.counters.droppedIncidents++;
    }
    this.queue = [];
    this.guard(() => rollup(this.history.db, this.opts.now()));
    return this.stats();
  }

  private mark(targetKey: string, state: string, at: number): WriteOp {
    return { kind: 'sample', sample: { targetKey, at, outcome: null, state, dnsMs: null, connectMs: null, cause: null, location: this.opts.location } };
  }

  private enqueue(op: WriteOp): void {
    const limit = op.kind === 'sample' ? this.opts.maxQueue : this.opts.maxQueue + INCIDENT_HEADROOM;
    if (this.queue.length >= limit) {
      if (op.kind === 'sample') this.counters.droppedSamples++;
      else if (op.kind === 'incident') this.counters.droppedIncidents++;
      return;
    }
    this.queue.push(op);
    if (this.queue.length >= this.opts.batchSize && !this.flushSoon && this.source) {
      this.flushSoon = true;
      setImmediate(() => this.flush());
    }
  }

  /** After a failed flush the retried writes come first; what no longer fits is dropped, counted. */
  private trim(): void {
    const hardLimit = this.opts.maxQueue + INCIDENT_HEADROOM;
    if (this.queue.length <= this.opts.maxQueue) return;
    const kept: WriteOp[] = [];
    for (const op of this.queue) {
      if (op.kind === 'sample' && kept.length >= this.opts.maxQueue) this.counters.droppedSamples++;
      else if (kept.length >= hardLimit) {
        if (op.kind === 'incident') this.counters.droppedIncidents++;
      } else kept.push(op);
    }
    this.queue = kept;
  }

  /** One periodic job at a time, in slices; a failure becomes the visible problem, never an exception. */
  private background(job: () => Promise<unknown>): void {
    if (this.jobRunning || this.closed) return;
    this.jobRunning = true;
    job()
      .catch((err: unknown) => {
        if (!this.closed) this.setProblem(describeFailure(err, this.history.file));
      })
      .finally(() => {
        this.jobRunning = false;
      });
  }

  private guard(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      this.setProblem(describeFailure(err, this.history.file));
    }
  }

  private setProblem(problem: StoreProblem | undefined): void {
    const changed = (problem?.message ?? '') !== (this.problem?.message ?? '');
    this.problem = problem;
    if (changed) this.opts.onProblem?.(problem);
  }
}
