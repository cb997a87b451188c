import { quantileSorted, weightedQuantile } from './quantile.js';
import type { Tally } from './timeline.js';

/** One aggregate row, as stored in agg_minute and agg_hour. */
export interface BucketRow {
  target: number;
  location: string;
  bucket: number;
  count: number;
  failures: number;
  minUs: number | null;
  medianUs: number | null;
  p95Us: number | null;
  maxUs: number | null;
  upMs: number;
  downMs: number;
  pausedMs: number;
}

/** A bucket computed from raw samples: exact figures. */
export function bucketFromSamples(key: { target: number; location: string; bucket: number }, checks: { failed: boolean; connectUs: number | null }[], time: Tally | undefined): BucketRow {
  const latencies = checks.filter((c) => !c.failed && c.connectUs !== null).map((c) => c.connectUs!).sort((a, b) => a - b);
  return {
    ...key,
    count: checks.length,
    failures: checks.filter((c) => c.failed).length,
    minUs: latencies[0] ?? null,
    medianUs: quantileSorted(latencies, 0.5) ?? null,
    p95Us: quantileSorted(latencies, 0.95) ?? null,
    maxUs: latencies[latencies.length - 1] ?? null,
    upMs: Math.round(time?.upMs ?? 0),
    downMs: Math.round(time?.downMs ?? 0),
    pausedMs: Math.round(time?.pausedMs ?? 0),
  };
}

/** A bucket merged from finer buckets: sums and extremes are exact, median and p95 are estimates. */
export function mergeBuckets(key: { target: number; location: string; bucket: number }, parts: readonly BucketRow[]): BucketRow {
  const mins = parts.map((p) => p.minUs).filter((v): v is number => v !== null);
  const maxs = parts.map((p) => p.maxUs).filter((v): v is number => v !== null);
  const weight = (p: BucketRow) => p.count - p.failures;
  const median = weightedQuantile(parts.flatMap((p) => (p.medianUs === null ? [] : [{ value: p.medianUs, weight: weight(p) }])), 0.5);
  const p95 = weightedQuantile(parts.flatMap((p) => (p.p95Us === null ? [] : [{ value: p.p95Us, weight: weight(p) }])), 0.95);
  return {
    ...key,
    count: parts.reduce((s, p) => s + p.count, 0),
    failures: parts.reduce((s, p) => s + p.failures, 0),
    minUs: mins.length ? Math.min(...mins) : null,
    medianUs: median ?? null,
    p95Us: p95 ?? null,
    maxUs: maxs.length ? Math.max(...maxs) : null,
    upMs: parts.reduce((s, p) => s + p.upMs, 0),
    downMs: parts.reduce((s, p) => s + p.downMs, 0),
    pausedMs: parts.reduce((s, p) => s + p.pausedMs, 0),
  };
}
