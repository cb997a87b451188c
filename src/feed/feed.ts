import type { EngineEvent, StateCounts, TargetView } from '../engine/types.js';

export type FeedListener = (event: EngineEvent) => void;

/**
 * What every front end and sink reads: the targets' current views and the stream of events. The
 * engine is the feed of an in-process monitor; a console attached to an agent reads the same shape
 * over HTTP. Subscribers never change anything through it.
 */
export interface Feed {
  subscribe(listener: FeedListener): () => void;
  /** One view per target, replaced on every change (compare by identity); its `recent` ring is written in place. */
  snapshot(): readonly TargetView[];
  get(id: string): TargetView | undefined;
  /** Bumped on every change (the console compares it when an event or its clock wakes it). */
  readonly version: number;
  /** Bumped when a target changes state, comes or goes. */
  readonly stateVersion: number;
  /** Targets per state, kept as states change. */
  stateCounts(): StateCounts;
  /** Wall time of the newest result. */
  readonly lastCheckAt: number | undefined;
}
