import type { Registry } from 'prom-client';
import type { EngineEvent, TargetView } from '../engine/types.js';
import { Row, TargetFamily, type Labels } from './family.js';
import { sameLabels, TARGET_LABELS, type LabelCache, type TargetLabels } from './labels.js';
import type { MetricsSource } from './source.js';

/**
 * Handshake buckets from 0.1 ms to 10 s, two per decade (1 and 3): loopback and same-rack
 * handshakes land in the first ones, LAN around 1 ms, WAN in the tens to hundreds of ms, and a
 * handshake over 10 s only in +Inf. Two per decade rather than the usual three keeps a per-target
 * histogram at 14 lines (bench/metrics; README "Prometheus metrics").
 */
export const HANDSHAKE_BUCKETS: readonly number[] = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const LE_LABELS: readonly Labels[] = [...HANDSHAKE_BUCKETS.map((b) => Object.freeze({ le: String(b) })), Object.freeze({ le: '+Inf' })];

class Handshakes {
  /** Observations per bucket (not cumulative); the last slot is past the largest bound. */
  readonly counts = new Array<number>(HANDSHAKE_BUCKETS.length + 1).fill(0);
  sum = 0;
  n = 0;

  observe(s: number): void {
    let i = 0;
    while (i < HANDSHAKE_BUCKETS.length && s > HANDSHAKE_BUCKETS[i]!) i++;
    this.counts[i]!++;
    this.sum += s;
    this.n++;
  }

  write(emit: (value: number, own: Labels | undefined, suffix: string) => void): void {
    let cumulative = 0;
    for (let i = 0; i < LE_LABELS.length; i++) {
      cumulative += this.counts[i]!;
      emit(cumulative, LE_LABELS[i], '_bucket');
    }
    emit(Math.round(this.sum * 1e9) / 1e9, undefined, '_sum');
    emit(this.n, undefined, '_count');
  }
}

/** What the events have told about one target since it appeared (or since its labels changed). */
interface TargetStats {
  row: Row<TargetLabels>;
  /** The per-target histogram's row, made with it: target and location only (host and port are on every other series). */
  histogramRow: Row | undefined;
  /** Per outcome: its own label ({outcome}) and the count. */
  checks: Map<string, { labels: Labels; n: number }>;
  /** Per cause: its own label ({cause}) and the count. */
  /** Per cause, made at the first incident (most targets have none). */
  incidents: Map<string, { labels: Labels; n: number }> | undefined;
  retries: number;
  /** The last result left a change being confirmed: the next check is a retry. */
  pending: boolean;
  handshakes: Handshakes | undefined;
}

export type HandshakeHistogram = 'target' | 'location';

/** Checks, retries and incidents per target and the handshake histogram, counted from engine events. */
export class EventStats {
  private readonly stats = new Map<string, TargetStats>();
  /** With the histogram per location: every target's handshakes together. */
  private readonly allHandshakes = new Handshakes();
  readonly families: TargetFamily[];

  constructor(
    registry: Registry,
    private readonly source: MetricsSource,
    private readonly labels: LabelCache,
    private readonly histogram: HandshakeHistogram,
  ) {
    this.sync(source.snapshot());
    const each = (fn: (s: TargetStats) => void) => {
      for (const s of this.stats.values()) fn(s);
    };
    const locationRow = new Row({ location: labels.location });
    this.families = [
      new TargetFamily(
        registry,
        { name: 'porthole_checks_total', help: 'Completed checks of the target by outcome (open, refused, timeout, unreachable, dns, error, mismatch, tls)', type: 'counter', labelNames: [...TARGET_LABELS, 'outcome'] },
        (emit) => each((s) => s.checks.forEach((c) => emit(s.row, c.n, c.labels))),
      ),
      new TargetFamily(
        registry,
        { name: 'porthole_retries_total', help: 'Checks made at the retry delay to confirm a change of state (a failure, or a recovery)', type: 'counter', labelNames: [...TARGET_LABELS] },
        // Absent until the first retry, as a counter that never counted: most targets never retry.
        (emit) => each((s) => s.retries > 0 && emit(s.row, s.retries)),
      ),
      new TargetFamily(
        registry,
        { name: 'porthole_incidents_total', help: 'Incidents opened (a confirmed DOWN or SLOW) by cause', type: 'counter', labelNames: [...TARGET_LABELS, 'cause'] },
        (emit) => each((s) => s.incidents?.forEach((c) => emit(s.row, c.n, c.labels))),
      ),
      new TargetFamily(
        registry,
        {
          name: 'porthole_handshake_seconds',
          help: 'TCP handshake time of checks that connected (SYN to established), seconds',
          type: 'histogram',
          labelNames: histogram === 'target' ? ['target', 'location'] : ['location'],
        },
        (emit) => {
          if (histogram === 'location') {
            if (this.allHandshakes.n > 0) this.allHandshakes.write((v, own, suffix) => emit(locationRow, v, own, suffix));
            return;
          }
          each((s) => s.handshakes?.write((v, own, suffix) => emit((s.histogramRow ??= new Row({ target: s.row.labels.target, location: s.row.labels.location })), v, own, suffix)));
        },
      ),
    ];
  }

  readonly onEvent = (e: EngineEvent): void => {
    switch (e.type) {
      case 'result': {
        const s = this.stats.get(e.targetId);
        if (!s) return;
        const outcome = e.result.outcome;
        let c = s.checks.get(outcome);
        if (!c) s.checks.set(outcome, (c = { labels: { outcome }, n: 0 }));
        c.n++;
        if (s.pending) s.retries++;
        const view = this.source.get?.(e.targetId);
        s.pending = view ? view.monitor.pending !== undefined : e.state === 'RETRYING';
        if (outcome === 'open' && e.result.connectMs !== null) {
          const sec = e.result.connectMs / 1000;
          if (this.histogram === 'location') this.allHandshakes.observe(sec);
          else (s.handshakes ??= new Handshakes()).observe(sec);
        }
        return;
      }
      case 'incident': {
        if (e.phase !== 'opened') return;
        const s = this.stats.get(e.incident.targetId);
        if (!s) return;
        const cause = e.incident.cause;
        s.incidents ??= new Map();
        let c = s.incidents.get(cause);
        if (!c) s.incidents.set(cause, (c = { labels: { cause }, n: 0 }));
        c.n++;
        return;
      }
      case 'targets':
        this.sync(this.source.snapshot());
        return;
      default:
        return;
    }
  };

  /** Follows added, removed and renamed targets: a gone target's series go; a renamed one starts afresh. */
  sync(views: readonly TargetView[]): void {
    const seen = new Set<string>();
    for (const v of views) {
      const id = v.target.id;
      seen.add(id);
      const row = this.labels.of(v.target);
      const s = this.stats.get(id);
      if (s && sameLabels(s.row.labels, row.labels)) continue;
      this.stats.set(id, {
        row,
        histogramRow: undefined,
        checks: new Map(),
        incidents: undefined,
        retries: 0,
        pending: false,
        handshakes: undefined,
      });
    }
    for (const id of this.stats.keys()) if (!seen.has(id)) this.stats.delete(id);
  }
}
