import type Database from 'better-sqlite3';

/**
 * Schema versions, applied in order on open and recorded in PRAGMA user_version. A migration only
 * adds: user data is never dropped. A database whose version is above the last one here was written
 * by a newer porthole and is refused without being touched (see open.ts).
 */
const MIGRATIONS: readonly string[] = [
  // 1: targets, raw samples, incidents, per-minute and per-hour aggregates.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- the config's stable target id
    name TEXT NOT NULL,                -- kept up to date; a rename keeps the history
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    interval_ms INTEGER NOT NULL,
    gap_limit_ms INTEGER NOT NULL,     -- silence longer than this is unknown time
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  -- outcome is NULL for a state mark (paused, resumed) that is not a check.
  CREATE TABLE samples (
    target INTEGER NOT NULL REFERENCES targets(id),
    at INTEGER NOT NULL,
    outcome TEXT,
    state TEXT NOT NULL,
    dns_us INTEGER,
    connect_us INTEGER,
    cause TEXT,
    location TEXT NOT NULL DEFAULT 'local'
  );
  CREATE INDEX samples_by_target_time ON samples(target, at);
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- the engine's incident id
    target INTEGER NOT NULL REFERENCES targets(id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    cause TEXT NOT NULL,
    evidence TEXT NOT NULL,
    started INTEGER NOT NULL,
    ended INTEGER,
    ended_by TEXT,
    location TEXT NOT NULL DEFAULT 'local'
  );
  CREATE INDEX incidents_by_start ON incidents(started);
  CREATE INDEX incidents_by_target ON incidents(target, started);
  CREATE INDEX incidents_open ON incidents(target) WHERE ended IS NULL;
  CREATE TABLE agg_minute (
    target INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    location TEXT NOT NULL DEFAULT 'local',
    count INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    min_us INTEGER, median_us INTEGER, p95_us INTEGER, max_us INTEGER,
    up_ms INTEGER NOT NULL, down_ms INTEGER NOT NULL, paused_ms INTEGER NOT NULL,
    PRIMARY KEY (target, bucket, location)
  ) WITHOUT ROWID;
  CREATE TABLE agg_hour (
    target INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    location TEXT NOT NULL DEFAULT 'local',
    count INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    min_us INTEGER, median_us INTEGER, p95_us INTEGER, max_us INTEGER,
    up_ms INTEGER NOT NULL, down_ms INTEGER NOT NULL, paused_ms INTEGER NOT NULL,
    PRIMARY KEY (target, bucket, location)
  ) WITHOUT ROWID;
  `,
  // 2: per-day aggregates, so a 30-day report reads 30 rows per target rather than 720.
  `
  CREATE TABLE agg_day (
    target INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    location TEXT NOT NULL DEFAULT 'local',
    count INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    min_us INTEGER, median_us INTEGER, p95_us INTEGER, max_us INTEGER,
    up_ms INTEGER NOT NULL, down_ms INTEGER NOT NULL, paused_ms INTEGER NOT NULL,
    PRIMARY KEY (target, bucket, location)
  ) WITHOUT ROWID;
  `,
  // 3: the alert outbox. One row per alert and channel, written before any send; a row leaves
  // 'pending' only as 'delivered' or (after alerts.giveUpAfter) 'failed'. Rows sent together in one
  // message share a batch, fixed at the first attempt so a retry resends the same message.
  `
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    alert_id TEXT NOT NULL,            -- in every payload, so a receiver can de-duplicate
    channel TEXT NOT NULL,             -- the notifier's name in the config
    kind TEXT NOT NULL,                -- down | recovery | slow | trend | reminder
    group_key TEXT NOT NULL,           -- alerts with the same key close together go out as one message
    payload TEXT NOT NULL,             -- the alert as JSON; never holds a secret (those stay in the config)
    status TEXT NOT NULL DEFAULT 'pending',
    batch TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    last_attempt INTEGER,
    last_error TEXT,
    delivered INTEGER,
    UNIQUE (alert_id, channel)
  );
  CREATE INDEX outbox_pending ON outbox(next_attempt) WHERE status = 'pending';
  CREATE INDEX outbox_by_channel ON outbox(channel, status);
  `,
  // 4: check kinds. Every target so far was a TCP check; connect_us stays each kind's main time (the
  // handshake, a ping's median round trip, a DNS query), and a ping round adds its spread and loss.
  `
  ALTER TABLE targets ADD COLUMN kind TEXT NOT NULL DEFAULT 'tcp';
  ALTER TABLE samples ADD COLUMN low_us INTEGER;
  ALTER TABLE samples ADD COLUMN high_us INTEGER;
  ALTER TABLE samples ADD COLUMN loss_pct REAL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings an older (or new, empty) database up to SCHEMA_VERSION (tests: `upTo` an older one), one transaction per step. */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): { from: number; to: number } {
  const from = schemaVersion(db);
  for (let v = from; v < Math.min(upTo, MIGRATIONS.length); v++) {
    const step = db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    });
    step.immediate();
  }
  return { from, to: Math.max(from, Math.min(upTo, MIGRATIONS.length)) };
}
