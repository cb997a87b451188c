import type { EngineEvent, TargetView } from '../engine/types.js';
import type { ChannelHealth } from '../notify/service.js';

/** What the metrics need from an engine (the Engine satisfies it). */
export interface MetricsSource {
  subscribe(listener: (event: EngineEvent) => void): () => void;
  snapshot(): readonly TargetView[];
  /** One target's view; with it, retries confirming a recovery are counted too (not only RETRYING). */
  get?(id: string): TargetView | undefined;
  /** Checks in flight and recent start delays (ms): is the agent keeping up? */
  schedulerStats?(): { active: number; drifts: readonly number[] };
}

/** Outbox rows per channel: waiting to be sent, and given up on. */
export interface OutboxCounts {
  channel: string;
  pending: number;
  failed: number;
}

export interface HistoryCounts {
  queued: number;
  droppedSamples: number;
  droppedIncidents: number;
}

export interface MetricsOptions {
  source: MetricsSource;
  /** Where the checks run from: the `location` label on every series (default "local"). */
  location?: string;
  alerts?: () => readonly ChannelHealth[];
  outbox?: () => readonly OutboxCounts[];
  /** The history writer's queue and drops; undefined while history is off. */
  history?: () => HistoryCounts | undefined;
  /**
   * The handshake histogram: one per target (labels target and location; the default) or one for
   * the whole agent (label location), for fleets where 14 series per target cost too much.
   */
  handshakeHistogram?: 'target' | 'location';
  /**
   * prom-client's process_* and nodejs_* metrics (CPU, memory, event-loop lag) in the same registry.
   * Default false: `promtool check metrics` rejects one of prom-client's names
   * (nodejs_active_handles_total is a gauge), and the issue asks for a clean check.
   */
  processMetrics?: boolean;
}
