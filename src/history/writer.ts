import type Database from 'better-sqlite3';
import type { Cause, Incident, State } from '../engine/types.js';

export interface TargetInfo {
  key: string;
  name: string;
  host: string;
  port: number;
  /** The check kind (absent: tcp). */
  kind?: string;
  intervalMs: number;
  gapLimitMs: number;
}

export interface SampleRecord {
  targetKey: string;
  at: number;
  /** null for a state mark (paused, resumed) that is not a check. */
  outcome: string | null;
  state: string;
  dnsMs: number | null;
  connectMs: number | null;
  cause: string | null;
  location?: string;
  /** A round of several measurements (ping): the lowest and highest time, and the share lost in percent. */
  lowMs?: number | null;
  highMs?: number | null;
  lossPct?: number | null;
}

export type WriteOp =
  | { kind: 'target'; target: TargetInfo; at: number }
  | { kind: 'sample'; sample: SampleRecord }
  | { kind: 'incident'; incident: Incident; location?: string };

export interface Committed {
  samples: number;
  /** Keys of the incidents whose opening or closing this transaction made durable. */
  incidents: string[];
}

const micros = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000));

/** Writes batches of operations, each batch in one transaction. Synchronous: the recorder decides when. */
export class HistoryWriter {
  private readonly ids = new Map<string, number>();
  private readonly upsertTarget: Database.Statement;
  private readonly findTarget: Database.Statement;
  private readonly insertSample: Database.Statement;
  private readonly upsertIncident: Database.Statement;
  private readonly batch: Database.Transaction<(ops: readonly WriteOp[]) => Committed>;

  constructor(private readonly db: Database.Database) {
    this.upsertTarget = db.prepare(`
      INSERT INTO targets (key, name, host, port, kind, interval_ms, gap_limit_ms, first_seen, last_seen)
      VALUES (@key, @name, @host, @port, @kind, @intervalMs, @gapLimitMs, @at, @at)
      ON CONFLICT(key) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port, kind = excluded.kind,
        interval_ms = excluded.interval_ms, gap_limit_ms = excluded.gap_limit_ms, last_seen = excluded.last_seen
      RETURNING id`);
    this.findTarget = db.prepare('SELECT id FROM targets WHERE key = ?').pluck();
    this.insertSample = db.prepare(
      'INSERT INTO samples (target, at, outcome, state, dns_us, connect_us, cause, location, low_us, high_us, loss_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertIncident = db.prepare(`
      INSERT INTO incidents (key, target, from_state, to_state, cause, evidence, started, ended, ended_by, location)
      VALUES (@key, @target, @from, @to, @cause, @evidence, @started, @ended, @endedBy, @location)
      ON CONFLICT(key) DO UPDATE SET ended = excluded.ended, ended_by = excluded.ended_by`);
    this.batch = db.transaction((ops: readonly WriteOp[]) => {
      const committed: Committed = { samples: 0, incidents: [] };
      for (const op of ops) this.apply(op, committed);
      return committed;
    });
  }

  write(ops: readonly WriteOp[]): Committed {
    return this.batch.immediate(ops);
  }

  /** Drops cached row ids: after a rolled-back transaction some may not exist. */
  forget(): void {
    this.ids.clear();
  }

  /** Row id for a target key; a key never announced gets a placeholder row named after it. */
  targetId(key: string, at = Date.now()): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const found = this.findTarget.get(key) as number | undefined;
    const id = found ?? this.saveTarget({ key, name: key, host: '', port: 0, intervalMs: 10_000, gapLimitMs: 60_000 }, at);
    this.ids.set(key, id);
    return id;
  }

  private saveTarget(t: TargetInfo, at: number): number {
    const row = this.upsertTarget.get({ ...t, kind: t.kind ?? 'tcp', at }) as { id: number };
    this.ids.set(t.key, row.id);
    return row.id;
  }

  private apply(op: WriteOp, committed: Committed): void {
    if (op.kind === 'target') {
      this.saveTarget(op.target, op.at);
    } else if (op.kind === 'sample') {
      const s = op.sample;
      this.insertSample.run(this.targetId(s.targetKey, s.at), s.at, s.outcome, s.state, micros(s.dnsMs), micros(s.connectMs), s.cause, s.location ?? 'local', micros(s.lowMs ?? null), micros(s.highMs ?? null), s.lossPct ?? null);
      committed.samples++;
    } else {
      const i = op.incident;
      this.upsertIncident.run({
        key: i.id,
        target: this.targetId(i.targetId, i.started),
        from: i.from,
        to: i.to,
        cause: i.cause,
        evidence: i.evidence,
        started: i.started,
        ended: i.ended,
        endedBy: i.ended === null ? null : (i.endedBy ?? 'recovered'),
        location: op.location ?? 'local',
      });
      committed.incidents.push(i.id);
    }
  }

  /**
   * Incidents left open by a run that ended (quit or crash) stay open: the next run carries each on.
   * At start, those of a target no longer configured (`removed`) or now at another host or port
   * (`changed`) end where the earlier run last saw the target; what happened after is unknown. A
   * target never has two open incidents; should an old history hold more, the older ones end the
   * same way (`monitor-stopped`). Returns the open incident to carry on, per target key.
   */
  settleOpenIncidents(current: ReadonlyMap<string, { host: string; port: number }>): Map<string, Incident> {
    const open = this.db
      .prepare(
        `SELECT i.id, i.key, i.target, i.from_state, i.to_state, i.cause, i.evidence, i.started, t.key AS target_key, t.host, t.port
         FROM incidents i JOIN targets t ON t.id = i.target WHERE i.ended IS NULL ORDER BY i.started DESC, i.id DESC`,
      )
      .all() as OpenRow[];
    const lastSeen = this.db.prepare('SELECT max(at) FROM samples WHERE target = ? AND at >= ? AND outcome IS NOT NULL').pluck();
    const close = this.db.prepare('UPDATE incidents SET ended = ?, ended_by = ? WHERE id = ?');
    const carried = new Map<string, Incident>();
    this.db.transaction(() => {
      for (const row of open) {
        const now = current.get(row.target_key);
        // A placeholder target row (never announced) has no endpoint to compare.
        const known = row.host !== '' || row.port !== 0;
        const endedBy = !now ? 'removed' : known && (now.host !== row.host || now.port !== row.port) ? 'changed' : carried.has(row.target_key) ? 'monitor-stopped' : undefined;
        if (endedBy === undefined) {
          carried.set(row.target_key, {
            id: row.key,
            targetId: row.target_key,
            from: row.from_state as State,
            to: row.to_state as State,
            cause: row.cause as Cause,
            evidence: row.evidence,
            started: row.started,
            ended: null,
            durationMs: null,
          });
          continue;
        }
        const last = lastSeen.get(row.target, row.started) as number | null;
        close.run(Math.max(row.started, last ?? row.started), endedBy, row.id);
      }
    }).immediate();
    return carried;
  }
}

interface OpenRow {
  id: number;
  key: string;
  target: number;
  from_state: string;
  to_state: string;
  cause: string;
  evidence: string;
  started: number;
  target_key: string;
  host: string;
  port: number;
}
