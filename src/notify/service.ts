import { diagnose } from '../diagnosis/diagnose.js';
import type Database from 'better-sqlite3';
import type { NotifyConfig } from '../config/notify-config.js';
import type { Target } from '../config/target.js';
import type { Feed } from '../feed/feed.js';
import { openMemoryStore, type StoreDb } from '../store/index.js';
import { sanitize } from '../text/sanitize.js';
import type { BackoffSettings } from './backoff.js';
import { createChannels } from './channels/index.js';
import { Dispatcher } from './dispatcher.js';
import { HOST_HOLD_STEP_MS, hostCheckOf, hostHold } from './host-hold.js';
import { activeMaintenance } from './maintenance.js';
import { Outbox, type ChannelRecord } from './outbox.js';
import { AlertPolicy } from './policy.js';
import { Redactor } from './redact.js';
import { sendTestAlerts, type TestOutcome } from './test-alert.js';
import type { AlertItem, AlertMessage, Channel, SendResult } from './types.js';


export interface ChannelHealth {
  name: string;
  type: Channel['type'];
  /** Where it sends, without secrets. */
  destination: string;
  /** Alerts waiting for this channel (including ones being retried). */
  pending: number;
  /** Alerts given up on after alerts.giveUpAfter (kept in the outbox). */
  failed: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  /** Why the last failure failed (redacted, one line). */
  lastError?: string;
  /** failing: the last attempt failed; ok: it succeeded; idle: nothing sent yet. */
  status: 'ok' | 'failing' | 'idle';
}

export interface NotificationService {
  /** One entry per configured channel, in config order. Cheap: the console may call it on every frame. */
  health(): ChannelHealth[];
  /** Alerts not yet delivered, all channels together. */
  pending(): number;
  /** One line for the header when alerts are not durable or a channel is failing; undefined when all is well. */
  warning(): string | undefined;
  /** True while a maintenance window holds back this target's alerts (the console marks it). */
  inMaintenance(target: Pick<Target, 'id' | 'name' | 'tags'>, now?: number): boolean;
  /** The active window's name, for a tooltip-ish detail line. */
  maintenanceName(target: Pick<Target, 'id' | 'name' | 'tags'>, now?: number): string | undefined;
  /** Sends a marked test alert now, past the outbox, through one channel or all. */
  test(channel?: string): Promise<TestOutcome[]>;
  /**
   * Sends what is pending now (ending grouping holds and backoff waits) until nothing is left or the
   * deadline passes; resolves with how many are still pending. For a drain before exit.
   */
  flush(deadlineMs: number): Promise<number>;
  /** Stops sending (waiting briefly for sends in flight); pending alerts stay in the outbox for the next start. */
  close(): Promise<void>;
  /**
   * Puts an alert that did not come from this engine's own events (the cluster's quorum) into the
   * same durable outbox, for these channels (unknown names are left out). An alert id already in
   * the outbox is not raised again.
   */
  raiseExternal(item: AlertItem, channelNames: readonly string[]): void;
  /** Where an alert raised here stands (see Outbox.statusOf). */
  alertStatus(alertId: string): 'pending' | 'delivered' | 'failed' | undefined;
}

export interface StartNotificationsOptions {
  /** Where the checks run from, in every alert (default "local"). */
  location?: string;
  concurrency?: number;
  backoff?: BackoffSettings;
  now?: () => number;
  /** Called after every delivery attempt (for the agent's log). */
  onAttempt?: (channel: string, result: SendResult, message: AlertMessage) => void;
}

const GROUPED_KINDS = new Set(['down', 'recovery', 'reminder', 'slow']);

/**
 * Alerts for an engine: policy on its events, a durable outbox in the history database (or, with
 * history off, an in-memory one and a warning), a dispatcher sending in the background. Call before
 * engine.start() and after the engine was seeded with the history's open incidents (seedIncident):
 * those an earlier run alerted get their reminders and recovery. Pending alerts from an earlier run
 * go out at once.
 */
export function startNotifications(
  engine: Feed,
  config: { notify: NotifyConfig },
  history: { db: Database.Database | undefined } | undefined,
  options: StartNotificationsOptions = {},
): NotificationService {
  const notify = config.notify;
  const now = options.now ?? Date.now;
  const redactor = new Redactor(notify.secrets);
  const channels = createChannels(notify.notifiers, redactor);
  let ownDb: StoreDb | undefined;
  let db = history?.db;
  if (!db) {
    ownDb = openMemoryStore();
    db = ownDb.db;
  }
  const durable = ownDb === undefined;
  const outbox = new Outbox(db);
  let records = new Map<string, ChannelRecord>();
  const lastResult = new Map<string, boolean>();
  let lostWrites = 0;
  const refresh = () => {
    try {
      records = outbox.channelRecords();
    } catch {
      // keep the last figures while the database is failing
    }
  };
  refresh();

  const location = options.location ?? 'local';
  const dispatcher = new Dispatcher(outbox, channels, redactor, {
    groupWithinMs: notify.alerts.groupWithinMs,
    giveUpAfterMs: notify.alerts.giveUpAfterMs,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    now,
    // One message per host: a DOWN (or recovery) waits while the host's other checks are still confirming the same news.
    hold: (row, at) => {
      if (notify.alerts.groupWithinMs <= 0 || row.item.location !== location) return undefined;
      const host = row.item.host.toLowerCase();
      const others = engine.snapshot().filter((v) => v.target.id !== row.item.targetId && v.target.host.toLowerCase() === host);
      const d = hostHold({ kind: row.kind, started: row.item.started, created: row.created }, others.map(hostCheckOf), at);
      return d.go ? undefined : Math.min(d.until, at + HOST_HOLD_STEP_MS);
    },
    onAttempt: (name, result, message) => {
      lastResult.set(name, result.ok);
      refresh();
      options.onAttempt?.(name, result, message);
    },
  });

  const raise = (item: AlertItem, names: readonly string[]) => {
    if (names.length === 0) return;
    const grouped = GROUPED_KINDS.has(item.kind) && notify.alerts.groupWithinMs > 0;
    const groupKey = grouped ? `${item.kind}|${item.location}|${item.host}` : `${item.kind}|${item.alertId}`;
    try {
      outbox.enqueue(item, names, groupKey, grouped ? notify.alerts.groupWithinMs : 0);
    } catch {
      lostWrites++;
      return;
    }
    refresh();
    dispatcher.poke();
  };

  const policy = new AlertPolicy({
    alerts: notify.alerts,
    maintenance: notify.maintenance,
    target: (id) => engine.get(id)?.target,
    diagnosis: (id) => {
      // Only the host's own targets take part: one pass to find them, the rules on a handful.
      const host = engine.get(id)?.target.host.toLowerCase();
      if (host === undefined) return undefined;
      const views = engine.snapshot().filter((v) => v.target.host.toLowerCase() === host);
      return diagnose(views).find((d) => d.targetIds.includes(id))?.text;
    },
    state: (id) => engine.get(id)?.monitor.state,
    raise,
    channels: new Set(channels.keys()),
    raisedBefore: (id) => outbox.raisedFor(id),
    location,
    now,
  });
  for (const v of engine.snapshot()) if (v.monitor.incident) policy.adopt(v.monitor.incident);
  const unsubscribe = engine.subscribe(policy.onEvent);
  if (channels.size > 0) dispatcher.poke();

  return {
    health: () =>
      [...channels.values()].map((c) => {
        const r = records.get(c.name);
        const last = lastResult.get(c.name);
        const status = last === undefined ? (r?.lastSuccessAt !== undefined && (r.lastFailureAt ?? 0) <= r.lastSuccessAt ? 'ok' : r?.lastFailureAt !== undefined ? 'failing' : 'idle') : last ? 'ok' : 'failing';
        return {
          name: c.name,
          type: c.type,
          destination: redactor.redact(c.destination),
          pending: r?.pending ?? 0,
          failed: r?.failed ?? 0,
          ...(r?.lastSuccessAt !== undefined ? { lastSuccessAt: r.lastSuccessAt } : {}),
          ...(r?.lastFailureAt !== undefined ? { lastFailureAt: r.lastFailureAt } : {}),
          ...(r?.lastError !== undefined ? { lastError: sanitize(redactor.redact(r.lastError), 300) } : {}),
          status,
        };
      }),
    pending: () => [...records.values()].reduce((n, r) => n + r.pending, 0),
    warning: () => {
      const parts: string[] = [];
      if (!durable && channels.size > 0) parts.push('alerts: history is off, so alerts not yet sent are lost if porthole stops');
      if (lostWrites > 0) parts.push(`alerts: ${lostWrites} could not be written to the outbox`);
      const failing = [...channels.keys()].filter((n) => lastResult.get(n) === false);
      if (failing.length > 0) parts.push(`alerts: ${failing.join(', ')} failing`);
      return parts.length ? parts.join('; ') : undefined;
    },
    inMaintenance: (target, at = now()) => activeMaintenance(notify.maintenance, target, at) !== undefined,
    maintenanceName: (target, at = now()) => activeMaintenance(notify.maintenance, target, at)?.name,
    test: async (name) => (await sendTestAlerts(channels, name, options.location ?? 'local', now)).map((o) => ({ ...o, destination: redactor.redact(o.destination), detail: redactor.redact(o.detail) })),
    flush: async (deadlineMs) => {
      const until = Date.now() + deadlineMs;
      const left = () => {
        refresh();
        return [...records.values()].reduce((n, r) => n + r.pending, 0);
      };
      if (channels.size === 0) return left();
      dispatcher.endHolds();
      try {
        // Once: a channel that fails meanwhile is retried on its usual backoff, not hammered.
        outbox.expedite(now());
      } catch {
        return left();
      }
      dispatcher.poke();
      while (left() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return left();
    },
    raiseExternal: (item, names) => raise(item, names.filter((n) => channels.has(n))),
    alertStatus: (alertId) => {
      try {
        return outbox.statusOf(alertId);
      } catch {
        return undefined;
      }
    },
    close: async () => {
      unsubscribe();
      policy.close();
      await dispatcher.close();
      ownDb?.close();
    },
  };
}
