import type { TrendState } from './types.js';

/** How many of the newest handshakes make "recent" (their median is compared). */
export const TREND_RECENT = 5;
/** Samples per block of the long-run record; each block is kept as its median. */
export const TREND_BLOCK = 10;
/** Blocks kept: 60 × 10 samples, at a 10 s interval 100 minutes of history. */
export const TREND_BLOCKS = 60;
/** Below this many blocks there is no baseline yet. */
export const TREND_MIN_BLOCKS = 3;
export const TREND_FACTOR = 3;
/** A rise must also be at least this many ms, so sub-millisecond loopback noise is not a trend. */
export const TREND_FLOOR_MS = 5;
/** Hysteresis: the flag clears once recent falls under this multiple of the baseline. */
export const TREND_CLEAR_FACTOR = 1.5;

export function median(values: readonly number[]): number {
  return medianOfLast(values, values.length);
}

/** The median of the last `n` values: one copy, sorted in place (this runs for every open check). */
function medianOfLast(values: readonly number[], n: number): number {
  const s = values.slice(Math.max(0, values.length - n)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function initialTrend(): TrendState {
  return { recent: [], blocks: [], inBlock: 0, rising: false };
}

export interface TrendStep {
  trend: TrendState;
  change?: { phase: 'rising' | 'cleared'; recentMs: number; baselineMs: number };
}

/**
 * Adds one open handshake time. The baseline is the median of block medians (cheap to keep for
 * thousands of targets, robust to outliers); "recent" is the median of the last few handshakes.
 * Reports when recent rises well above the target's own baseline, and when it comes back.
 */
export function updateTrend(prev: TrendState, connectMs: number): TrendStep {
  const recent = prev.recent.slice(prev.recent.length >= TREND_BLOCK ? 1 : 0);
  recent.push(connectMs);
  let { blocks, baselineMs } = prev;
  let inBlock = prev.inBlock + 1;
  if (inBlock >= TREND_BLOCK) {
    // Close a block only from samples that were compared against the old baseline, so a sudden
    // rise is seen before it is folded into the baseline.
    blocks = blocks.length >= TREND_BLOCKS ? [...blocks.slice(1), median(recent)] : [...blocks, median(recent)];
    inBlock = 0;
    baselineMs = blocks.length >= TREND_MIN_BLOCKS ? median(blocks) : undefined;
  }
  const base: TrendState = { recent, blocks, inBlock, rising: prev.rising, ...(baselineMs !== undefined ? { baselineMs } : {}) };
  if (prev.baselineMs === undefined) return { trend: base };
  const ref = prev.baselineMs;
  const recentMs = medianOfLast(recent, TREND_RECENT);
  if (!prev.rising && recentMs > ref * TREND_FACTOR && recentMs - ref >= TREND_FLOOR_MS) {
    return { trend: { ...base, rising: true }, change: { phase: 'rising', recentMs, baselineMs: ref } };
  }
  if (prev.rising && recentMs < ref * TREND_CLEAR_FACTOR) {
    return { trend: { ...base, rising: false }, change: { phase: 'cleared', recentMs, baselineMs: ref } };
  }
  return { trend: base };
}
