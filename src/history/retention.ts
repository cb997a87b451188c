import type Database from 'better-sqlite3';
import { DAY_MS, getMetaNumber, HOUR_MS, ROLLED_DAYS_TO, ROLLED_HOURS_TO, ROLLED_MINUTES_TO } from './meta.js';
import { rollup } from './rollup.js';

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
 * Applies retention. Data is only removed once the next level holds its summary: raw samples not
 * yet rolled into minutes, and minutes not yet rolled into hours, are kept whatever their age.
 */
export function prune(db: Database.Database, now: number, retention: Retention = DEFAULT_RETENTION): PruneReport {
  rollup(db, now);
  const rolledMinutes = getMetaNumber(db, ROLLED_MINUTES_TO) ?? -Infinity;
  const rolledHours = getMetaNumber(db, ROLLED_HOURS_TO) ?? -Infinity;
  const rawCutoff = Math.min(now - retention.rawMs, rolledMinutes);
  const minuteCutoff = Math.min(now - retention.minuteMs, rolledHours);
  const rolledDays = getMetaNumber(db, ROLLED_DAYS_TO) ?? -Infinity;
  const hourCutoff = Math.min(now - retention.hourMs, rolledDays);
  const dayCutoff = now - retention.hourMs;
  const report: PruneReport = { samples: 0, minuteRows: 0, hourRows: 0, dayRows: 0, incidents: 0 };
  const targets = db.prepare('SELECT id FROM targets').pluck().all() as number[];
  // Per target, so each delete is a range on the (target, at) index rather than a table scan.
  const delSamples = db.prepare('DELETE FROM samples WHERE target = ? AND at < ?');
  const delMinutes = db.prepare('DELETE FROM agg_minute WHERE target = ? AND bucket < ?');
  const delHours = db.prepare('DELETE FROM agg_hour WHERE target = ? AND bucket < ?');
  const delDays = db.prepare('DELETE FROM agg_day WHERE target = ? AND bucket < ?');
  db.transaction(() => {
    for (const id of targets) {
      if (Number.isFinite(rawCutoff)) report.samples += delSamples.run(id, rawCutoff).changes;
      if (Number.isFinite(minuteCutoff)) report.minuteRows += delMinutes.run(id, minuteCutoff).changes;
      if (Number.isFinite(hourCutoff)) report.hourRows += delHours.run(id, hourCutoff).changes;
      report.dayRows += delDays.run(id, dayCutoff).changes;
    }
    report.incidents = db.prepare('DELETE FROM incidents WHERE ended IS NOT NULL AND ended < ?').run(dayCutoff).changes;
  }).immediate();
  return report;
}
