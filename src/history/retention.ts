import type Database from 'better-sqlite3';
import { DAY_MS, getMetaNumber, HOUR_MS, ROLLED_DAYS_TO, ROLLED_HOURS_TO, ROLLED_MINUTES_TO } from './meta.js';
import { rollup, rollupInSlices } from './rollup.js';

export interface Retention {
  /** Raw samples (default 48 h). */
  rawMs: number;
  /** Per-minute aggregates (default 30 d). */
  minuteMs: number;
  /** Per-hour and per-day aggregates and incidents (default 1 year). */
  hourMs: number;
}

export const DEFAULT_RETENTION: Readonly<Retention> = Object.freeze({ rawMs: 48 * HOUR_MS, minuteMs: 30 * DAY_MS, hourMs: 365 * DAY_MS });

export interface PruneReport {
  samples: number;
  minuteRows: number;
  hourRows: number;
  dayRows: number;
  incidents: number;
}

/**
 * Deletes what retention no longer keeps, `slice` targets per step. Data is only removed once the
 * next level holds its summary: raw samples not yet rolled into minutes, and minutes not yet rolled
 * into hours, are kept whatever their age.
 */
function* pruneSteps(db: Database.Database, now: number, retention: Retention, slice: number): Generator<void, PruneReport> {
  const rolledMinutes = getMetaNumber(db, ROLLED_MINUTES_TO) ?? -Infinity;
  const rolledHours = getMetaNumber(db, ROLLED_HOURS_TO) ?? -Infinity;
  const rolledDays = getMetaNumber(db, ROLLED_DAYS_TO) ?? -Infinity;
  const rawCutoff = Math.min(now - retention.rawMs, rolledMinutes);
  const minuteCutoff = Math.min(now - retention.minuteMs, rolledHours);
  const hourCutoff = Math.min(now - retention.hourMs, rolledDays);
  const dayCutoff = now - retention.hourMs;
  const report: PruneReport = { samples: 0, minuteRows: 0, hourRows: 0, dayRows: 0, incidents: 0 };
  const targets = db.prepare('SELECT id FROM targets').pluck().all() as number[];
  // Per target, so each delete is a range on the (target, time) key rather than a table scan.
  const delSamples = db.prepare('DELETE FROM samples WHERE target = ? AND at < ?');
  const delMinutes = db.prepare('DELETE FROM agg_minute WHERE target = ? AND bucket < ?');
  const delHours = db.prepare('DELETE FROM agg_hour WHERE target = ? AND bucket < ?');
  const delDays = db.prepare('DELETE FROM agg_day WHERE target = ? AND bucket < ?');
  for (let i = 0; i < targets.length; i += slice) {
    const part = targets.slice(i, i + slice);
    db.transaction(() => {
      for (const id of part) {
        if (Number.isFinite(rawCutoff)) report.samples += delSamples.run(id, rawCutoff).changes;
        if (Number.isFinite(minuteCutoff)) report.minuteRows += delMinutes.run(id, minuteCutoff).changes;
        if (Number.isFinite(hourCutoff)) report.hourRows += delHours.run(id, hourCutoff).changes;
        report.dayRows += delDays.run(id, dayCutoff).changes;
      }
    }).immediate();
    yield;
  }
  report.incidents = db.prepare('DELETE FROM incidents WHERE ended IS NOT NULL AND ended < ?').run(dayCutoff).changes;
  return report;
}

/** Rolls up, then applies retention, in one go (for `porthole history prune`). */
export function prune(db: Database.Database, now: number, retention: Retention = DEFAULT_RETENTION): PruneReport {
  rollup(db, now);
  const steps = pruneSteps(db, now, retention, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The same with the event loop free between slices of targets (for the recorder's hourly run). */
export async function pruneInSlices(db: Database.Database, now: number, retention: Retention = DEFAULT_RETENTION, slice = 20, stop: () => boolean = () => false): Promise<PruneReport | undefined> {
  await rollupInSlices(db, now, {}, 50, stop);
  const steps = pruneSteps(db, now, retention, slice);
  for (;;) {
    if (stop()) return undefined;
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
