import { useEffect, useState } from 'react';
import type { Incident, StateCounts, TargetView } from '../../engine/types.js';
import type { Feed } from '../../feed/feed.js';

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

/** Results that change no state (new ms, a sparkline bar) are shown at most this often. */
export const QUIET_FRAME_MS = 1000;

function take(source: Feed, feed: IncidentFeed, now: () => number): Snapshot {
  return { views: source.snapshot(), counts: source.stateCounts(), incidents: feed.list(), lastCheckAt: source.lastCheckAt, at: now() };
}

/**
 * Polls `version` at a fixed rate and decides whether a new frame is worth it. Each frame costs Ink a
 * full layout and output pass, so: a state change or a new incident is shown at the next poll; results
 * that only move ms columns and sparklines, and the ticking "since" column, at most once per
 * QUIET_FRAME_MS.
 */
export function useEngineSnapshot(source: Feed, feed: IncidentFeed, pollMs = 500, now: () => number = Date.now): Snapshot {
  const [snap, setSnap] = useState(() => take(source, feed, now));
  useEffect(() => {
    let seenSource = source.version;
    let seenFeed = feed.version;
    let seenStates = source.stateVersion;
    let lastAt = now();
    const timer = setInterval(() => {
      const t = now();
      const quietDue = t - lastAt >= QUIET_FRAME_MS;
      if (source.version === seenSource && feed.version === seenFeed && !quietDue) return;
      const urgent = feed.version !== seenFeed || (source.version !== seenSource && source.stateVersion !== seenStates);
      if (!urgent && !quietDue) return;
      const next = take(source, feed, now);
      seenSource = source.version;
      seenFeed = feed.version;
      seenStates = source.stateVersion;
      lastAt = t;
      setSnap(next);
    }, pollMs);
    return () => clearInterval(timer);
  }, [source, feed, pollMs, now]);
  return snap;
}
