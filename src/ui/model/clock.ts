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

/**
 * Which running durations are on screen now, for nextClockChange: the SINCE column (every target's),
 * the detail pane (its target's "since" and ongoing incidents) and the help overlay ("… ago": treated
 * as everything). The console sets it after each frame; the snapshot hook re-times its clock when it
 * changes. Without one, every target and open incident counts (a clock wake each second in the first
 * hour, even at 80 columns where no duration is shown).
 */
export class ShownDurations {
  private key = 'all';
  private listener: (() => void) | undefined;
  private pickFn = (views: readonly TargetView[], incidents: readonly Incident[]) => ({ views, incidents });

  pick(views: readonly TargetView[], incidents: readonly Incident[]): { views: readonly TargetView[]; incidents: readonly Incident[] } {
    return this.pickFn(views, incidents);
  }

  set(shown: { everything: boolean; since: boolean; detailId: string | undefined }): void {
    const key = shown.everything ? 'all' : `${shown.since ? 'since' : ''}|${shown.detailId ?? ''}`;
    if (key === this.key) return;
    this.key = key;
    const { since, detailId } = shown;
    this.pickFn = shown.everything
      ? (views, incidents) => ({ views, incidents })
      : (views, incidents) => ({
          views: since ? views : detailId === undefined ? [] : views.filter((v) => v.target.id === detailId),
          incidents: detailId === undefined ? [] : incidents.filter((i) => i.targetId === detailId),
        });
    this.listener?.();
  }

  onChange(listener: () => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }
}
