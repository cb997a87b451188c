import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AlertItem } from '../notify/types.js';
import { ClusterView } from './cluster-view.js';
import { INCIDENTS_BUCKET, parseIncidentRecord, seenText, type IncidentRecord } from './incident-record.js';
import { encodeToken } from './names.js';
import type { QuorumView } from './quorum.js';
import { followNewest } from './read-results.js';

export interface AlertSink {
  raise(item: AlertItem, channels: readonly string[]): void;
  status(alertId: string): 'pending' | 'delivered' | 'failed' | undefined;
  /** Channel names for a target's alerts. */
  channelsFor(targetId: string): readonly string[];
}

export type AggregatorLog = (event: string, fields: Record<string, string | number | boolean | undefined>) => void;

const TICK_MS = 250;
/** Every this many ticks, every target is looked at, not only those whose quorum may have moved. */
const FULL_PASS_TICKS = 20;

/**
 * The lease holder's work: follows every location's newest results, computes each target's quorum,
 * and opens and closes cluster incidents — DOWN when a majority of the fresh locations see it down,
 * recovered when that is no longer so — with exactly one alert each, through the durable outbox.
 * The incident and whether its alerts were delivered live in a KV bucket, so the next holder
 * neither repeats nor forgets one.
 */
export class Aggregator {
  private kv: KV | undefined;
  private readonly view = new ClusterView();
  private readonly records = new Map<string, { rec: IncidentRecord; revision: number }>();
  private stopFollow: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private caughtUp = false;
  private ticks = 0;
  /** Targets whose incident could not be written (another holder wrote first): looked at again next tick. */
  private readonly undecided = new Set<string>();
  private active = false;
  private busy = false;
  /** Results refused by checkResultMessage since this agent started (forged location, time a day off …). */
  refused = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly sink: AlertSink,
    private readonly log: AggregatorLog,
  ) {}

  /** Becomes the aggregator: reads the incidents, catches up with the results, then acts. */
  async activate(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.caughtUp = false;
    this.ticks = 0;
    this.undecided.clear();
    this.kv ??= await new Kvm(this.nc).create(INCIDENTS_BUCKET, { history: 1 });
    this.records.clear();
    for await (const key of await this.kv.keys()) {
      const e = await this.kv.get(key);
      const rec = e && e.operation === 'PUT' ? parseIncidentRecord(e.value) : undefined;
      if (e && rec) this.records.set(rec.targetId, { rec, revision: e.revision });
    }
    // What the last holder raised but did not see delivered is raised again (same alert id).
    for (const { rec } of this.records.values()) {
      if (!rec.downSent) this.raiseDown(rec);
      if (rec.ended !== undefined && rec.recoverySent === false) this.raiseRecovery(rec);
    }
    this.stopFollow = await followNewest(this.nc, {
      onResult: (r) => this.view.add(r.message),
      onDropped: () => this.refused++,
      onCaughtUp: () => (this.caughtUp = true),
    });
    this.log('aggregator', { role: 'active', openIncidents: [...this.records.values()].filter((r) => r.rec.ended === undefined).length });
    this.schedule();
  }

  deactivate(reason: string): void {
    if (!this.active) return;
    this.active = false;
    this.stopFollow?.();
    this.stopFollow = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.log('aggregator', { role: 'standby', reason });
  }

  /** The quorum views while this agent aggregates; undefined on standby. */
  views(now = Date.now()): QuorumView[] | undefined {
    return this.active && this.caughtUp ? this.view.views(now) : undefined;
  }

  private schedule(): void {
    if (!this.active) return;
    this.timer = setTimeout(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.caughtUp) await this.step(Date.now());
    } catch (err) {
      this.log('warning', { message: `aggregator: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private async step(now: number): Promise<void> {
    const again = [...this.undecided];
    this.undecided.clear();
    const views = this.view.look(now, { all: this.ticks++ % FULL_PASS_TICKS === 0, again });
    for (const v of views) {
      const held = this.records.get(v.id);
      const open = held && held.rec.ended === undefined ? held.rec : undefined;
      if (v.state === 'DOWN' && !open) {
        const rec: IncidentRecord = { id: `cluster:${v.id}#${now}`, targetId: v.id, name: v.name, host: v.host, port: v.port, started: now, cause: v.exposed.length ? `exposed: answered from ${v.exposed.join(', ')}` : `down from ${v.down}/${v.voters} locations`, seen: seenText(v, now), downSent: false };
        if (await this.write(rec, held?.revision)) {
          this.log('cluster-incident-opened', { target: v.name, id: rec.id, quorum: v.label, seen: rec.seen });
          this.raiseDown(rec);
        } else this.undecided.add(v.id);
      } else if (open && (v.state === 'UP' || v.state === 'PARTIAL')) {
        const rec: IncidentRecord = { ...open, ended: now, endSeen: seenText(v, now), recoverySent: false };
        if (await this.write(rec, held?.revision)) {
          this.log('cluster-incident-closed', { target: v.name, id: rec.id, quorum: v.label, durationMs: now - rec.started });
          this.raiseRecovery(rec);
        } else this.undecided.add(v.id);
      }
    }
    // Delivered alerts are marked, so a later holder does not send them again.
    for (const { rec, revision } of [...this.records.values()]) {
      if (!rec.downSent && this.sink.status(`down:${rec.id}`) === 'delivered') await this.write({ ...rec, downSent: true }, revision);
      else if (rec.ended !== undefined && rec.recoverySent === false && this.sink.status(`recovery:${rec.id}`) === 'delivered') await this.write({ ...rec, recoverySent: true }, revision);
    }
  }

  /** Compare-and-set on the record's revision: two holders at once cannot both open an incident. */
  private async write(rec: IncidentRecord, revision: number | undefined): Promise<boolean> {
    const kv = this.kv;
    if (!kv) return false;
    const key = encodeToken(rec.targetId);
    try {
      const next = revision === undefined ? await kv.create(key, JSON.stringify(rec)) : await kv.update(key, JSON.stringify(rec), revision);
      this.records.set(rec.targetId, { rec, revision: next });
      return true;
    } catch {
      // Someone else wrote it: take theirs and decide again next tick.
      const e = await kv.get(key).catch(() => null);
      const theirs = e && e.operation === 'PUT' ? parseIncidentRecord(e.value) : undefined;
      if (e && theirs) this.records.set(rec.targetId, { rec: theirs, revision: e.revision });
      return false;
    }
  }

  private raiseDown(rec: IncidentRecord): void {
    this.sink.raise(
      { alertId: `down:${rec.id}`, kind: 'down', targetId: rec.targetId, name: rec.name, host: rec.host, port: rec.port, from: 'UP', to: 'DOWN', cause: rec.cause, evidence: rec.seen, started: rec.started, at: rec.started, location: 'cluster', incidentId: rec.id },
      this.sink.channelsFor(rec.targetId),
    );
  }

  private raiseRecovery(rec: IncidentRecord): void {
    const ended = rec.ended ?? Date.now();
    this.sink.raise(
      { alertId: `recovery:${rec.id}`, kind: 'recovery', targetId: rec.targetId, name: rec.name, host: rec.host, port: rec.port, from: 'DOWN', to: 'UP', cause: rec.cause, evidence: rec.endSeen ?? rec.seen, started: rec.started, at: ended, durationMs: ended - rec.started, location: 'cluster', incidentId: rec.id },
      this.sink.channelsFor(rec.targetId),
    );
  }
}
