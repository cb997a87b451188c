import type Database from 'better-sqlite3';
import type { Cause, Incident, State } from '../engine/types.js';
import { DAY_MS, floorTo, getMetaNumber, ROLLED_DAYS_TO, ROLLED_HOURS_TO } from './meta.js';
import { planRanges } from './ranges.js';
import type { AggregateTable } from './rollup.js';
import { weightedQuantile, type Weighted } from './quantile.js';
import { uptimeRatio } from './timeline.js';

export interface StoredSample {
  at: number;
  /** null for a pause/resume mark. */
  outcome: string | null;
  state: string;
  dnsMs: number | null;
  connectMs: number | null;
  cause: string | null;
  location: string;
}

/** An incident as the engine describes it, plus the target's current name and the location. */
export interface StoredIncident extends Omit<Incident, 'endedBy'> {
  /** 'monitor-stopped': porthole was stopped (or crashed) while it was open; it ends where the target was last seen. */
  endedBy?: NonNullable<Incident['endedBy']> | 'monitor-stopped';
  targetName: string;
  location: string;
}

export interface TargetFigures {
  targetId: string;
  name: string;
  host: string;
  port: number;
  /** up / (up + down), time-weighted; null when nothing is known in the window. */
  uptime: number | null;
  upMs: number;
  downMs: number;
  pausedMs: number;
  /** Window time with no observation: the monitor was not running. */
  unknownMs: number;
  checks: number;
  failures: number;
  /** Outages (incidents into DOWN) overlapping the window. */
  incidents: number;
  slowIncidents: number;
  /** Mean duration of those outages that have ended. */
  mttrMs: number | null;
  longestOutageMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface DailyLatency {
  day: number;
  checks: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export const WINDOWS = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS } as const;
export type WindowName = keyof typeof WINDOWS;

interface Acc {
  up: number;
  down: number;
  paused: number;
  checks: number;
  failures: number;
  medians: Weighted[];
  p95s: Weighted[];
}

const ms = (us: number | null): number | null => (us === null ? null : us / 1000);

const INCIDENT_COLUMNS = `i.key, t.key AS target_key, t.name AS target_name, i.from_state, i.to_state, i.cause, i.evidence, i.started, i.ended, i.ended_by, i.location`;

function toIncident(r: Record<string, unknown>): StoredIncident {
  const ended = r.ended as number | null;
  const started = r.started as number;
  return {
    id: r.key as string,
    targetId: r.target_key as string,
    targetName: r.target_name as string,
    from: r.from_state as State,
    to: r.to_state as State,
    cause: r.cause as Cause,
    evidence: r.evidence as string,
    started,
    ended,
    durationMs: ended === null ? null : ended - started,
    ...(r.ended_by ? { endedBy: r.ended_by as NonNullable<StoredIncident['endedBy']> } : {}),
    location: r.location as string,
  };
}

/** Read side of the history: what the console seeds itself with after a restart, and what reports show. */
export class HistoryQueries {
  constructor(private readonly db: Database.Database) {}

  /** The last checks of one target, oldest first (for sparklines and the chart). */
  recentSamples(targetId: string, options: { limit?: number; since?: number; includeMarks?: boolean } = {}): StoredSample[] {
    const rows = this.db
      .prepare(
        `SELECT s.at, s.outcome, s.state, s.dns_us, s.connect_us, s.cause, s.location FROM samples s JOIN targets t ON t.id = s.target
         WHERE t.key = ? AND s.at >= ? ${options.includeMarks ? '' : 'AND s.outcome IS NOT NULL'} ORDER BY s.at DESC LIMIT ?`,
      )
      .all(targetId, options.since ?? 0, options.limit ?? 120) as Record<string, unknown>[];
    return rows.reverse().map((r) => ({
      at: r.at as number,
      outcome: r.outcome as string | null,
      state: r.state as string,
      dnsMs: ms(r.dns_us as number | null),
      connectMs: ms(r.connect_us as number | null),
      cause: r.cause as string | null,
      location: r.location as string,
    }));
  }

  /** Connect times of the last `limit` checks of every target (null: failed), oldest first — the engine's `recent` shape. */
  recentConnectTimes(limit = 120): Map<string, (number | null)[]> {
    const out = new Map<string, (number | null)[]>();
    const stmt = this.db.prepare('SELECT outcome, connect_us FROM samples WHERE target = ? AND outcome IS NOT NULL ORDER BY at DESC LIMIT ?');
    for (const t of this.db.prepare('SELECT id, key FROM targets').all() as { id: number; key: string }[]) {
      const rows = stmt.all(t.id, limit) as { outcome: string; connect_us: number | null }[];
      out.set(t.key, rows.reverse().map((r) => (r.outcome === 'open' ? ms(r.connect_us) : null)));
    }
    return out;
  }

  /** Newest first. */
  recentIncidents(options: { limit?: number; since?: number; targetId?: string } = {}): StoredIncident[] {
    const rows = this.db
      .prepare(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents i JOIN targets t ON t.id = i.target
         WHERE (i.ended IS NULL OR i.ended >= @since) AND (@target IS NULL OR t.key = @target) ORDER BY i.started DESC, i.id DESC LIMIT @limit`,
      )
      .all({ since: options.since ?? 0, target: options.targetId ?? null, limit: options.limit ?? 100 }) as Record<string, unknown>[];
    return rows.map(toIncident);
  }

  openIncidents(): StoredIncident[] {
    const rows = this.db.prepare(`SELECT ${INCIDENT_COLUMNS} FROM incidents i JOIN targets t ON t.id = i.target WHERE i.ended IS NULL ORDER BY i.started DESC`).all() as Record<string, unknown>[];
    return rows.map(toIncident);
  }

  /** Uptime over 24 h, 7 d and 30 d for every target (null: nothing known). */
  uptimes(now = Date.now()): Map<string, Record<WindowName, number | null>> {
    const out = new Map<string, Record<WindowName, number | null>>();
    for (const name of Object.keys(WINDOWS) as WindowName[]) {
      for (const f of this.figures(now - WINDOWS[name], now, { latency: false })) {
        const entry = out.get(f.targetId) ?? { '24h': null, '7d': null, '30d': null };
        entry[name] = f.uptime;
        out.set(f.targetId, entry);
      }
    }
    return out;
  }

  /** Every figure of the report for [from, to), one entry per target known to the history. */
  figures(from: number, to: number, options: { latency?: boolean } = {}): TargetFigures[] {
    const latency = options.latency ?? true;
    const acc = new Map<number, Acc>();
    for (const r of this.ranges(from, to)) this.accumulate(acc, r.table, r.from, r.to, latency);
    const incidents = new Map(
      (
        this.db
          .prepare(
            `SELECT target,
               sum(to_state = 'DOWN') AS outages, sum(to_state = 'SLOW') AS slow,
               avg(CASE WHEN to_state = 'DOWN' AND ended IS NOT NULL THEN ended - started END) AS mttr,
               max(CASE WHEN to_state = 'DOWN' THEN coalesce(ended, @to) - started END) AS longest
             FROM incidents WHERE started < @to AND (ended IS NULL OR ended > @from) GROUP BY target`,
          )
          .all({ from, to }) as { target: number; outages: number; slow: number; mttr: number | null; longest: number | null }[]
      ).map((r) => [r.target, r]),
    );
    const targets = this.db.prepare('SELECT id, key, name, host, port FROM targets ORDER BY name').all() as { id: number; key: string; name: string; host: string; port: number }[];
    return targets.map((t) => {
      const a = acc.get(t.id);
      const inc = incidents.get(t.id);
      const up = a?.up ?? 0;
      const down = a?.down ?? 0;
      const paused = a?.paused ?? 0;
      const p50 = a ? weightedQuantile(a.medians, 0.5) : undefined;
      const p95 = a ? weightedQuantile(a.p95s, 0.95) : undefined;
      return {
        targetId: t.key,
        name: t.name,
        host: t.host,
        port: t.port,
        uptime: uptimeRatio({ upMs: up, downMs: down }),
        upMs: up,
        downMs: down,
        pausedMs: paused,
        unknownMs: Math.max(0, to - from - up - down - paused),
        checks: a?.checks ?? 0,
        failures: a?.failures ?? 0,
        incidents: inc?.outages ?? 0,
        slowIncidents: inc?.slow ?? 0,
        mttrMs: inc?.mttr ?? null,
        longestOutageMs: inc?.longest ?? null,
        p50Ms: p50 === undefined ? null : p50 / 1000,
        p95Ms: p95 === undefined ? null : p95 / 1000,
      };
    });
  }

  /** Handshake p50/p95 per calendar day (UTC) for one target, oldest first. */
  dailyLatency(targetId: string, from: number, to: number): DailyLatency[] {
    const id = this.db.prepare('SELECT id FROM targets WHERE key = ?').pluck().get(targetId) as number | undefined;
    if (id === undefined) return [];
    const days = new Map<number, { checks: number; medians: Weighted[]; p95s: Weighted[] }>();
    for (const r of this.ranges(from, to)) {
      const rows = this.db
        .prepare(`SELECT bucket, count - failures, count, median_us, p95_us FROM ${r.table} WHERE target = ? AND bucket >= ? AND bucket < ?`)
        .raw()
        .all(id, r.from, r.to) as [number, number, number, number | null, number | null][];
      for (const [bucket, n, count, median, p95] of rows) {
        const day = floorTo(bucket, DAY_MS);
        let d = days.get(day);
        if (!d) days.set(day, (d = { checks: 0, medians: [], p95s: [] }));
        d.checks += count;
        if (median !== null) d.medians.push({ value: median, weight: n });
        if (p95 !== null) d.p95s.push({ value: p95, weight: n });
      }
    }
    return [...days.entries()]
      .sort(([a], [b]) => a - b)
      .map(([day, d]) => ({ day, checks: d.checks, p50Ms: ms(weightedQuantile(d.medians, 0.5) ?? null), p95Ms: ms(weightedQuantile(d.p95s, 0.95) ?? null) }));
  }

  private ranges(from: number, to: number) {
    return planRanges(from, to, { hours: getMetaNumber(this.db, ROLLED_HOURS_TO) ?? -Infinity, days: getMetaNumber(this.db, ROLLED_DAYS_TO) ?? -Infinity });
  }

  private accumulate(acc: Map<number, Acc>, table: AggregateTable, from: number, to: number, latency: boolean): void {
    if (to <= from) return;
    // One range per target on the (target, bucket) primary key: the cost follows the window, not the table.
    const sums = this.db.prepare(`SELECT sum(up_ms), sum(down_ms), sum(paused_ms), sum(count), sum(failures) FROM ${table} WHERE target = ? AND bucket >= ? AND bucket < ?`).raw();
    const stats = this.db.prepare(`SELECT count - failures, median_us, p95_us FROM ${table} WHERE target = ? AND bucket >= ? AND bucket < ? AND median_us IS NOT NULL`).raw();
    for (const target of this.db.prepare('SELECT id FROM targets').pluck().all() as number[]) {
      const [up, down, paused, checks, failures] = sums.get(target, from, to) as [number | null, number | null, number | null, number | null, number | null];
      if (up === null) continue;
      const a = acc.get(target) ?? { up: 0, down: 0, paused: 0, checks: 0, failures: 0, medians: [], p95s: [] };
      a.up += up;
      a.down += down ?? 0;
      a.paused += paused ?? 0;
      a.checks += checks ?? 0;
      a.failures += failures ?? 0;
      acc.set(target, a);
      if (!latency) continue;
      // all() rather than iterate(): far less overhead per row.
      for (const [n, median, p95] of stats.all(target, from, to) as [number, number, number][]) {
        a.medians.push({ value: median, weight: n });
        a.p95s.push({ value: p95, weight: n });
      }
    }
  }
}
