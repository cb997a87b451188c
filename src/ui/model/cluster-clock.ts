import { FRESH_INTERVALS, type QuorumView } from '../../cluster/quorum.js';

/**
 * When the cluster console next shows different text for the time alone: a STALE cell's age
 * ("STALE 12s", rounded to the second: it changes at each half second) or a fresh result turning
 * STALE (more than FRESH_INTERVALS of its intervals old). Infinity with nothing shown.
 */
export function nextClusterChange(now: number, views: readonly QuorumView[]): number {
  let soonest = Infinity;
  for (const v of views) {
    for (const l of v.locations) {
      const age = Math.max(0, now - l.at);
      const wait = l.stale ? 1000 - ((age + 500) % 1000) : l.at + FRESH_INTERVALS * l.intervalMs - now + 1;
      soonest = Math.min(soonest, Math.max(1, wait));
    }
  }
  return now + soonest;
}

