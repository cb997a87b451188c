import type Database from 'better-sqlite3';
import type { AlertItem, AlertKind } from './types.js';

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxRow {
  id: number;
  alertId: string;
  channel: string;
  kind: AlertKind;
  groupKey: string;
  item: AlertItem;
  status: OutboxStatus;
  batch: string | null;
  attempts: number;
  created: number;
  nextAttempt: number;
  lastAttempt: number | null;
  lastError: string | null;
  delivered: number | null;
}

interface DbRow {
  id: number;
  alert_id: string;
  channel: string;
  kind: string;
  group_key: string;
  payload: string;
  status: string;
  batch: string | null;
  attempts: number;
  created: number;
  next_attempt: number;
  last_attempt: number | null;
  last_error: string | null;
  delivered: number | null;
}

function toRow(r: DbRow): OutboxRow {
  return {
    id: r.id,
    alertId: r.alert_id,
    channel: r.channel,
    kind: r.kind as AlertKind,
    groupKey: r.group_key,
    item: JSON.parse(r.payload) as AlertItem,
    status: r.status as OutboxStatus,
    batch: r.batch,
    attempts: r.attempts,
    created: r.created,
    nextAttempt: r.next_attempt,
    lastAttempt: r.last_attempt,
    lastError: r.last_error,
    delivered: r.delivered,
  };
}

export interface ChannelRecord {
  pending: number;
  /** Alerts given up on (after alerts.giveUpAfter). */
  failed?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastError?: string;
}

/** The durable outbox in the history database. Every method is one short statement or transaction. */
export class Outbox {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO outbox (alert_id, channel, kind, group_key, payload, created, next_attempt)
         VALUES (@alertId, @channel, @kind, @groupKey, @payload, @created, @nextAttempt)`,
      ),
      due: db.prepare(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`),
      nextDue: db.prepare(`SELECT min(next_attempt) FROM outbox WHERE status = 'pending'`).pluck(),
      groupMates: db.prepare(
        `SELECT * FROM outbox WHERE status = 'pending' AND batch IS NULL AND channel = ? AND group_key = ? AND created BETWEEN ? AND ? ORDER BY created, id`,
      ),
      batchRows: db.prepare(`SELECT * FROM outbox WHERE status = 'pending' AND channel = ? AND batch = ? ORDER BY created, id`),
      startAttempt: db.prepare(`UPDATE outbox SET batch = ?, attempts = attempts + 1, last_attempt = ? WHERE id = ?`),
      delivered: db.prepare(`UPDATE outbox SET status = 'delivered', delivered = ?, next_attempt = ? WHERE status = 'pending' AND channel = ? AND batch = ?`),
      retry: db.prepare(`UPDATE outbox SET last_error = ?, next_attempt = ? WHERE status = 'pending' AND channel = ? AND batch = ?`),
      expire: db.prepare(
        `UPDATE outbox SET status = 'failed', last_error = coalesce(last_error, 'never attempted') || ' (gave up after ' || ? || ')' WHERE status = 'pending' AND created < ?`,
      ),
      pendingByChannel: db.prepare(`SELECT channel, count(*) AS n FROM outbox WHERE status = 'pending' GROUP BY channel`),
      failedByChannel: db.prepare(`SELECT channel, count(*) AS n FROM outbox WHERE status = 'failed' GROUP BY channel`),
      lastSuccess: db.prepare(`SELECT channel, max(delivered) AS at FROM outbox WHERE status = 'delivered' GROUP BY channel`),
      lastFailure: db.prepare(
        `SELECT channel, last_attempt AS at, last_error AS error FROM outbox o
         WHERE last_error IS NOT NULL AND last_attempt = (SELECT max(last_attempt) FROM outbox WHERE channel = o.channel AND last_error IS NOT NULL)`,
      ),
      recent: db.prepare(`SELECT * FROM outbox ORDER BY id DESC LIMIT ?`),
      statusOf: db.prepare(`SELECT status, count(*) AS n FROM outbox WHERE alert_id = ? GROUP BY status`),
      postpone: db.prepare(`UPDATE outbox SET next_attempt = ? WHERE id = ? AND status = 'pending' AND batch IS NULL`),
      expedite: db.prepare(`UPDATE outbox SET next_attempt = ? WHERE status = 'pending' AND next_attempt > ?`),
      raisedFor: db.prepare(`SELECT kind FROM outbox WHERE alert_id IN (@down, @slow) ORDER BY id LIMIT 1`).pluck(),
      remindersFor: db.prepare(`SELECT count(DISTINCT alert_id) FROM outbox WHERE kind = 'reminder' AND substr(alert_id, 1, @n) = @prefix`).pluck(),
    };
  }

  /** Writes one item for each channel, in one transaction. An alert id already there for a channel is kept as is. */
  enqueue(item: AlertItem, channels: readonly string[], groupKey: string, holdMs: number): number {
    const payload = JSON.stringify(item);
    let added = 0;
    this.db.transaction(() => {
      for (const channel of channels) {
        added += this.stmts.insert.run({ alertId: item.alertId, channel, kind: item.kind, groupKey, payload, created: item.at, nextAttempt: item.at + holdMs }).changes;
      }
    })();
    return added;
  }

  due(now: number, limit: number): OutboxRow[] {
    return (this.stmts.due.all(now, limit) as DbRow[]).map(toRow);
  }

  nextDue(): number | undefined {
    const v = this.stmts.nextDue.get() as number | null;
    return v ?? undefined;
  }

  /**
   * Fixes which rows go out together with `lead` (its batch, formed on the first attempt from the
   * pending rows of the same group created within `windowMs` after it, and any still pending from
   * before it) and records the attempt —
   * committed before anything is sent, so a retry or a restart resends the same message.
   */
  beginAttempt(lead: OutboxRow, windowMs: number, now: number): OutboxRow[] {
    return this.db.transaction(() => {
      const batch = lead.batch ?? lead.alertId;
      // A lead held for the rest of its host (postpone) takes in what was raised while it waited, up to
      // now: the check that ends the hold may have raised its alert just after the lead's last due time.
      const window = lead.nextAttempt - lead.created > windowMs ? Math.max(windowMs, now - lead.created) : windowMs;
      // Rows of the group raised before the lead and never attempted are rows held for their host
      // (due order would have sent them first otherwise): they go with it. Held rows step at their own
      // phases, so the row whose step comes first after the host settles may be a later one.
      const rows = lead.batch
        ? (this.stmts.batchRows.all(lead.channel, lead.batch) as DbRow[])
        : (this.stmts.groupMates.all(lead.channel, lead.groupKey, 0, lead.created + window) as DbRow[]);
      // The lead is always among them: it is pending and either in this batch or unbatched in its own group.
      for (const r of rows) this.stmts.startAttempt.run(batch, now, r.id);
      return rows.map((r) => toRow({ ...r, batch, attempts: r.attempts + 1, last_attempt: now }));
    })();
  }

  /** A row not yet attempted waits until `until` (a grouping hold); a batched or settled row is left alone. */
  postpone(id: number, until: number): void {
    this.stmts.postpone.run(until, id);
  }

  markDelivered(channel: string, batch: string, now: number): void {
    this.stmts.delivered.run(now, now, channel, batch);
  }

  markRetry(channel: string, batch: string, error: string, nextAttempt: number): void {
    this.stmts.retry.run(error, nextAttempt, channel, batch);
  }

  /** Makes every pending row due now (grouping holds and backoff waits end): for a drain before exit. */
  expedite(now: number): number {
    return this.stmts.expedite.run(now, now).changes;
  }

  /** Gives up what has been pending longer than `maxAgeMs`; returns how many. */
  expire(now: number, maxAgeMs: number, maxAgeText: string): number {
    return this.stmts.expire.run(maxAgeText, now - maxAgeMs).changes;
  }

  channelRecords(): Map<string, ChannelRecord> {
    const out = new Map<string, ChannelRecord>();
    const get = (c: string) => {
      let r = out.get(c);
      if (!r) out.set(c, (r = { pending: 0 }));
      return r;
    };
    for (const r of this.stmts.pendingByChannel.all() as { channel: string; n: number }[]) get(r.channel).pending = r.n;
    for (const r of this.stmts.failedByChannel.all() as { channel: string; n: number }[]) get(r.channel).failed = r.n;
    for (const r of this.stmts.lastSuccess.all() as { channel: string; at: number | null }[]) if (r.at !== null) get(r.channel).lastSuccessAt = r.at;
    for (const r of this.stmts.lastFailure.all() as { channel: string; at: number | null; error: string }[]) {
      const rec = get(r.channel);
      if (r.at !== null) rec.lastFailureAt = r.at;
      rec.lastError = r.error;
    }
    return out;
  }

  /**
   * Whether an alert was raised for an incident (by this run or an earlier one), whatever became of
   * it: its kind ('down' or 'slow') and how many reminders followed. Undefined: none was.
   */
  raisedFor(incidentId: string): { kind: 'down' | 'slow'; reminders: number } | undefined {
    const kind = this.stmts.raisedFor.get({ down: `down:${incidentId}`, slow: `slow:${incidentId}` }) as 'down' | 'slow' | undefined;
    if (!kind) return undefined;
    const prefix = `reminder:${incidentId}:`;
    return { kind, reminders: this.stmts.remindersFor.get({ n: prefix.length, prefix }) as number };
  }

  /**
   * Where one alert stands across its channels: pending while any channel still has it to send,
   * delivered when every channel delivered it, failed when none is left to try and one gave up;
   * undefined when the outbox never had it.
   */
  statusOf(alertId: string): OutboxStatus | undefined {
    const rows = this.stmts.statusOf.all(alertId) as { status: OutboxStatus; n: number }[];
    if (rows.length === 0) return undefined;
    if (rows.some((r) => r.status === 'pending')) return 'pending';
    return rows.some((r) => r.status === 'failed') ? 'failed' : 'delivered';
  }

  /** Newest first, for display (payloads hold no secrets; errors were redacted before they were stored). */
  recent(limit = 50): OutboxRow[] {
    return (this.stmts.recent.all(limit) as DbRow[]).map(toRow);
  }
}
