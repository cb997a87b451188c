import { useEffect, useState } from 'react';
import type { Incident, TargetView } from '../../engine/types.js';

/** What the console reads from the engine: a version to poll and a cheap snapshot. */
export interface SnapshotSource {
  readonly version: number;
  readonly lastCheckAt: number | undefined;
  snapshot(): readonly TargetView[];
}

export interface IncidentFeed {
  readonly version: number;
  list(): readonly Incident[];
}

export interface Snapshot {
  views: readonly TargetView[];
  incidents: readonly Incident[];
  lastCheckAt: number | undefined;
  /** Wall time the snapshot was taken: "since" columns count from it. */
  at: number;
}

function take(source: SnapshotSource, feed: IncidentFeed, now: () => number): Snapshot {
  return { views: source.snapshot(), incidents: feed.list(), lastCheckAt: source.lastCheckAt, at: now() };
}

/**
 * Polls `version` at a fixed rate and re-snapshots only when it moved: however many results arrive,
 * the console renders at most 1000/pollMs times a second. A slow tick (1 s) refreshes "since" times
 * even when nothing changed.
 */
export function useEngineSnapshot(source: SnapshotSource, feed: IncidentFeed, pollMs = 500, now: () => number = Date.now): Snapshot {
  const [snap, setSnap] = useState(() => take(source, feed, now));
  useEffect(() => {
    let seen = `${source.version}:${feed.version}`;
    let lastAt = now();
    const timer = setInterval(() => {
      const v = `${source.version}:${feed.version}`;
      const t = now();
      if (v === seen && t - lastAt < 1000) return;
      seen = v;
      lastAt = t;
      setSnap(take(source, feed, now));
    }, pollMs);
    return () => clearInterval(timer);
  }, [source, feed, pollMs, now]);
  return snap;
}
