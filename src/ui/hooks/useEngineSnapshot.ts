import { useEffect, useState } from 'react';
import type { Incident, StateCounts, TargetView } from '../../engine/types.js';
import { countStates } from '../model/summary.js';

/** What the console reads from the engine: a version to poll and a cheap snapshot. */
export interface SnapshotSource {
  readonly version: number;
  readonly lastCheckAt: number | undefined;
  snapshot(): readonly TargetView[];
  /**
   * The engine keeps these as states change; without them (test sources) the hook derives them with
   * a pass over every view, which at thousands of targets is work on every poll and frame.
   */
  readonly stateVersion?: number;
  stateCounts?(): StateCounts;
  get?(id: string): TargetView | undefined;
}

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

function take(source: SnapshotSource, feed: IncidentFeed, now: () => number): Snapshot {
  const views = source.snapshot();
  return { views, counts: source.stateCounts?.() ?? countStates(views), incidents: feed.list(), lastCheckAt: source.lastCheckAt, at: now() };
}

/** Every target's state in one string: a new value means a state changed somewhere. */
export function statesKey(views: readonly TargetView[]): string {
  let key = '';
  for (const v of views) key += v.monitor.state.charAt(0) + v.monitor.state.length;
  return key;
}

/** What changes when some target's state does: the engine's counter, else the states themselves. */
function statesOf(source: SnapshotSource): number | string {
  return source.stateVersion ?? statesKey(source.snapshot());
}

/**
 * Polls `version` at a fixed rate and decides whether a new frame is worth it. Each frame costs Ink a
 * full layout and output pass, so: a state change or a new incident is shown at the next poll; results
 * that only move ms columns and sparklines, and the ticking "since" column, at most once per
 * QUIET_FRAME_MS.
 */
export function useEngineSnapshot(source: SnapshotSource, feed: IncidentFeed, pollMs = 500, now: () => number = Date.now): Snapshot {
  const [snap, setSnap] = useState(() => take(source, feed, now));
  useEffect(() => {
    let seenSource = source.version;
    let seenFeed = feed.version;
    let seenStates = statesOf(source);
    let lastAt = now();
    const timer = setInterval(() => {
      const t = now();
      const quietDue = t - lastAt >= QUIET_FRAME_MS;
      if (source.version === seenSource && feed.version === seenFeed && !quietDue) return;
      const urgent = feed.version !== seenFeed || (source.version !== seenSource && statesOf(source) !== seenStates);
      if (!urgent && !quietDue) return;
      const next = take(source, feed, now);
      seenSource = source.version;
      seenFeed = feed.version;
      seenStates = source.stateVersion ?? statesKey(next.views);
      lastAt = t;
      setSnap(next);
    }, pollMs);
    return () => clearInterval(timer);
  }, [source, feed, pollMs, now]);
  return snap;
}
