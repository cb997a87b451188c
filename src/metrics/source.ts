import type { Feed } from '../feed/feed.js';
import type { ChannelHealth } from '../notify/service.js';

/**
 * What the metrics read: the feed (with `get`, retries confirming a recovery are counted too, not
 * only RETRYING), and from an engine its scheduler figures (is the agent keeping up?).
 */
export type MetricsSource = Pick<Feed, 'subscribe' | 'snapshot'> &
  Partial<Pick<Feed, 'get'>> & {
    /** Checks in flight and recent start delays (ms). */
    schedulerStats?(): { active: number; drifts: readonly number[] };
  };

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
   * The handshake histogram: one for the whole agent (label location; the default) or one per
   * target (labels target and location). Per target it is 14 series a target, more than all the
   * target's other series together: 5,000 targets would need about 7 MB a scrape for it alone.
   */
  handshakeHistogram?: 'target' | 'location';
  /**
   * prom-client's process_* and nodejs_* metrics (CPU, memory, event-loop lag) in the same registry.
   * Default false: `promtool check metrics` rejects one of prom-client's names
   * (nodejs_active_handles_total is a gauge), and the issue asks for a clean check.
   */
  processMetrics?: boolean;
}
