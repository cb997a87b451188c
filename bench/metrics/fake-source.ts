import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import type { EngineEvent, State, TargetView } from '../../src/engine/types.js';
import { initialMonitorState } from '../../src/engine/monitor.js';
import type { ProbeResult } from '../../src/probe/types.js';
import type { MetricsSource } from '../../src/metrics/index.js';

const SERVICES = ['postgres', 'redis', 'https', 'ssh', 'mysql', 'smtp'] as const;

/** Deterministic pseudo-random numbers, so every run measures the same fleet. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A fleet of `n` realistic targets without a network: a third IP addresses with short names
 * ("redis-17"), a third host names in an internal domain named by the default "service@host"
 * ("postgres@pg-0042.dc1.example.com"), a third host names with short names; about 10% TLS; most
 * UP, some SLOW, DOWN, RETRYING, PAUSED or not yet checked. `feed()` plays checks and incidents
 * through the listeners as the engine would, so the counters and the histogram have series.
 */
export class FakeSource implements MetricsSource {
  private views: TargetView[];
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly random = rng(42);

  constructor(n: number) {
    const now = Date.now();
    this.views = Array.from({ length: n }, (_, i) => {
      const service = SERVICES[i % SERVICES.length]!;
      const kind = i % 3;
      const named = kind !== 0;
      const host = named ? `${service.slice(0, 3)}-${String(i).padStart(4, '0')}.dc${1 + (i % 3)}.example.com` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const target = resolveTarget(kind === 1 ? { host, service } : { name: `${service}-${i}`, host, service }, BUILTIN_DEFAULTS);
      const r = this.random();
      const state: State = r < 0.9 ? 'UP' : r < 0.94 ? 'SLOW' : r < 0.97 ? 'DOWN' : r < 0.98 ? 'RETRYING' : r < 0.99 ? 'PAUSED' : 'UNKNOWN';
      const monitor = { ...initialMonitorState(now - 3_600_000), state };
      const view: TargetView = { target, monitor, recent: [], checks: 0, failures: 0, inFlight: false };
      return state === 'UNKNOWN' ? view : { ...view, lastResult: this.result(i, state, named), lastCheckAt: now - Math.floor(this.random() * 10_000), checks: 360 };
    });
  }

  private result(i: number, state: State, named: boolean): ProbeResult {
    const failed = state === 'DOWN' || state === 'RETRYING';
    const connectMs = 0.2 + this.random() * (state === 'SLOW' ? 1500 : 40);
    const tls = i % 10 === 2;
    return {
      outcome: failed ? (i % 2 ? 'refused' : 'timeout') : 'open',
      startedAt: Date.now(),
      address: `10.0.${(i >> 8) & 255}.${i & 255}`,
      family: 4,
      dnsMs: named ? 0.5 + this.random() * 3 : null,
      connectMs: failed ? null : connectMs,
      totalMs: failed ? 5000 : connectMs + (tls ? 12 : 0) + 1,
      ...(tls && !failed
        ? { tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', subject: 'CN=x', issuer: 'CN=ca', validFrom: 'Jan  1 00:00:00 2026 GMT', validTo: 'Mar  1 00:00:00 2027 GMT', daysToExpiry: 90, authorized: true } }
        : {}),
    };
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): readonly TargetView[] {
    return this.views;
  }

  /** Plays `rounds` checks of every target through the listeners (and an incident for each one not UP). */
  feed(rounds: number): void {
    const at = Date.now();
    for (let k = 0; k < rounds; k++) {
      for (const v of this.views) {
        if (!v.lastResult) continue;
        const result = k % 7 === 6 ? { ...v.lastResult, outcome: 'timeout' as const, connectMs: null } : v.lastResult;
        this.emit({ type: 'result', targetId: v.target.id, result, state: v.monitor.state, at });
      }
    }
    for (const v of this.views) {
      if (v.monitor.state === 'DOWN' || v.monitor.state === 'SLOW') {
        const cause = v.monitor.state === 'SLOW' ? 'slow' : 'refused';
        this.emit({ type: 'incident', phase: 'opened', incident: { id: `${v.target.id}#${at}`, targetId: v.target.id, from: 'UP', to: v.monitor.state, cause, evidence: '', started: at, ended: null, durationMs: null } });
      }
    }
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}
