import type { Target } from '../../src/config/target.js';
import type { EngineEvent, Incident, MonitorState, State, StateCounts, TargetView } from '../../src/engine/types.js';
import type { Feed, FeedListener } from '../../src/feed/feed.js';
import { countStates } from '../../src/ui/model/summary.js';
import type { ProbeResult } from '../../src/probe/types.js';
import type { ConsoleCommands } from '../../src/ui/commands.js';
import type { FormValues } from '../../src/ui/model/form.js';
import { checkForm } from '../../src/ui/model/form.js';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

export function target(name: string, over: Partial<Target> = {}): Target {
  return {
    id: name,
    name,
    host: '127.0.0.1',
    port: 5432,
    service: 'postgres',
    intervalMs: 10_000,
    timeoutMs: 5_000,
    retries: 2,
    retryDelayMs: 2_000,
    slowAfterMs: 1_000,
    tags: [],
    internal: false,
    paused: false,
    family: 0,
    ...over,
  };
}

export function view(name: string, state: State, over: { target?: Partial<Target>; monitor?: Partial<MonitorState>; recent?: (number | null)[]; lastResult?: Partial<ProbeResult> } = {}): TargetView {
  const t = target(name, over.target ?? {});
  const failed = state === 'DOWN' || state === 'RETRYING';
  const lastResult: ProbeResult = {
    outcome: failed ? 'refused' : 'open',
    startedAt: NOW - 1000,
    dnsMs: null,
    connectMs: failed ? null : 1.5,
    totalMs: 2,
    ...(failed ? { errno: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1:5432' } : {}),
    ...over.lastResult,
  };
  return {
    target: t,
    monitor: { state, since: NOW - 65_000, confirmed: 'UP', trend: { samples: [], rising: false }, ...over.monitor },
    lastResult,
    recent: over.recent ?? [1, 2, 3, 2, 1],
    checks: 5,
    failures: failed ? 1 : 0,
    inFlight: false,
  };
}

/** A Feed whose views the test sets; stateVersion moves when some state does, as the engine's. */
export class FakeSource implements Feed {
  version = 1;
  stateVersion = 1;
  lastCheckAt: number | undefined = NOW;
  constructor(public views: TargetView[]) {}
  snapshot(): readonly TargetView[] {
    return this.views;
  }
  get(id: string): TargetView | undefined {
    return this.views.find((v) => v.target.id === id);
  }
  stateCounts(): StateCounts {
    return countStates(this.views);
  }
  private readonly listeners = new Set<FeedListener>();
  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Tells subscribers, as the engine does (the console wakes on events). */
  emit(event: EngineEvent): void {
    this.version++;
    for (const l of this.listeners) l(event);
  }
  /** New views, announced as a state change when a state differs, else as a result. */
  set(views: TargetView[]): void {
    const states = (vs: readonly TargetView[]) => vs.map((v) => `${v.target.id}=${v.monitor.state}`).join();
    const stateChanged = states(views) !== states(this.views);
    if (stateChanged) this.stateVersion++;
    this.views = views;
    const first = views[0];
    if (!first) this.emit({ type: 'targets', at: NOW });
    else if (stateChanged) this.emit({ type: 'state', targetId: first.target.id, from: 'UP', to: first.monitor.state, at: NOW });
    else {
      const result: ProbeResult = first.lastResult ?? { outcome: 'open', startedAt: NOW, dnsMs: 0, connectMs: 1, totalMs: 1 };
      this.emit({ type: 'result', targetId: first.target.id, result, state: first.monitor.state, at: NOW });
    }
  }
}

export class FakeFeed {
  version = 1;
  constructor(public items: Incident[] = []) {}
  list(): readonly Incident[] {
    return this.items;
  }
}

export interface Recorded extends ConsoleCommands {
  calls: string[];
}

/** Commands that record what they were asked to do; submit validates with the real schema. */
export function fakeCommands(source: FakeSource): Recorded {
  const calls: string[] = [];
  return {
    calls,
    submit(values: FormValues, editingId?: string) {
      const r = checkForm(values, BUILTIN_DEFAULTS, source.views.map((v) => v.target), editingId ? source.views.find((v) => v.target.id === editingId)?.target : undefined);
      if (!r.target) return { ok: false, problems: r.problems };
      calls.push(`submit:${r.target.id}`);
      return { ok: true, id: r.target.id };
    },
    remove: (id) => void calls.push(`remove:${id}`),
    togglePause: (id) => void calls.push(`pause:${id}`),
    toggleAll: () => {
      calls.push('all');
      return 'paused';
    },
    recheck: (id) => void calls.push(`recheck:${id}`),
    quit: () => void calls.push('quit'),
  };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
