/** Nearest-rank quantile of values sorted ascending; undefined when there are none. */
export function quantileSorted(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Weighted {
  value: number;
  weight: number;
}

/**
 * Quantile of values each standing for `weight` samples. Used to merge per-bucket medians and p95s
 * into a longer period's figure: an estimate, since the raw samples behind them are gone.
 */
export function weightedQuantile(items: readonly Weighted[], q: number): number | undefined {
  const live = items.filter((i) => i.weight > 0).sort((a, b) => a.value - b.value);
  const total = live.reduce((s, i) => s + i.weight, 0);
  if (total === 0) return undefined;
  const target = q * total;
  let acc = 0;
  for (const i of live) {
    acc += i.weight;
    if (acc >= target) return i.value;
  }
  return live[live.length - 1]?.value;
}
