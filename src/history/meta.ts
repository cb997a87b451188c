import type Database from 'better-sqlite3';

export function getMetaNumber(db: Database.Database, key: string): number | undefined {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? undefined : Number(v);
}

export function setMeta(db: Database.Database, key: string, value: number | string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, String(value));
}

/** Minute aggregates are final before this time; later ones are recomputed from raw samples. */
export const ROLLED_MINUTES_TO = 'rolled_minutes_to';
/** Hour aggregates exist for every complete hour before this time. */
export const ROLLED_HOURS_TO = 'rolled_hours_to';

/** Day aggregates (UTC days) exist for every complete day before this time. */
export const ROLLED_DAYS_TO = 'rolled_days_to';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;
export const ceilTo = (t: number, unit: number): number => Math.ceil(t / unit) * unit;
