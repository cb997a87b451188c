/**
 * Time-weighted accounting, as pure functions of (observations, window). An observation is a check
 * result (or a pause/resume mark) with the state the monitor was in after it. Each observation's
 * state holds until the next one — but never longer than the target's gap limit: a longer silence
 * means the monitor was not running (or was stalled), and that time is unknown, not down.
 *
 * Categories: UP and SLOW are up; DOWN is down; PAUSED is neither (paused time is not downtime);
 * UNKNOWN and STOPPED (the mark written when porthole stops) count as unknown. RETRYING after UP or SLOW counts as up: the monitor has not confirmed
 * anything yet, and the confirmation delay it adds at the start of an outage is mirrored at its end
 * (DOWN is held while a recovery is being confirmed), so the two cancel out on average. RETRYING of
 * a target not yet settled (first seen, or just resumed: its last other state is UNKNOWN or not
 * known) counts as unknown: it has not been up, and a port refused from the start must not show a
 * share of uptime.
 */

export type Category = 'up' | 'down' | 'paused' | 'unknown';

export interface Observation {
  at: number;
  state: string;
}

export interface Span {
  start: number;
  end: number;
  category: Category;
}

export interface Tally {
  upMs: number;
  downMs: number;
  pausedMs: number;
  unknownMs: number;
}

export function categoryOf(state: string): Category {
  switch (state) {
    case 'UP':
    case 'SLOW':
    case 'RETRYING':
      return 'up';
    case 'DOWN':
      return 'down';
    case 'PAUSED':
      return 'paused';
    default:
      return 'unknown';
  }
}

/**
 * Spans covered by observations (sorted by time), up to `until`. A paused state holds until the
 * next observation with no gap limit: a paused target is not checked, so silence is expected.
 * `settledBefore` is the last state other than RETRYING before the first observation, if known.
 */
export function spansOf(observations: readonly Observation[], gapLimitMs: number, until: number, settledBefore?: string): Span[] {
  const spans: Span[] = [];
  let settled = settledBefore;
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    const next = observations[i + 1];
    const category = o.state === 'RETRYING' && settled !== 'UP' && settled !== 'SLOW' ? 'unknown' : categoryOf(o.state);
    if (o.state !== 'RETRYING') settled = o.state;
    const limit = category === 'paused' ? Infinity : o.at + gapLimitMs;
    const end = Math.min(next ? next.at : until, limit, until);
    if (end > o.at) spans.push({ start: o.at, end, category });
  }
  return spans;
}

export function emptyTally(): Tally {
  return { upMs: 0, downMs: 0, pausedMs: 0, unknownMs: 0 };
}

function add(t: Tally, category: Category, ms: number): void {
  if (category === 'up') t.upMs += ms;
  else if (category === 'down') t.downMs += ms;
  else if (category === 'paused') t.pausedMs += ms;
  else t.unknownMs += ms;
}

/** Time in each category inside [from, to); whatever no span covers is unknown. */
export function tally(spans: readonly Span[], from: number, to: number): Tally {
  const t = emptyTally();
  let covered = 0;
  for (const s of spans) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end <= start) continue;
    add(t, s.category, end - start);
    covered += end - start;
  }
  t.unknownMs += Math.max(0, to - from - covered);
  return t;
}

/** The same tally cut into aligned buckets ([k·bucketMs, (k+1)·bucketMs)) that spans touch inside [from, to). */
export function tallyByBucket(spans: readonly Span[], from: number, to: number, bucketMs: number): Map<number, Tally> {
  const out = new Map<number, Tally>();
  for (const s of spans) {
    let start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    while (start < end) {
      const bucket = Math.floor(start / bucketMs) * bucketMs;
      const stop = Math.min(end, bucket + bucketMs);
      let t = out.get(bucket);
      if (!t) out.set(bucket, (t = emptyTally()));
      add(t, s.category, stop - start);
      start = stop;
    }
  }
  return out;
}

/** Up time over known (up or down) time; null when nothing is known. */
export function uptimeRatio(t: Pick<Tally, 'upMs' | 'downMs'>): number | null {
  const known = t.upMs + t.downMs;
  return known > 0 ? t.upMs / known : null;
}

/** How long silence may last before it means the monitor was not running: two intervals plus a full retry run. */
export function gapLimitMs(t: { intervalMs: number; timeoutMs: number; retries: number; retryDelayMs: number }): number {
  return 2 * t.intervalMs + t.timeoutMs + t.retries * (t.retryDelayMs + t.timeoutMs);
}
