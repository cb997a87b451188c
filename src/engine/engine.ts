import type { Target } from '../config/target.js';
import { kindOf, endpointKey, runCheck } from '../checks/registry.js';
import { requestForTarget } from '../probe/request.js';
import type { ProbeFn, ProbeResult } from '../probe/types.js';
import { initialMonitorState, stepMonitor, withCarriedIncident } from './monitor.js';
import { SampleRing } from './sample-ring.js';
import { Scheduler, type Plannable } from './scheduler.js';
import type { Feed, FeedListener } from '../feed/feed.js';
import type { EngineEvent, Incident, MonitorInput, MonitorSettings, State, StateCounts, TargetView } from './types.js';

export interface EngineOptions {
  targets: readonly Target[];
  /** Most handshakes in flight at once (default 256). */
  concurrency?: number;
  /** Runs one check of a target (default: its kind's, from src/checks/registry.ts). */
  check?: (target: Target) => Promise<ProbeResult>;
  /** A TCP probe to use instead, for every target (a seam for tests and benchmarks). */
  probe?: ProbeFn;
  /** Samples kept per target for sparklines and charts. */
  recentSize?: number;
  /** Spread of the first checks after start, ms (default: up to 1 s, never more than the interval). */
  startSpreadMs?: number;
}


interface Entry extends Plannable {
  view: TargetView;
  /** Removed from the engine: a check still in flight has nobody to report to. */
  removed: boolean;
  /** The view's `recent`, written in place by every result (a new endpoint gets a new ring). */
  ring: SampleRing;
  /**
   * Where in its interval this target's checks fall (0..1), drawn at random once: after the first
   * check (soon after start, for a quick first picture) targets settle on their own phases, so 5,000
   * targets on a 10 s interval make a steady 500 checks/s rather than a burst every 10 s.
   */
  phase: number;
  /** Monotonic start of the check in flight (or the last one). */
  startedAt: number;
  recheckRequested: boolean;
  /** The monitor settings of `settingsOf` (a target's object is replaced when it is edited). */
  settings: MonitorSettings | undefined;
  settingsOf: Target | undefined;
}

/**
 * Checks targets on their intervals with bounded concurrency, feeds results through the monitor and
 * publishes results, state changes, incidents and trends to subscribers. Knows nothing of screens or
 * storage: those subscribe.
 */
export class Engine implements Feed {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<FeedListener>();
  private readonly scheduler: Scheduler<Entry>;
  private readonly runTarget: (target: Target) => Promise<ProbeResult>;
  private readonly recentSize: number;
  private readonly startSpreadMs: number;
  /** Monotonic origin of every target's phase. */
  private readonly epoch = performance.now();
  private started = false;
  private inFlightCount = 0;
  private drained: (() => void) | undefined;
  /** Bumped on every change; the UI compares it, when an event wakes it, to know a new snapshot is worth taking. */
  version = 0;
  /** Bumped when a target changes state, comes or goes: the changes the UI shows at once. */
  stateVersion = 0;
  private readonly counts: StateCounts = { UNKNOWN: 0, UP: 0, SLOW: 0, RETRYING: 0, DOWN: 0, PAUSED: 0 };
  lastCheckAt: number | undefined;
  totalChecks = 0;

  constructor(options: EngineOptions) {
    const probe = options.probe;
    this.runTarget = options.check ?? (probe ? (t) => probe(requestForTarget(t)) : runCheck);
    this.recentSize = options.recentSize ?? 120;
    this.startSpreadMs = options.startSpreadMs ?? 1000;
    this.scheduler = new Scheduler<Entry>((e, done) => this.check(e, done), { concurrency: options.concurrency ?? 256 });
    const now = Date.now();
    for (const t of options.targets) this.insert(this.newEntry(t, now));
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const t = performance.now();
    for (const e of this.entries.values()) {
      if (!e.view.target.paused) this.planFirst(e, t);
    }
    this.scheduler.start();
  }

  /** Stops planning new checks and waits for those in flight (each is bounded by its timeout). */
  async stop(): Promise<void> {
    this.started = false;
    this.scheduler.stop();
    if (this.inFlightCount > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
      this.drained = undefined;
    }
  }

  snapshot(): TargetView[] {
    return Array.from(this.entries.values(), (e) => e.view);
  }

  /** Targets per state, kept as states change (no pass over every target). */
  stateCounts(): StateCounts {
    return { ...this.counts };
  }

  get(id: string): TargetView | undefined {
    return this.entries.get(id)?.view;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  schedulerStats(): { active: number; queued: number; drifts: number[] } {
    return { active: this.scheduler.active, queued: this.scheduler.queued, drifts: this.scheduler.recentDrifts() };
  }

  /** Fills a target's recent handshake times from before this run (history), oldest first. */
  seedRecent(id: string, recent: readonly (number | null)[]): void {
    const e = this.entries.get(id);
    if (!e || recent.length === 0) return;
    e.ring.reset([...recent, ...e.ring.slice()]);
    this.version++;
  }

  /**
   * Carries a target's incident left open by an earlier run (from the history) into this one, before
   * start(): the first confirmed state continues it (same id) or closes it at the first good check.
   * Ignored for an unknown target, an incident of another target, or a target that has already
   * confirmed something. Emits nothing: the incident is not new. Returns whether it was taken.
   */
  seedIncident(id: string, incident: Incident): boolean {
    const e = this.entries.get(id);
    if (!e || incident.targetId !== id || incident.ended !== null) return false;
    const monitor = withCarriedIncident(e.view.monitor, incident);
    if (monitor === e.view.monitor) return false;
    e.view = { ...e.view, monitor };
    this.version++;
    return true;
  }

  add(target: Target): void {
    if (this.entries.has(target.id)) throw new Error(`a target with id "${target.id}" already exists`);
    const e = this.newEntry(target, Date.now());
    this.insert(e);
    this.emit({ type: 'targets', at: Date.now() });
    if (this.started && !target.paused) this.plan(e, performance.now());
  }

  remove(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.apply(e, { kind: 'end', reason: 'removed' });
    this.scheduler.cancel(e);
    e.removed = true;
    this.entries.delete(id);
    this.counted(e.view.monitor.state, undefined);
    this.emit({ type: 'targets', at: Date.now() });
    return true;
  }

  /** Replaces a target's settings. A new address or port starts its state afresh. */
  update(target: Target): void {
    const e = this.entries.get(target.id);
    if (!e) throw new Error(`no target with id "${target.id}"`);
    const old = e.view.target;
    const sameEndpoint = endpointKey(old) === endpointKey(target);
    if (!sameEndpoint) {
      this.apply(e, { kind: 'end', reason: 'changed' });
      const fresh = this.newEntry(target, Date.now());
      this.counted(e.view.monitor.state, fresh.view.monitor.state);
      e.view = fresh.view;
      e.ring = fresh.ring;
    } else {
      e.view = { ...e.view, target };
    }
    if (target.paused !== old.paused) {
      if (target.paused) this.pause(target.id);
      else this.resume(target.id);
    } else if (!target.paused && this.started) {
      this.recheck(target.id);
    }
    this.emit({ type: 'targets', at: Date.now() });
  }

  pause(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.scheduler.cancel(e);
    e.view = { ...e.view, target: { ...e.view.target, paused: true } };
    this.apply(e, { kind: 'pause' });
  }

  resume(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.view = { ...e.view, target: { ...e.view.target, paused: false } };
    this.apply(e, { kind: 'resume' });
    if (this.started) this.plan(e, performance.now());
  }

  /** Checks now, out of turn. A check already in flight is followed by another at once. */
  recheck(id: string): void {
    const e = this.entries.get(id);
    if (!e || e.view.target.paused || !this.started) return;
    if (e.view.inFlight) e.recheckRequested = true;
    else this.plan(e, performance.now());
  }

  private insert(e: Entry): void {
    this.entries.set(e.view.target.id, e);
    this.counted(undefined, e.view.monitor.state);
  }

  /** Keeps the per-state counts and stateVersion: a target moved from one state to another (or came or went). */
  private counted(from: State | undefined, to: State | undefined): void {
    if (from === to) return;
    if (from) this.counts[from]--;
    if (to) this.counts[to]++;
    this.stateVersion++;
  }

  private newEntry(target: Target, now: number): Entry {
    const ring = new SampleRing(this.recentSize);
    return {
      view: { target, monitor: initialMonitorState(now, target.paused), recent: ring, checks: 0, failures: 0, inFlight: false },
      ring,
      phase: Math.random(),
      startedAt: 0,
      recheckRequested: false,
      settings: undefined,
      settingsOf: undefined,
      plan: undefined,
      removed: false,
    };
  }

  private planFirst(e: Entry, now: number): void {
    const spread = Math.min(this.startSpreadMs, e.view.target.intervalMs);
    this.plan(e, now + Math.random() * spread);
  }

  private plan(e: Entry, at: number): void {
    this.scheduler.plan(e, at);
  }

  /**
   * The next check: at once after a recheck request, after the retry delay while a change is being
   * confirmed, else at the target's next phase point that is at least half an interval after the
   * start of the check that just ended.
   */
  private planNext(e: Entry): void {
    const t = e.view.target;
    const now = performance.now();
    if (e.recheckRequested) {
      e.recheckRequested = false;
      this.plan(e, now);
      return;
    }
    if (e.view.monitor.pending) {
      this.plan(e, now + t.retryDelayMs);
      return;
    }
    const interval = Math.max(1, t.intervalMs);
    const offset = this.epoch + e.phase * interval;
    const earliest = Math.max(now, e.startedAt + interval / 2);
    const k = Math.ceil((earliest - offset) / interval);
    this.plan(e, t.intervalMs <= 0 ? now : offset + k * interval);
  }

  /** Starts one check of a target; `done` frees its scheduler slot once it has ended, either way. */
  private check(e: Entry, done: () => void): void {
    if (e.removed || e.view.target.paused) return done();
    const target = e.view.target;
    e.startedAt = performance.now();
    e.view = { ...e.view, inFlight: true };
    this.inFlightCount++;
    let running: Promise<ProbeResult>;
    try {
      running = this.runTarget(target);
    } catch (err) {
      running = Promise.reject(err);
    }
    // One closure per check (it must know which target object the check ran for), no async wrapper.
    running.then(
      (result) => {
        this.checkEnded();
        this.completed(e, target, result);
        done();
      },
      () => {
        this.checkEnded();
        done();
      },
    );
  }

  private checkEnded(): void {
    if (--this.inFlightCount === 0) this.drained?.();
  }

  private completed(e: Entry, target: Target, result: ProbeResult): void {
    // Removed, or its endpoint replaced, while the check was in flight: the result is stale.
    if (e.removed || (e.view.target !== target && endpointKey(e.view.target) !== endpointKey(target))) return;
    this.record(e, result);
    if (this.started && !e.view.target.paused) this.planNext(e);
  }

  private record(e: Entry, result: ProbeResult): void {
    const now = Date.now();
    const failed = result.outcome !== 'open';
    const prev = e.view;
    e.ring.push(failed ? null : result.connectMs);
    const t = prev.target;
    const step = stepMonitor(t.id, prev.monitor, { kind: 'result', result }, now, this.settingsFor(e, t));
    this.counted(prev.monitor.state, step.state.state);
    // One new view per result (the UI compares views by identity to know what changed); the ring stays.
    // Every key written out rather than spread: one literal of one shape for every result.
    e.view = {
      target: prev.target,
      monitor: step.state,
      recent: prev.recent,
      checks: prev.checks + 1,
      failures: prev.failures + (failed ? 1 : 0),
      inFlight: false,
      lastResult: result,
      lastCheckAt: now,
    } satisfies Required<TargetView>;
    this.lastCheckAt = now;
    this.totalChecks++;
    // With no subscriber (a one-shot check, a bench) the event is not even built.
    if (this.listeners.size > 0) this.emit({ type: 'result', targetId: t.id, result, state: step.state.state, at: now });
    else this.version++;
    for (const ev of step.events) this.emit(ev);
  }

  /** Runs the monitor for a pause, resume or end, and emits what it says. */
  private apply(e: Entry, input: Exclude<MonitorInput, { kind: 'result' }>): void {
    const t = e.view.target;
    const step = stepMonitor(t.id, e.view.monitor, input, Date.now(), this.settings(t));
    this.counted(e.view.monitor.state, step.state.state);
    e.view = { ...e.view, monitor: step.state, inFlight: false };
    this.version++;
    for (const ev of step.events) this.emit(ev);
  }

  /** The settings of the entry's target, worked out once per target object. */
  private settingsFor(e: Entry, t: Target): MonitorSettings {
    if (e.settingsOf !== t || !e.settings) {
      e.settings = this.settings(t);
      e.settingsOf = t;
    }
    return e.settings;
  }

  private settings(t: Target): MonitorSettings {
    return { retries: t.retries, slowAfterMs: t.slowAfterMs, figure: kindOf(t).figure, ...(t.expectState === 'closed' ? { expectClosed: true } : {}) };
  }

  private emit(event: EngineEvent): void {
    this.version++;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A failing subscriber must not stop checking or starve the others.
      }
    }
  }
}
