import type { IncomingMessage } from 'node:http';
import type { Incident, State, StateCounts, TargetView } from '../engine/types.js';
import type { Feed, FeedListener } from '../feed/feed.js';
import { API, fromWireView, type SnapshotBody, type StatusBody, type StreamEvent } from '../agent/api/wire.js';
import { agentJson, agentStream, type AgentEndpoint } from './http.js';

/** No event (the agent sends a status every second) for this long: the agent is gone. */
const SILENCE_MS = 2000;
const RETRY_MS = 1000;
/** Uptime figures move slowly; the agent recomputes them only while someone asks. */
const UPTIME_MS = 60_000;
const RECENT_MAX = 120;
const INCIDENTS_MAX = 500;

const EMPTY_COUNTS: StateCounts = { UNKNOWN: 0, UP: 0, SLOW: 0, RETRYING: 0, DOWN: 0, PAUSED: 0 };

export interface Connection {
  connected: boolean;
  /** When the agent was last heard from. */
  lastSeen: number | undefined;
  /** Why the last attempt failed, while disconnected. */
  error: string | undefined;
  since: number;
}

/**
 * The feed of an agent, over its HTTP API: a snapshot, then the event stream. While the agent cannot
 * be heard every target reads UNKNOWN (a state shown must be a live one), and it reconnects every
 * second; `endpoint()` is asked again each time, so an agent restarted on another port is found.
 */
export class RemoteFeed implements Feed {
  version = 0;
  stateVersion = 0;
  lastCheckAt: number | undefined;
  snapshotBody: SnapshotBody | undefined;
  status: StatusBody | undefined;
  readonly connection: Connection = { connected: false, lastSeen: undefined, error: undefined, since: Date.now() };
  incidentsVersion = 0;
  /** The agent last connected to (a restarted agent may listen on another port). */
  connectedUrl: string | undefined;
  private views = new Map<string, TargetView>();
  private list: TargetView[] = [];
  private offline: TargetView[] | undefined;
  private counted: { version: number; counts: StateCounts } | undefined;
  private incidents: Incident[] = [];
  private readonly listeners = new Set<FeedListener>();
  private stream: IncomingMessage | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly uptimeTimer: NodeJS.Timeout;
  private closed = false;
  private connecting = false;

  constructor(private readonly endpoint: () => AgentEndpoint | undefined) {
    this.uptimeTimer = setInterval(() => this.refreshUptime(), UPTIME_MS);
    this.uptimeTimer.unref();
  }

  private refreshUptime(): void {
    const ep = this.endpoint();
    if (!ep || !this.connection.connected) return;
    agentJson<SnapshotBody['uptime']>(ep, 'GET', API.uptime).then(
      (u) => {
        if (this.snapshotBody) this.snapshotBody = { ...this.snapshotBody, uptime: u };
        this.version++;
      },
      () => undefined,
    );
  }

  /** Connects (and keeps reconnecting); resolves after the first attempt, connected or not. */
  async start(): Promise<void> {
    await this.connect();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.uptimeTimer);
    clearTimeout(this.silenceTimer);
    clearTimeout(this.retryTimer);
    this.stream?.destroy();
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): readonly TargetView[] {
    if (this.connection.connected) return this.list;
    // Stale states are never shown as live (a pause is a setting, not an observation: it stays).
    this.offline ??= this.list.map((v) => (v.monitor.state === 'UNKNOWN' || v.monitor.state === 'PAUSED' ? v : { ...v, monitor: { ...v.monitor, state: 'UNKNOWN' as State } }));
    return this.offline;
  }

  get(id: string): TargetView | undefined {
    const v = this.views.get(id);
    if (!v || this.connection.connected) return v;
    return this.snapshot().find((x) => x.target.id === id);
  }

  stateCounts(): StateCounts {
    if (!this.connection.connected) {
      const paused = this.list.filter((v) => v.monitor.state === 'PAUSED').length;
      return { ...EMPTY_COUNTS, UNKNOWN: this.list.length - paused, PAUSED: paused };
    }
    if (this.counted?.version !== this.stateVersion) {
      const counts = { ...EMPTY_COUNTS };
      for (const v of this.list) counts[v.monitor.state]++;
      this.counted = { version: this.stateVersion, counts };
    }
    return { ...this.counted.counts };
  }

  incidentList(): readonly Incident[] {
    return this.incidents;
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting) return;
    this.connecting = true;
    const ep = this.endpoint();
    try {
      if (!ep) throw new Error('no agent is running');
      const snap = await agentJson<SnapshotBody>(ep, 'GET', API.snapshot);
      this.applySnapshot(snap);
      const stream = await agentStream(ep, API.events);
      if (this.closed) {
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.connectedUrl = ep.url;
      this.setConnected(true, undefined);
      this.read(stream);
    } catch (err) {
      this.setConnected(false, err instanceof Error ? err.message : String(err));
      this.retry();
    } finally {
      this.connecting = false;
    }
  }

  private retry(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), RETRY_MS);
    this.retryTimer.unref();
  }

  private read(stream: IncomingMessage): void {
    let buffer = '';
    stream.setEncoding('utf8');
    this.heard();
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (!data) continue;
        try {
          this.onEvent(JSON.parse(data) as StreamEvent);
        } catch {
          // A frame that does not parse is skipped; the next status resynchronises the counts.
        }
      }
      this.heard();
    });
    const lost = () => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.setConnected(false, 'the agent closed the connection');
      this.retry();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
  }

  /** Every frame restarts the silence watch: the agent sends a status every second. */
  private heard(): void {
    this.connection.lastSeen = Date.now();
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      const s = this.stream;
      this.stream = undefined;
      s?.destroy();
      this.setConnected(false, `nothing heard from the agent for ${SILENCE_MS / 1000}s`);
      this.retry();
    }, SILENCE_MS);
    this.silenceTimer.unref();
  }

  private setConnected(connected: boolean, error: string | undefined): void {
    if (this.connection.connected !== connected) {
      this.connection.connected = connected;
      this.connection.since = Date.now();
      this.offline = undefined;
      this.stateVersion++;
      this.version++;
      // Every target's shown state changes (UNKNOWN while away): a console wakes on events.
      this.emit({ type: 'targets', at: Date.now() });
    }
    this.connection.error = error;
    if (!connected) clearTimeout(this.silenceTimer);
  }

  private applySnapshot(s: SnapshotBody): void {
    this.snapshotBody = s;
    this.status = s.status;
    this.views = new Map(s.targets.map((w) => [w.target.id, fromWireView(w)]));
    this.list = [...this.views.values()];
    this.offline = undefined;
    this.incidents = s.incidents.slice(0, INCIDENTS_MAX);
    this.lastCheckAt = s.status.lastCheckAt ?? undefined;
    this.incidentsVersion++;
    this.stateVersion++;
    this.version++;
    this.emit({ type: 'targets', at: Date.now() });
  }

  private onEvent(e: StreamEvent): void {
    switch (e.type) {
      case 'status':
        this.status = e.status;
        this.lastCheckAt = e.status.lastCheckAt ?? undefined;
        this.version++;
        break;
      case 'view': {
        const id = e.view.target.id;
        const old = this.views.get(id);
        if (!old) return;
        const recent = e.appended ? [...old.recent, ...e.view.recent].slice(-RECENT_MAX) : e.view.recent;
        const next = fromWireView(e.view, recent);
        this.views.set(id, next);
        const at = this.list.indexOf(old);
        this.list = this.list.slice();
        if (at >= 0) this.list[at] = next;
        else this.list.push(next);
        this.offline = undefined;
        if (old.monitor.state !== next.monitor.state) {
          this.stateVersion++;
          this.emit({ type: 'state', targetId: id, from: old.monitor.state, to: next.monitor.state, at: Date.now() });
        }
        this.version++;
        break;
      }
      case 'incident': {
        const i = e.incident;
        const at = this.incidents.findIndex((x) => x.id === i.id);
        this.incidents = at >= 0 ? this.incidents.map((x) => (x.id === i.id ? i : x)) : [i, ...this.incidents].slice(0, INCIDENTS_MAX);
        this.incidentsVersion++;
        this.version++;
        this.emit({ type: 'incident', phase: i.ended === null ? 'opened' : 'closed', incident: i });
        break;
      }
      case 'targets': {
        const ep = this.endpoint();
        if (!ep) return;
        agentJson<SnapshotBody>(ep, 'GET', API.snapshot).then(
          (s) => this.applySnapshot(s),
          () => undefined,
        );
        break;
      }
    }
  }

  private emit(event: Parameters<FeedListener>[0]): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a failing subscriber must not stop the others
      }
    }
  }
}
