import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RESULT_PREFIX, RESULTS_STREAM } from './names.js';

/** How long a publish id is remembered: a result re-sent within this window is stored once. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

const ns = (ms: number) => ms * 1_000_000;

/**
 * The results stream, bounded by age and size (the oldest results go first). Created by the first
 * agent; later agents with other limits update it (the last one to start wins, and says so in the
 * README).
 */
export async function ensureResultsStream(nc: NatsConnection, limits: { maxAgeMs: number; maxBytes: number }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: RESULTS_STREAM,
    subjects: [`${RESULT_PREFIX}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: ns(limits.maxAgeMs),
    max_bytes: limits.maxBytes,
    duplicate_window: ns(Math.min(DUPLICATE_WINDOW_MS, limits.maxAgeMs)),
  };
  try {
    await jsm.streams.add(config);
  } catch {
    const { name, ...rest } = config;
    await jsm.streams.update(name, rest);
  }
}
