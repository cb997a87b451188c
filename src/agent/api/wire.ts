import type { Defaults } from '../../config/target.js';
import type { Incident, MonitorState, StateCounts, TargetView } from '../../engine/types.js';
import type { ChannelHealth } from '../../notify/index.js';
import type { UptimeWindows } from '../../runtime/uptime-cache.js';

/**
 * The agent's HTTP API, as JSON: what the server sends and an attached console reads. Paths are
 * under /api/v1; every one needs `Authorization: Bearer TOKEN`.
 */
export const API = {
  snapshot: '/api/v1/snapshot',
  events: '/api/v1/events',
  targets: '/api/v1/targets',
  toggleAll: '/api/v1/toggle-all',
  reload: '/api/v1/reload',
  /** Uptime figures of every target (a console attached to the agent asks every minute). */
  uptime: '/api/v1/uptime',
} as const;

export interface AgentInfo {
  version: string;
  pid: number;
  startedAt: number;
  location: string;
  configFile: string;
  stateFile: string;
  dataDir: string;
}

/** A view as sent: the trend's long record stays on the agent (the console only shows whether it is rising). */
export interface WireView extends Omit<TargetView, 'monitor' | 'recent'> {
  recent: (number | null)[];
  monitor: Omit<MonitorState, 'trend'> & { trend: Pick<MonitorState['trend'], 'rising' | 'baselineMs'> };
}

/** Everything a console needs at once: sent on connect and after the target list changes. */
export interface SnapshotBody {
  agent: AgentInfo;
  defaults: Defaults;
  targets: WireView[];
  incidents: Incident[];
  uptime: Record<string, UptimeWindows>;
  status: StatusBody;
}

/** Sent every second on the event stream (also the heartbeat), and inside the snapshot. */
export interface StatusBody {
  at: number;
  counts: StateCounts;
  lastCheckAt: number | null;
  totalChecks: number;
  notice: string | null;
  channels: ChannelHealth[];
  /** The agent's history file, and why it is off or losing writes. */
  history: { file: string; problem: string | null };
  /** Target id → the maintenance window it is in now. */
  maintenance: Record<string, string>;
}

/**
 * Server-sent events on /api/v1/events:
 * - `view`: a target's view after results or a change; when `appended` is true, `recent` holds only
 *   the samples new since the last `view` of it (none for a pause), which the console appends.
 * - `incident`: opened or closed.
 * - `targets`: targets came, went or were edited: fetch the snapshot again.
 * - `status`: every second.
 */
export type StreamEvent =
  | { type: 'view'; view: WireView; appended: boolean }
  | { type: 'incident'; incident: Incident }
  | { type: 'targets' }
  | { type: 'status'; status: StatusBody };


/** A wire view as the console's TargetView (the trend's record left empty). */
export function fromWireView(w: WireView, recent: readonly (number | null)[] = w.recent): TargetView {
  return { ...w, recent, monitor: { ...w.monitor, trend: { recent: [], blocks: [], inBlock: 0, rising: w.monitor.trend.rising, ...(w.monitor.trend.baselineMs !== undefined ? { baselineMs: w.monitor.trend.baselineMs } : {}) } } };
}

export interface ActionBody {
  /** A target in config form, as in the config file's "targets". */
  target?: unknown;
}

export type ActionResponse = { ok: true; id?: string; did?: 'paused' | 'resumed' } | { ok: false; error: string; problems?: { path: string; message: string }[] };
