import { describeEndpoint } from '../checks/registry.js';
import { formatHostPort } from '../config/target.js';
import type { AlertSettings, MaintenanceWindow } from '../config/notify-config.js';
import type { Target } from '../config/target.js';
import type { EngineEvent, Incident, State } from '../engine/types.js';
import { inMaintenance } from './maintenance.js';
import type { AlertItem, AlertKind } from './types.js';

const verdictOf = (d: string | undefined): { diagnosis?: string } => (d ? { diagnosis: d } : {});

export interface PolicyOptions {
  alerts: AlertSettings;
  maintenance: readonly MaintenanceWindow[];
  /** The target as the engine has it now (names and notify lists may change at run time). */
  target: (id: string) => Target | undefined;
  /** The verdict for a target's host right now (src/diagnosis), if one covers it. */
  diagnosis?: (id: string) => string | undefined;
  /** The target's state now (after the event): a recovery says what it recovered to. */
  state: (id: string) => State | undefined;
  /** Writes the alert to the outbox for these channels. */
  raise: (item: AlertItem, channels: readonly string[]) => void;
  /** Channel names that exist (a target's notify list is checked against the config at load). */
  channels: ReadonlySet<string>;
  /**
   * Whether an alert was raised for this incident by an earlier run (the outbox remembers): an
   * incident carried over a restart gets its recovery, and its reminders go on where they stopped.
   */
  raisedBefore?: (incidentId: string) => { kind: 'down' | 'slow'; reminders: number } | undefined;
  location: string;
  now?: () => number;
}

interface Alerted {
  incident: Incident;
  reminders: number;
  timer?: NodeJS.Timeout;
}

/**
 * Decides which engine events become alerts: DOWN and its recovery always; SLOW and trend when
 * enabled; reminders while down when `remindEvery` is set; nothing for a target in maintenance.
 * A recovery is only sent for an incident whose alert was sent (by this run, or by an earlier one
 * for an incident carried over a restart), so nobody gets an "all clear" for a page they never got.
 * A pause does not end an incident, so its recovery comes when it recovers; no reminder goes out
 * while the target is paused.
 */
export class AlertPolicy {
  private readonly alerted = new Map<string, Alerted>();
  private readonly now: () => number;
  suppressed = 0;

  constructor(private readonly o: PolicyOptions) {
    this.now = o.now ?? Date.now;
  }

  readonly onEvent = (e: EngineEvent): void => {
    if (e.type === 'incident') {
      if (e.phase === 'opened') this.opened(e.incident);
      else this.closed(e.incident);
    } else if (e.type === 'trend' && e.phase === 'rising' && this.o.alerts.trend) {
      const t = this.o.target(e.targetId);
      if (!t || !this.wanted(t)) return;
      const evidence = `handshake ${Math.round(e.recentMs)}ms against a baseline of ${Math.round(e.baselineMs)}ms`;
      this.raise('trend', t, { from: 'UP', to: 'UP', cause: 'trend', evidence, started: e.at, alertId: `trend:${t.id}#${e.at}` });
    }
  };

  private channelsOf(t: Target): string[] {
    return (t.notify ?? []).filter((n) => this.o.channels.has(n));
  }

  /** Has channels and is not in maintenance. */
  private wanted(t: Target): boolean {
    if (this.channelsOf(t).length === 0) return false;
    if (inMaintenance(this.o.maintenance, t, this.now())) {
      this.suppressed++;
      return false;
    }
    return true;
  }

  private raise(kind: AlertKind, t: Target, f: Pick<AlertItem, 'from' | 'to' | 'cause' | 'evidence' | 'started' | 'alertId'> & { durationMs?: number; incidentId?: string }): void {
    const item: AlertItem = {
      kind,
      targetId: t.id,
      name: t.name,
      host: t.host,
      port: t.port,
      ...(t.service ? { service: t.service } : {}),
      ...(describeEndpoint(t) !== formatHostPort(t.host, t.port) ? { check: describeEndpoint(t) } : {}),
      ...verdictOf(this.o.diagnosis?.(t.id)),
      at: this.now(),
      location: this.o.location,
      ...f,
    };
    this.o.raise(item, this.channelsOf(t));
  }

  private opened(incident: Incident): void {
    const t = this.o.target(incident.targetId);
    if (!t) return;
    const kind = incident.to === 'DOWN' ? 'down' : incident.to === 'SLOW' && this.o.alerts.slow ? 'slow' : undefined;
    if (!kind || !this.wanted(t)) return;
    this.raise(kind, t, { from: incident.from, to: incident.to, cause: incident.cause, evidence: incident.evidence, started: incident.started, alertId: `${kind}:${incident.id}`, incidentId: incident.id });
    const entry: Alerted = { incident, reminders: 0 };
    this.alerted.set(incident.id, entry);
    if (kind === 'down') this.planReminder(entry);
  }

  /**
   * Takes on an incident carried over from an earlier run (seeded into the engine before it started):
   * when that run alerted it, its reminders go on and its recovery will be sent.
   */
  adopt(incident: Incident): void {
    if (this.alerted.has(incident.id) || incident.ended !== null) return;
    const before = this.raisedBeforeSafe(incident.id);
    if (!before) return;
    const entry: Alerted = { incident, reminders: before.reminders };
    this.alerted.set(incident.id, entry);
    if (before.kind === 'down') this.planReminder(entry);
  }

  private raisedBeforeSafe(id: string): ReturnType<NonNullable<PolicyOptions['raisedBefore']>> {
    try {
      return this.o.raisedBefore?.(id);
    } catch {
      return undefined; // the database is failing: no all-clear rather than a wrong one
    }
  }

  private closed(incident: Incident): void {
    // Not alerted in this run: it may have been by an earlier one, if the incident was carried over.
    const entry = this.alerted.get(incident.id) ?? (this.raisedBeforeSafe(incident.id) ? { incident, reminders: 0 } : undefined);
    if (!entry) return;
    this.alerted.delete(incident.id);
    if (entry.timer) clearTimeout(entry.timer);
    // Removed or changed (or, in older histories, paused): nobody saw it recover, so no all-clear is sent.
    if (incident.endedBy !== undefined && incident.endedBy !== 'recovered') return;
    const t = this.o.target(incident.targetId);
    if (!t || this.channelsOf(t).length === 0) return;
    const to = this.o.state(incident.targetId);
    this.raise('recovery', t, {
      from: incident.to,
      to: to === undefined || to === 'RETRYING' || to === 'UNKNOWN' ? 'UP' : to,
      cause: incident.cause,
      evidence: incident.evidence,
      started: incident.started,
      durationMs: incident.durationMs ?? (incident.ended ?? this.now()) - incident.started,
      alertId: `recovery:${incident.id}`,
      incidentId: incident.id,
    });
  }

  private planReminder(entry: Alerted): void {
    const every = this.o.alerts.remindEveryMs;
    if (every <= 0) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.alerted.get(entry.incident.id) !== entry) return;
      const t = this.o.target(entry.incident.targetId);
      if (t && this.o.state(t.id) !== 'PAUSED' && this.wanted(t)) {
        entry.reminders++;
        const inc = entry.incident;
        this.raise('reminder', t, {
          from: inc.from,
          to: inc.to,
          cause: inc.cause,
          evidence: inc.evidence,
          started: inc.started,
          durationMs: this.now() - inc.started,
          alertId: `reminder:${inc.id}:${entry.reminders}`,
          incidentId: inc.id,
        });
      }
      this.planReminder(entry);
    }, every);
    entry.timer.unref();
  }

  close(): void {
    for (const e of this.alerted.values()) if (e.timer) clearTimeout(e.timer);
    this.alerted.clear();
  }
}
