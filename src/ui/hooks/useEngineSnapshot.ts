import { useEffect, useState } from 'react';
import type { EngineEvent, Incident, StateCounts, TargetView } from '../../engine/types.js';
import type { Feed } from '../../feed/feed.js';
import { nextClockChange, type ShownDurations } from '../model/clock.js';

export interface IncidentFeed {
  readonly version: number;
  list(): readonly Incident[];
}

export interface Snapshot {
  views: readonly TargetView[];
  counts: StateCounts;
  incidents: readonly Incident[];
  lastCheckAt: number | undefined;
  /** Wall time the snapshot was taken: "since" columns count from it. */
  at: number;
}

/** Results that change no state (new ms, a sparkline bar), and the clock's ticks, are shown at most this often. */
export const QUIET_FRAME_MS = 1000;

function take(source: Feed, feed: IncidentFeed, now: () => number): Snapshot {
  return { views: source.snapshot(), counts: source.stateCounts(), incidents: feed.list(), lastCheckAt: source.lastCheckAt, at: now() };
}

/** Events that change what a target shows at once (its state, the incident log, the list itself). */
function urgent(e: EngineEvent): boolean {
  return e.type === 'state' || e.type === 'incident' || e.type === 'targets';
}

/**
 * Hands out a new snapshot only when the screen would change, and sleeps in between: the feed's
 * events wake it (a state change, an incident or a change to the target list is shown within
 * `minGapMs`; results that only move ms columns and sparklines at most once per QUIET_FRAME_MS), and
 * one timer wakes it when a shown duration ("since", an ongoing incident) next changes its text, at
 * most once per QUIET_FRAME_MS too — only the durations `shown` says are on screen, when given. A
 * console nothing happens on does no work between checks.
 */
export function useEngineSnapshot(source: Feed, feed: IncidentFeed, minGapMs = 500, now: () => number = Date.now, shown?: ShownDurations): Snapshot {
  const [snap, setSnap] = useState(() => take(source, feed, now));
  useEffect(() => {
    let seenSource = source.version;
    let seenFeed = feed.version;
    let lastAt = now();
    let views = source.snapshot();
    let incidents = feed.list();
    const clockFor = (t: number): number => {
      const on = shown ? shown.pick(views, incidents) : { views, incidents };
      return nextClockChange(t, on.views, on.incidents);
    };
    let clockAt = clockFor(lastAt);
    let timer: NodeJS.Timeout | undefined;
    let timerAt = Infinity;
    let closed = false;

    const frame = () => {
      timer = undefined;
      timerAt = Infinity;
      if (closed) return;
      const t = now();
      const changed = source.version !== seenSource || feed.version !== seenFeed;
      if (changed || t >= clockAt) {
        const next = take(source, feed, now);
        seenSource = source.version;
        seenFeed = feed.version;
        lastAt = t;
        views = next.views;
        incidents = next.incidents;
        clockAt = clockFor(t);
        setSnap(next);
      }
      wakeAt(Math.max(clockAt, lastAt + QUIET_FRAME_MS));
    };
    const wakeAt = (at: number) => {
      if (closed || at >= timerAt) return;
      clearTimeout(timer);
      timerAt = at;
      timer = setTimeout(frame, Math.max(0, at - now()));
    };
    const unsubscribe = source.subscribe((e) => wakeAt(lastAt + (urgent(e) ? minGapMs : QUIET_FRAME_MS)));
    // Another duration came on screen (the detail pane opened, a column appeared): its clock starts now.
    const unwatch = shown?.onChange(() => {
      clockAt = clockFor(now());
      wakeAt(Math.max(clockAt, lastAt + QUIET_FRAME_MS));
    });
    wakeAt(Math.max(clockAt, lastAt + QUIET_FRAME_MS));
    // Changes made before the subscription (between the first snapshot and this effect).
    if (source.version !== seenSource || feed.version !== seenFeed) wakeAt(lastAt);
    return () => {
      closed = true;
      unsubscribe();
      unwatch?.();
      clearTimeout(timer);
    };
  }, [source, feed, minGapMs, now, shown]);
  return snap;
}
