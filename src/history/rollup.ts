import type Database from 'better-sqlite3';
import { bucketFromSamples, mergeBuckets, type BucketRow } from './bucket-stats.js';
import { floorTo, getMetaNumber, HOUR_MS, MINUTE_MS, ROLLED_HOURS_TO, ROLLED_MINUTES_TO, setMeta } from './meta.js';
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

function saveBuckets(db: Database.Database, table: 'agg_minute' | 'agg_hour', rows: readonly BucketRow[]): void {
  const stmt = db.prepare(`INSERT OR REPLACE INTO ${table} (${BUCKET_COLUMNS}) VALUES (@target, @location, @bucket, @count, @failures, @minUs, @medianUs, @p95Us, @maxUs, @upMs, @downMs, @pausedMs)`);
  for (const r of rows) stmt.run(r);
}

/** Minute aggregates, recomputed from raw samples from the watermark up to now (the last minute partly). */
export function rollupMinutes(db: Database.Database, now: number, options: RollupOptions = {}): { buckets: number; through: number } {
  const lagMs = options.lagMs ?? 5_000;
  const maxSpanMs = options.maxSpanMs ?? 6 * HOUR_MS;
  const first = getMetaNumber(db, ROLLED_MINUTES_TO) ?? (db.prepare('SELECT min(at) FROM samples').pluck().get() as number | null);
  if (first === null || first === undefined) return { buckets: 0, through: now };
  const from = floorTo(first, MINUTE_MS);
  const end = Math.min(now, from + maxSpanMs);
  if (end <= from) return { buckets: 0, through: from };

  const gapLimits = new Map((db.prepare('SELECT id, gap_limit_ms FROM targets').raw().all() as [number, number][]).map(([id, gap]) => [id, gap]));
  const before = db.prepare('SELECT location, at, outcome, state, connect_us FROM samples WHERE target = ? AND at < ? ORDER BY at DESC LIMIT 1');
  const rows = db.prepare('SELECT target, location, at, outcome, state, connect_us FROM samples WHERE at >= ? AND at < ? ORDER BY target, location, at').all(from, end) as RawRow[];

  const sequences = new Map<string, RawRow[]>();
  for (const r of rows) {
    const key = `${r.target}\u0000${r.location}`;
    let seq = sequences.get(key);
    if (!seq) sequences.set(key, (seq = []));
    seq.push(r);
  }
  // A state that started before the range still covers its beginning.
  for (const target of gapLimits.keys()) {
    const prev = before.get(target, from) as Omit<RawRow, 'target'> | undefined;
    if (!prev) continue;
    const key = `${target}\u0000${prev.location}`;
    const seq = sequences.get(key) ?? [];
    sequences.set(key, [{ target, ...prev }, ...seq]);
  }

  const out: BucketRow[] = [];
  for (const seq of sequences.values()) {
    const head = seq[0]!;
    const observations: Observation[] = seq.map((r) => ({ at: r.at, state: r.state }));
    const time = tallyByBucket(spansOf(observations, gapLimits.get(head.target) ?? 60_000, end), from, end, MINUTE_MS);
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
  const through = Math.max(from, Math.min(floorTo(now - lagMs, MINUTE_MS), floorTo(end, MINUTE_MS)));
  db.transaction(() => {
    saveBuckets(db, 'agg_minute', out);
    setMeta(db, ROLLED_MINUTES_TO, through);
  }).immediate();
  return { buckets: out.length, through };
}

/** Hour aggregates for every complete hour whose minutes are final, merged from the minute rows. */
export function rollupHours(db: Database.Database): { buckets: number; through: number } {
  const minutesTo = getMetaNumber(db, ROLLED_MINUTES_TO);
  if (minutesTo === undefined) return { buckets: 0, through: 0 };
  const first = getMetaNumber(db, ROLLED_HOURS_TO) ?? (db.prepare('SELECT min(bucket) FROM agg_minute').pluck().get() as number | null);
  if (first === null || first === undefined) return { buckets: 0, through: 0 };
  const from = floorTo(first, HOUR_MS);
  const to = floorTo(minutesTo, HOUR_MS);
  if (to <= from) return { buckets: 0, through: from };
  const rows = db
    .prepare(`SELECT ${BUCKET_COLUMNS} FROM agg_minute WHERE bucket >= ? AND bucket < ? ORDER BY target, location, bucket`)
    .all(from, to) as Record<string, number | string | null>[];
  const groups = new Map<string, BucketRow[]>();
  for (const r of rows) {
    const row: BucketRow = {
      target: r.target as number,
      location: r.location as string,
      bucket: floorTo(r.bucket as number, HOUR_MS),
      count: r.count as number,
      failures: r.failures as number,
      minUs: r.min_us as number | null,
      medianUs: r.median_us as number | null,
      p95Us: r.p95_us as number | null,
      maxUs: r.max_us as number | null,
      upMs: r.up_ms as number,
      downMs: r.down_ms as number,
      pausedMs: r.paused_ms as number,
    };
    const key = `${row.target}\u0000${row.location}\u0000${row.bucket}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  }
  const out = [...groups.values()].map((parts) => mergeBuckets(parts[0]!, parts));
  db.transaction(() => {
    saveBuckets(db, 'agg_hour', out);
    setMeta(db, ROLLED_HOURS_TO, to);
  }).immediate();
  return { buckets: out.length, through: to };
}

/** Brings both aggregate levels up to date, in slices when far behind (after a long stop). */
export function rollup(db: Database.Database, now: number, options: RollupOptions = {}): void {
  const target = floorTo(now - (options.lagMs ?? 5_000), MINUTE_MS);
  let last = -Infinity;
  for (let i = 0; i < 10_000; i++) {
    const { through } = rollupMinutes(db, now, options);
    if (through >= target || through <= last) break;
    last = through;
  }
  rollupHours(db);
}
