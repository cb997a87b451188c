export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffSettings> = Object.freeze({ baseMs: 2_000, maxMs: 5 * 60_000 });

/**
 * Delay before attempt `attempts + 1`: doubling from baseMs up to maxMs, with "equal jitter" (half
 * fixed, half random) so that channels failing together do not retry in lockstep.
 */
export function retryDelay(attempts: number, settings: BackoffSettings = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
