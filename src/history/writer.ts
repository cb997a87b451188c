import type Database from 'better-sqlite3';
import type { Incident } from '../engine/types.js';

export interface TargetInfo {
  key: string;
  name: string;
  host: string;
  port: number;
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
      INSERT INTO targets (key, name, host, port, interval_ms, gap_limit_ms, first_seen, last_seen)
      VALUES (@key, @name, @host, @port, @intervalMs, @gapLimitMs, @at, @at)
      ON CONFLICT(key) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
        interval_ms = excluded.interval_ms, gap_limit_ms = excluded.gap_limit_ms, last_seen = excluded.last_seen
      RETURNING id`);
    this.findTarget = db.prepare('SELECT id FROM targets WHERE key = ?').pluck();
    this.insertSample = db.prepare(
      'INSERT INTO samples (target, at, outcome, state, dns_us, connect_us, cause, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
    const row = this.upsertTarget.get({ ...t, at }) as { id: number };
    this.ids.set(t.key, row.id);
    return row.id;
  }

  private apply(op: WriteOp, committed: Committed): void {
    if (op.kind === 'target') {
      this.saveTarget(op.target, op.at);
    } else if (op.kind === 'sample') {
      const s = op.sample;
      this.insertSample.run(this.targetId(s.targetKey, s.at), s.at, s.outcome, s.state, micros(s.dnsMs), micros(s.connectMs), s.cause, s.location ?? 'local');
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
   * Incidents left open by a run that ended (quit or crash) end where that run last saw the target:
   * what happened after is unknown. `keep` are incidents the running engine still has open.
   */
  closeAbandonedIncidents(endedBy: string, keep: ReadonlySet<string> = new Set()): number {
    const open = this.db.prepare('SELECT id, key, target, started FROM incidents WHERE ended IS NULL').all() as { id: number; key: string; target: number; started: number }[];
    const lastSeen = this.db.prepare('SELECT max(at) FROM samples WHERE target = ? AND at >= ?').pluck();
    const close = this.db.prepare('UPDATE incidents SET ended = ?, ended_by = ? WHERE id = ?');
    let closed = 0;
    this.db.transaction(() => {
      for (const inc of open) {
        if (keep.has(inc.key)) continue;
        const last = lastSeen.get(inc.target, inc.started) as number | null;
        close.run(Math.max(inc.started, last ?? inc.started), endedBy, inc.id);
        closed++;
      }
    }).immediate();
    return closed;
  }
}
