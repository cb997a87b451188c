import type { Incident, TargetView } from '../../engine/types.js';

/**
 * Milliseconds until formatDuration(elapsed) shows another text: at the next whole second while it
 * shows seconds (under an hour), the next minute under a day, else the next hour.
 */
export function msUntilDurationChanges(elapsedMs: number): number {
  if (elapsedMs < 1000) return 1000 - Math.max(0, elapsedMs);
  const unit = elapsedMs < 3_600_000 ? 1000 : elapsedMs < 86_400_000 ? 60_000 : 3_600_000;
  return unit - (elapsedMs % unit);
}

/**
 * When the console next shows different text for the time alone (the "since" column and the detail
 * pane's durations, ongoing incidents): the soonest change over every target and open incident.
 */
export function nextClockChange(now: number, views: readonly TargetView[], incidents: readonly Incident[]): number {
  let soonest = Infinity;
  for (const v of views) soonest = Math.min(soonest, msUntilDurationChanges(Math.max(0, now - v.monitor.since)));
  for (const i of incidents) if (i.ended === null) soonest = Math.min(soonest, msUntilDurationChanges(Math.max(0, now - i.started)));
  return now + soonest;
}
