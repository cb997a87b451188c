import type { RecentSamples } from '../../engine/sample-ring.js';

export interface LatencyStats {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export function latencyStats(samples: RecentSamples): LatencyStats | undefined {
  const sorted = samples.slice().filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return { count: sorted.length, min: sorted[0] ?? 0, median: rank(sorted, 50), p95: rank(sorted, 95), max: sorted[sorted.length - 1] ?? 0 };
}

