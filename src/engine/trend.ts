import type { TrendState } from './types.js';

/** How many of the newest samples make "recent". */
export const TREND_RECENT = 5;
/** Long-run window (at a 10 s interval, an hour). */
export const TREND_WINDOW = 360;
/** Below this many older samples there is no baseline yet. */
export const TREND_MIN_BASELINE = 30;
export const TREND_FACTOR = 3;
/** A rise must also be at least this many ms, so sub-millisecond loopback noise is not a trend. */
export const TREND_FLOOR_MS = 5;
/** Hysteresis: the flag clears once recent falls under this multiple of the baseline. */
export const TREND_CLEAR_FACTOR = 1.5;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface TrendStep {
  trend: TrendState;
  change?: { phase: 'rising' | 'cleared'; recentMs: number; baselineMs: number };
}

/** Adds one open handshake time; reports when recent times rise well above the target's own baseline. */
export function updateTrend(prev: TrendState, connectMs: number): TrendStep {
  const samples = prev.samples.length >= TREND_WINDOW ? [...prev.samples.slice(1), connectMs] : [...prev.samples, connectMs];
  const older = samples.slice(0, -TREND_RECENT);
  if (older.length < TREND_MIN_BASELINE) return { trend: { samples, rising: prev.rising } };
  const baselineMs = median(older);
  const recentMs = median(samples.slice(-TREND_RECENT));
  if (!prev.rising && recentMs > baselineMs * TREND_FACTOR && recentMs - baselineMs >= TREND_FLOOR_MS) {
    return { trend: { samples, rising: true }, change: { phase: 'rising', recentMs, baselineMs } };
  }
  if (prev.rising && recentMs < baselineMs * TREND_CLEAR_FACTOR) {
    return { trend: { samples, rising: false }, change: { phase: 'cleared', recentMs, baselineMs } };
  }
  return { trend: { samples, rising: prev.rising } };
}
