import type Database from 'better-sqlite3';
import { bucketFromSamples, mergeBuckets, type BucketRow } from './bucket-stats.js';
import { DAY_MS, floorTo, getMetaNumber, HOUR_MS, MINUTE_MS, ROLLED_DAYS_TO, ROLLED_HOURS_TO, ROLLED_MINUTES_TO, setMeta } from './meta.js';
import { spansOf, tallyByBucket, type Observation } from './timeline.js';

export interface RollupOptions {
  /** Samples may still arrive this late (the recorder's flush delay); minutes younger stay open. */
  lagMs?: number;
  /** Most raw time handled per call, so catching up after a long stop is done in slices. */
  maxSpanMs?: number;
}

interface RawRow {
  target: number;
  location: string;
  at: number;
  outcome: string | null;
  state: string;
  connect_us: number | null;
}

const BUCKET_COLUMNS = 'target, location, bucket, count, failures, min_us, median_us, p95_us, max_us, up_ms, down_ms, paused_ms';

export type AggregateTable = 'agg_minute' | 'agg_hour' | 'agg_day';

function saveBuckets(db: Database.Database, table: AggregateTable, rows: readonly BucketRow[]): void {
  const stmt = db.prepare(`INSERT OR REPLACE INTO ${table} (${BUCKET_COLUMNS}) VALUES (@target, @location, @bucket, @count, @failures, @minUs, @medianUs, @p95Us, @maxUs, @upMs, @downMs, @pausedMs)`);
  for (const r of rows) stmt.run(r);
}

export interface RollupResult {
  buckets: number;
  through: number;
}

/** Runs a roll-up to the end in one go. */
function runSteps(steps: Generator<void, RollupResult>): RollupResult {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Minute aggregates, recomputed from raw samples from the watermark up to now (the last minute partly). */
export function rollupMinutes(db: Database.Database, now: number, options: RollupOptions = {}): RollupResult {
  return runSteps(minuteSteps(db, now, options, Infinity));
}

/** The same, one slice of `slice` targets per step, so a caller can let other work run in between. */
function* minuteSteps(db: Database.Database, now: number, options: RollupOptions, slice: number): Generator<void, RollupResult> {
  const lagMs = options.lagMs ?? 5_000;
  const maxSpanMs = options.maxSpanMs ?? 6 * HOUR_MS;
  const first = getMetaNumber(db, ROLLED_MINUTES_TO) ?? (db.prepare('SELECT min(at) FROM samples').pluck().get() as number | null);
  if (first === null || first === undefined) return { buckets: 0, through: now };
  const from = floorTo(first, MINUTE_MS);
  const end = Math.min(now, from + maxSpanMs);
  if (end <= from) return { buckets: 0, through: from };

  const gapLimits = new Map((db.prepare('SELECT id, gap_limit_ms FROM targets').raw().all() as [number, number][]).map(([id, gap]) => [id, gap]));
  const before = db.prepare('SELECT location, at, outcome, state, connect_us FROM samples WHERE target = ? AND at < ? ORDER BY at DESC LIMIT 1');
  // Per target, so each read is a range on the (target, at) index whatever the table's size.
  const inRange = db.prepare('SELECT location, at, outcome, state, connect_us FROM samples WHERE target = ? AND at >= ? AND at < ? ORDER BY at');
  // Where a sequence starts inside a RETRYING run: the state the target was in before that run.
  const settledBefore = db.prepare("SELECT state FROM samples WHERE target = ? AND location = ? AND at < ? AND state != 'RETRYING' ORDER BY at DESC LIMIT 1").pluck();
  let buckets = 0;
  for (const part of chunks([...gapLimits.keys()], Math.min(slice, 1_000_000))) {
    const sequences = new Map<string, RawRow[]>();
    for (const target of part) {
      // A state that started before the range still covers its beginning.
      const prev = before.get(target, from) as Omit<RawRow, 'target'> | undefined;
      const rows = inRange.all(target, from, end) as Omit<RawRow, 'target'>[];
      for (const r of prev ? [prev, ...rows] : rows) {
        const key = `${target}\u0000${r.location}`;
        let seq = sequences.get(key);
        if (!seq) sequences.set(key, (seq = []));
        seq.push({ target, ...r });
      }
    }
    const out: BucketRow[] = [];
    for (const seq of sequences.values()) {
      const head = seq[0]!;
      const observations: Observation[] = seq.map((r) => ({ at: r.at, state: r.state }));
      const settled = head.state === 'RETRYING' ? (settledBefore.get(head.target, head.location, head.at) as string | undefined) : undefined;
      const time = tallyByBucket(spansOf(observations, gapLimits.get(head.target) ?? 60_000, end, settled), from, end, MINUTE_MS);
      const checks = new Map<number, { failed: boolean; connectUs: number | null }[]>();
      for (const r of seq) {
        if (r.at < from || r.outcome === null) continue;
        const bucket = floorTo(r.at, MINUTE_MS);
        let list = checks.get(bucket);
        if (!list) checks.set(bucket, (list = []));
        list.push({ failed: r.outcome !== 'open', connectUs: r.connect_us });
      }
      for (const bucket of new Set([...time.keys(), ...checks.keys()])) {
        out.push(bucketFromSamples({ target: head.target, location: head.location, bucket }, checks.get(bucket) ?? [], time.get(bucket)));
      }
    }
    db.transaction(() => saveBuckets(db, 'agg_minute', out)).immediate();
    buckets += out.length;
    yield;
  }
  const through = Math.max(from, Math.min(floorTo(now - lagMs, MINUTE_MS), floorTo(end, MINUTE_MS)));
  setMeta(db, ROLLED_MINUTES_TO, through);
  return { buckets, through };
}

type RawBucket = [number, string, number, number, number, number | null, number | null, number | null, number | null, number, number, number];

function rowOf(r: RawBucket, unit: number): BucketRow {
  const [target, location, bucket, count, failures, minUs, medianUs, p95Us, maxUs, upMs, downMs, pausedMs] = r;
  return { target, location, bucket: floorTo(bucket, unit), count, failures, minUs, medianUs, p95Us, maxUs, upMs, downMs, pausedMs };
}

/** Merges complete units of a finer table (final up to `finerTo`) into a coarser one, from its watermark on, a slice of targets per step. */
function* levelSteps(db: Database.Database, finer: AggregateTable, coarser: AggregateTable, unit: number, watermark: string, slice: number): Generator<void, RollupResult> {
  const finerTo = getMetaNumber(db, finer === 'agg_minute' ? ROLLED_MINUTES_TO : ROLLED_HOURS_TO);
  if (finerTo === undefined) return { buckets: 0, through: 0 };
  const first = getMetaNumber(db, watermark) ?? (db.prepare(`SELECT min(bucket) FROM ${finer} WHERE target IN (SELECT id FROM targets)`).pluck().get() as number | null);
  if (first === null || first === undefined) return { buckets: 0, through: 0 };
  const from = floorTo(first, unit);
  const to = floorTo(finerTo, unit);
  if (to <= from) return { buckets: 0, through: from };
  const read = db.prepare(`SELECT ${BUCKET_COLUMNS} FROM ${finer} WHERE target = ? AND bucket >= ? AND bucket < ?`).raw();
  const targets = db.prepare('SELECT id FROM targets').pluck().all() as number[];
  let buckets = 0;
  for (const part of chunks(targets, Math.min(slice, 1_000_000))) {
    const groups = new Map<string, BucketRow[]>();
    for (const r of part.flatMap((t) => read.all(t, from, to) as RawBucket[])) {
      const row = rowOf(r, unit);
      const key = `${row.target}\u0000${row.location}\u0000${row.bucket}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(row);
    }
    const out = [...groups.values()].map((parts) => mergeBuckets(parts[0]!, parts));
    db.transaction(() => saveBuckets(db, coarser, out)).immediate();
    buckets += out.length;
    yield;
  }
  setMeta(db, watermark, to);
  return { buckets, through: to };
}

/** Hour aggregates for every complete hour whose minutes are final, merged from the minute rows. */
export function rollupHours(db: Database.Database): RollupResult {
  return runSteps(levelSteps(db, 'agg_minute', 'agg_hour', HOUR_MS, ROLLED_HOURS_TO, Infinity));
}

/** Day aggregates (UTC days) for every complete day whose hours are final. */
export function rollupDays(db: Database.Database): RollupResult {
  return runSteps(levelSteps(db, 'agg_hour', 'agg_day', DAY_MS, ROLLED_DAYS_TO, Infinity));
}

function* allSteps(db: Database.Database, now: number, options: RollupOptions, slice: number): Generator<void, RollupResult> {
  const target = floorTo(now - (options.lagMs ?? 5_000), MINUTE_MS);
  let last = -Infinity;
  let buckets = 0;
  for (let i = 0; i < 10_000; i++) {
    const r = yield* minuteSteps(db, now, options, slice);
    buckets += r.buckets;
    if (r.through >= target || r.through <= last) break;
    last = r.through;
  }
  buckets += (yield* levelSteps(db, 'agg_minute', 'agg_hour', HOUR_MS, ROLLED_HOURS_TO, slice)).buckets;
  const days = yield* levelSteps(db, 'agg_hour', 'agg_day', DAY_MS, ROLLED_DAYS_TO, slice);
  return { buckets: buckets + days.buckets, through: days.through };
}

/** Brings every aggregate level up to date, in slices when far behind (after a long stop). */
export function rollup(db: Database.Database, now: number, options: RollupOptions = {}): void {
  runSteps(allSteps(db, now, options, Infinity));
}

/**
 * The same, `slice` targets at a time with the event loop free in between, so that with many
 * targets the periodic roll-up never holds up checks for long. Only one should run at a time.
 */
export async function rollupInSlices(db: Database.Database, now: number, options: RollupOptions = {}, slice = 50, stop: () => boolean = () => false): Promise<void> {
  const steps = allSteps(db, now, options, slice);
  for (;;) {
    if (stop() || steps.next().done) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
