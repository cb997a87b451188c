import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { MetricsOptions } from './source.js';

function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

/**
 * Whether the agent itself keeps up: checks in flight, and how late recent checks started against
 * their plan (the sign of too many targets for the concurrency or the CPU); optionally prom-client's
 * process and Node.js metrics.
 */
export function registerAgent(registry: Registry, options: MetricsOptions, location: string): void {
  const registers = [registry];
  const stats = options.source.schedulerStats?.bind(options.source);
  if (stats) {
    new Gauge({
      name: 'porthole_checks_in_flight',
      help: 'Checks running now (bounded by the concurrency setting)',
      labelNames: ['location'],
      registers,
      collect() {
        this.set({ location }, stats().active);
      },
    });
    new Gauge({
      name: 'porthole_check_delay_p99_seconds',
      help: 'How late recent checks started against their plan, 99th percentile (absent before any check)',
      labelNames: ['location'],
      registers,
      collect() {
        this.reset();
        const d = stats().drifts;
        if (d.length > 0) this.set({ location }, Math.max(0, percentile(d, 0.99)) / 1000);
      },
    });
  }
  if (options.processMetrics) collectDefaultMetrics({ register: registry, labels: { location } });
}
