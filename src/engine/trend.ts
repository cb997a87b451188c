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

/** The median of the values: one sorted copy, a typed array's native numeric sort (no comparator calls). */
export function median(values: readonly number[]): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Scratch for recentMedian: the function stays pure (nothing of it outlives a call). */
const scratch = new Float64Array(TREND_RECENT);

/**
 * The median of the last TREND_RECENT values (fewer if there are not that many), with no allocation:
 * an insertion sort of at most five numbers. This runs for every open check.
 */
function recentMedian(values: readonly number[]): number {
  const from = Math.max(0, values.length - TREND_RECENT);
  const n = values.length - from;
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) {
    const v = values[from + i]!;
    let j = i;
    while (j > 0 && scratch[j - 1]! > v) {
      scratch[j] = scratch[j - 1]!;
      j--;
    }
    scratch[j] = v;
  }
  const mid = n >> 1;
  return n % 2 ? scratch[mid]! : (scratch[mid - 1]! + scratch[mid]!) / 2;
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
  // The newest TREND_BLOCK samples, copied once at their final length (slice + push would copy twice).
  const from = prev.recent.length >= TREND_BLOCK ? 1 : 0;
  const kept = prev.recent.length - from;
  const recent = new Array<number>(kept + 1);
  for (let i = 0; i < kept; i++) recent[i] = prev.recent[from + i]!;
  recent[kept] = connectMs;
  let { blocks, baselineMs } = prev;
  let inBlock = prev.inBlock + 1;
  if (inBlock >= TREND_BLOCK) {
    // Close a block only from samples that were compared against the old baseline, so a sudden
    // rise is seen before it is folded into the baseline.
    blocks = blocks.length >= TREND_BLOCKS ? [...blocks.slice(1), median(recent)] : [...blocks, median(recent)];
    inBlock = 0;
    baselineMs = blocks.length >= TREND_MIN_BLOCKS ? median(blocks) : undefined;
  }
  if (prev.baselineMs === undefined) return { trend: trendState(recent, blocks, inBlock, prev.rising, baselineMs) };
  const ref = prev.baselineMs;
  const recentMs = recentMedian(recent);
  if (!prev.rising && recentMs > ref * TREND_FACTOR && recentMs - ref >= TREND_FLOOR_MS) {
    return { trend: trendState(recent, blocks, inBlock, true, baselineMs), change: { phase: 'rising', recentMs, baselineMs: ref } };
  }
  if (prev.rising && recentMs < ref * TREND_CLEAR_FACTOR) {
    return { trend: trendState(recent, blocks, inBlock, false, baselineMs), change: { phase: 'cleared', recentMs, baselineMs: ref } };
  }
  return { trend: trendState(recent, blocks, inBlock, prev.rising, baselineMs) };
}

/** One object, no spreads (this runs for every open check); no baselineMs key until there is one. */
function trendState(recent: readonly number[], blocks: readonly number[], inBlock: number, rising: boolean, baselineMs: number | undefined): TrendState {
  if (baselineMs === undefined) return { recent, blocks, inBlock, rising };
  return { recent, blocks, inBlock, rising, baselineMs };
}
