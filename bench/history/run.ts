/**
 * History benchmark: batched writes against single-row inserts (same run, same disk: the ratio is the
 * figure), bytes per stored row, and the `report --since 30d` query over 1,000 targets × 30 days.
 *   npx tsx bench/history/run.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { EngineEvent } from '../../src/engine/types.js';
import { HistoryQueries, HistoryRecorder } from '../../src/history/index.js';
import { openStore, type StoreDb } from '../../src/store/index.js';
import { HOUR_MS, MINUTE_MS, ROLLED_HOURS_TO, ROLLED_MINUTES_TO, setMeta, floorTo, DAY_MS } from '../../src/history/meta.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { rollupDays, rollupHours, rollupInSlices, rollupMinutes } from '../../src/history/rollup.js';

const TARGETS = 1000;

function open(dir: string): StoreDb {
  const o = openStore({ dataDir: dir });
  if (!o.ok) throw new Error(o.problem.message);
  return o.history;
}

function result(i: number, at: number): EngineEvent {
  const ok = i % 50 !== 0;
  return {
    type: 'result',
    targetId: `target-${i % TARGETS}`,
    at,
    state: ok ? 'UP' : 'RETRYING',
    result: ok
      ? { outcome: 'open', startedAt: at, dnsMs: null, connectMs: 0.2 + (i % 97) / 10, totalMs: 1 }
      : { outcome: 'timeout', startedAt: at, dnsMs: null, connectMs: null, totalMs: 5000, errno: 'ETIMEDOUT' },
  };
}

function fileBytes(h: StoreDb): number {
  h.db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(h.file).size;
}

function batched(dir: string, n: number): { perSec: number; bytesPerSample: number } {
  const h = open(dir);
  const recorder = new HistoryRecorder(h, { batchSize: Infinity, maxQueue: Infinity });
  const writer = new HistoryWriter(h.db);
  for (let i = 0; i < TARGETS; i++) writer.targetId(`target-${i}`);
  const before = fileBytes(h);
  const t0 = performance.now();
  let at = Date.now() - DAY_MS;
  for (let i = 0; i < n; i++) {
    recorder.record(result(i, at++));
    if (i % 2000 === 1999) recorder.flush();
  }
  recorder.flush();
  const secs = (performance.now() - t0) / 1000;
  const bytes = fileBytes(h) - before;
  recorder.close();
  h.close();
  return { perSec: n / secs, bytesPerSample: bytes / n };
}

function singleRow(dir: string, n: number): number {
  const h = open(dir);
  const writer = new HistoryWriter(h.db);
  const t0 = performance.now();
  let at = Date.now() - DAY_MS;
  for (let i = 0; i < n; i++) {
    const e = result(i, at++);
    if (e.type !== 'result') continue;
    writer.write([{ kind: 'sample', sample: { targetKey: e.targetId, at: e.at, outcome: e.result.outcome, state: e.state, dnsMs: null, connectMs: e.result.connectMs, cause: null } }]);
  }
  const secs = (performance.now() - t0) / 1000;
  h.close();
  return n / secs;
}

/** 1,000 targets × 30 days of hour rows plus the last 24 h of minute rows (day rows are rolled up from them). */
function fillAggregates(db: Database.Database, now: number): { hourRows: number; minuteRows: number } {
  const hourTo = floorTo(now, HOUR_MS);
  const ins = (table: string) =>
    db.prepare(`INSERT INTO ${table} (target, location, bucket, count, failures, min_us, median_us, p95_us, max_us, up_ms, down_ms, paused_ms) VALUES (?, 'local', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`);
  const hour = ins('agg_hour');
  const minute = ins('agg_minute');
  const addTarget = db.prepare(`INSERT INTO targets (key, name, host, port, interval_ms, gap_limit_ms, first_seen, last_seen) VALUES (?, ?, '10.0.0.1', 5432, 10000, 32000, ?, ?)`);
  let hourRows = 0;
  let minuteRows = 0;
  db.transaction(() => {
    for (let t = 0; t < TARGETS; t++) {
      const id = Number(addTarget.run(`agg-${t}`, `agg-${t}`, now, now).lastInsertRowid);
      for (let b = hourTo - 30 * DAY_MS; b < hourTo; b += HOUR_MS) {
        const down = (b / HOUR_MS + t) % 500 === 0 ? 600_000 : 0;
        hour.run(id, b, 360, down ? 60 : 0, 200, 900 + (t % 7) * 10, 2000, 9000, HOUR_MS - down, down);
        hourRows++;
      }
      for (let b = floorTo(now, MINUTE_MS) - DAY_MS; b < now; b += MINUTE_MS) {
        minute.run(id, b, 6, 0, 200, 900, 2000, 3000, MINUTE_MS, 0);
        minuteRows++;
      }
    }
    setMeta(db, ROLLED_HOURS_TO, hourTo);
    setMeta(db, ROLLED_MINUTES_TO, floorTo(now, MINUTE_MS));
  })();
  return { hourRows, minuteRows };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** The recorder's periodic jobs at steady state: 1,000 targets every 10 s for an hour, then one minute and one hour rolled up. */
async function steadyRollups(dir: string): Promise<{ minuteMs: number; hourMs: number; sliceMs: number; samples: number }> {
  const h = open(dir);
  const recorder = new HistoryRecorder(h, { batchSize: Infinity, maxQueue: Infinity });
  const start = floorTo(Date.now(), HOUR_MS) - 2 * HOUR_MS;
  let samples = 0;
  for (let at = start; at < start + HOUR_MS + MINUTE_MS; at += 10_000) {
    for (let t = 0; t < TARGETS; t++) recorder.record(result(t, at + t));
    samples += TARGETS;
    recorder.flush();
  }
  const end = start + HOUR_MS + 5_000;
  rollupMinutes(h.db, end, { maxSpanMs: 2 * HOUR_MS }); // every minute of the hour, untimed
  setMeta(h.db, ROLLED_MINUTES_TO, start + HOUR_MS - MINUTE_MS);
  setMeta(h.db, ROLLED_HOURS_TO, start);
  h.db.pragma('wal_checkpoint(TRUNCATE)'); // time the jobs, not a checkpoint left over from filling
  const minute = time(() => rollupMinutes(h.db, end));
  const hour = time(() => rollupHours(h.db));
  // The recorder's way: the same jobs in slices of 50 targets; the longest slice is what a check may wait.
  setMeta(h.db, ROLLED_MINUTES_TO, start + HOUR_MS - MINUTE_MS);
  setMeta(h.db, ROLLED_HOURS_TO, start);
  let longest = 0;
  let last = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = performance.now();
      longest = Math.max(longest, t - last);
      last = t;
    };
    const hook = setInterval(tick, 0);
    void rollupInSlices(h.db, end).then(() => {
      clearInterval(hook);
      resolve();
    });
  });
  h.close();
  return { minuteMs: minute.ms, hourMs: hour.ms, sliceMs: longest, samples };
}

const root = mkdtempSync(join(tmpdir(), 'porthole-bench-history-'));
try {
  const N_BATCH = 300_000;
  const N_SINGLE = 5_000;
  const b = batched(join(root, 'batched'), N_BATCH);
  const s = singleRow(join(root, 'single'), N_SINGLE);
  console.log(`writes: batched ${Math.round(b.perSec).toLocaleString()} samples/s (${N_BATCH.toLocaleString()} samples, 2,000 per transaction)`);
  console.log(`        single-row ${Math.round(s).toLocaleString()} samples/s (${N_SINGLE.toLocaleString()} samples, one transaction each)`);
  console.log(`        ratio batched/single: ${(b.perSec / s).toFixed(1)}×`);
  console.log(`        5,000 checks/s costs ${((5000 / b.perSec) * 100).toFixed(1)}% of one core for history writes`);
  console.log(`size:   ${b.bytesPerSample.toFixed(1)} bytes per raw sample (file growth / rows, index included)`);

  const steady = await steadyRollups(join(root, 'steady'));
  console.log(`jobs:   1,000 targets at 10 s: minute roll-up ${steady.minuteMs.toFixed(0)} ms per minute, hour roll-up ${steady.hourMs.toFixed(0)} ms per hour in one go;`);
  console.log(`        in the recorder's slices of 50 targets the event loop waits at most ${steady.sliceMs.toFixed(0)} ms`);

  const h = open(join(root, 'report'));
  const now = Date.now();
  const before = fileBytes(h);
  const filled = time(() => fillAggregates(h.db, now));
  const days = time(() => rollupDays(h.db));
  console.log(`        day roll-up of 30 days × ${TARGETS} targets from hour rows: ${days.ms.toFixed(0)} ms (${days.value.buckets.toLocaleString()} day rows)`);
  const aggBytes = fileBytes(h) - before;
  const perAggRow = aggBytes / (filled.value.hourRows + filled.value.minuteRows + days.value.buckets);
  console.log(`        ${perAggRow.toFixed(1)} bytes per aggregate row (${(filled.value.hourRows + filled.value.minuteRows).toLocaleString()} rows filled in ${(filled.ms / 1000).toFixed(1)}s)`);
  const perDay = (8640 * b.bytesPerSample) / 1024;
  const steadyMiB = (2 * 8640 * b.bytesPerSample + 30 * 1440 * perAggRow + 365 * 24 * perAggRow) / 1024 / 1024;
  console.log(`        per target at a 10 s interval: raw ${perDay.toFixed(0)} KiB/day, minute rows ${((1440 * perAggRow) / 1024).toFixed(0)} KiB/day, hour rows ${((24 * perAggRow) / 1024).toFixed(1)} KiB/day`);
  console.log(`        steady state per target (48 h raw + 30 d minutes + 1 y hours): ${steadyMiB.toFixed(1)} MiB`);

  const q = new HistoryQueries(h.db);
  const runs = [0, 1, 2].map(() => time(() => q.figures(now - 30 * DAY_MS, now)));
  const best = Math.min(...runs.map((r) => r.ms));
  const sample = runs[0]!.value.find((f) => f.targetId === 'agg-1');
  console.log(`report: --since 30d for ${runs[0]!.value.length.toLocaleString()} targets: best of 3 ${best.toFixed(0)} ms (first ${runs[0]!.ms.toFixed(0)} ms); agg-1 uptime ${sample?.uptime?.toFixed(5)}, p50 ${sample?.p50Ms}ms`);
  const day = time(() => q.figures(now - DAY_MS, now));
  console.log(`        --since 24h: ${day.ms.toFixed(0)} ms; uptimes(24h/7d/30d, no latency): ${time(() => q.uptimes(now)).ms.toFixed(0)} ms`);
  h.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
