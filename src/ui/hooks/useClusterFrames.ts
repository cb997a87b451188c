import { useEffect, useState } from 'react';
import type { QuorumView } from '../../cluster/quorum.js';
import { nextClusterChange } from '../model/cluster-clock.js';

/** What the cluster console's frames depend on (ClusterSource has more). */
export interface ClusterFrameSource {
  /** Bumped whenever anything shown changes (a result, the link, a note). */
  readonly version: number;
  /** Calls back after each such change; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  views(now: number): QuorumView[];
}

/** Changes are shown at most this often (a busy stream brings thousands of results a second). */
export const CLUSTER_FRAME_GAP_MS = 200;

/**
 * A frame number that moves only when the cluster console would show something else, sleeping in
 * between: a change of the source wakes it (at most once per CLUSTER_FRAME_GAP_MS), and one timer
 * wakes it when a shown age or a STALE next changes (src/ui/model/cluster-clock.ts). A console on a
 * quiet cluster does no work between results.
 */
export function useClusterFrames(source: ClusterFrameSource, now: () => number = Date.now): number {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    let seen = source.version;
    let lastAt = now();
    let clockAt = nextClusterChange(lastAt, source.views(lastAt));
    let timer: NodeJS.Timeout | undefined;
    let timerAt = Infinity;
    let closed = false;
    const onTimer = () => {
      timer = undefined;
      timerAt = Infinity;
      if (closed) return;
      const t = now();
      if (source.version !== seen || t >= clockAt) {
        seen = source.version;
        lastAt = t;
        clockAt = nextClusterChange(t, source.views(t));
        setFrame((n) => n + 1);
      }
      wakeAt(clockAt);
    };
    const wakeAt = (at: number) => {
      if (closed || at >= timerAt || at === Infinity) return;
      clearTimeout(timer);
      timerAt = at;
      timer = setTimeout(onTimer, Math.max(0, at - now()));
    };
    const unsubscribe = source.subscribe(() => wakeAt(lastAt + CLUSTER_FRAME_GAP_MS));
    wakeAt(clockAt);
    if (source.version !== seen) wakeAt(lastAt);
    return () => {
      closed = true;
      unsubscribe();
      clearTimeout(timer);
    };
  }, [source, now]);
  return frame;
}
