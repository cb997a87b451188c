import type { Target } from '../config/target.js';
import type { Outcome, ProbeResult } from '../probe/types.js';
import type { RecentSamples } from './sample-ring.js';

export type State = 'UNKNOWN' | 'UP' | 'SLOW' | 'RETRYING' | 'DOWN' | 'PAUSED';

/** How many targets are in each state. */
export type StateCounts = Record<State, number>;
export const STATES: readonly State[] = ['UP', 'SLOW', 'RETRYING', 'DOWN', 'PAUSED', 'UNKNOWN'];

/** What a single result says about the target, before any confirmation. */
export type Condition = 'UP' | 'SLOW' | 'DOWN';
/**
 * Why a target is not UP: a failed check's outcome, a handshake over the threshold, a certificate
 * near expiry ('cert'), or some addresses of a name failing while the quorum holds ('partial'), or echoes lost over a ping target's lossWarn ('loss').
 */
export type Cause = Exclude<Outcome, 'open'> | 'slow' | 'cert' | 'partial' | 'loss' | 'exposed';

export interface Incident {
  /** Unique per target: `${targetId}#${started}`. An incident carried over a pause or a restart keeps its id. */
  id: string;
  targetId: string;
  from: State;
  to: State;
  cause: Cause;
  /** errno and message, or the slow handshake time, that proved it. */
  evidence: string;
  started: number;
  ended: number | null;
  durationMs: number | null;
  /**
   * How it ended: recovered, or cut short (the target removed, or its endpoint changed). 'paused' and
   * 'monitor-stopped' are only found in histories written before pauses and restarts kept incidents open.
   */
  endedBy?: 'recovered' | 'paused' | 'removed' | 'changed' | 'monitor-stopped';
}

export interface Pending {
  /** Where consecutive results are pointing (DOWN while RETRYING; UP or SLOW while recovering). */
  to: Condition;
  count: number;
  /** Wall time of the first result in this run: an outage starts when it was first seen. */
  firstAt: number;
  cause?: Cause;
  evidence?: string;
}

export interface TrendState {
  /** The newest open handshake times, oldest first (a few). */
  recent: readonly number[];
  /** Medians of past blocks of handshakes: the long-run record, bounded. */
  blocks: readonly number[];
  /** Handshakes counted into the block in progress. */
  inBlock: number;
  /** Median of `blocks` once there are enough of them. */
  baselineMs?: number;
  rising: boolean;
}

export interface MonitorState {
  state: State;
  since: number;
  confirmed: 'UNKNOWN' | Condition;
  pending?: Pending;
  /** The last failure's cause while DOWN or RETRYING; 'slow' while SLOW. */
  cause?: Cause;
  evidence?: string;
  incident?: Incident;
  trend: TrendState;
}

export interface MonitorSettings {
  retries: number;
  slowAfterMs: number;
  /** What the result's main time measures, for evidence ("handshake", the default; "median RTT"). */
  figure?: string;
  /** The port must NOT answer here (an exposure check): open is the failure (cause 'exposed'), refused or filtered is UP. */
  expectClosed?: boolean;
}

export type MonitorInput =
  | { kind: 'result'; result: ProbeResult }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'end'; reason: 'removed' | 'changed' };

export type EngineEvent =
  | { type: 'result'; targetId: string; result: ProbeResult; state: State; at: number }
  | { type: 'state'; targetId: string; from: State; to: State; at: number; cause?: Cause; evidence?: string }
  | { type: 'incident'; phase: 'opened' | 'closed'; incident: Incident }
  | { type: 'trend'; targetId: string; phase: 'rising' | 'cleared'; recentMs: number; baselineMs: number; at: number }
  | { type: 'targets'; at: number };

export type MonitorEvent = Exclude<EngineEvent, { type: 'result' } | { type: 'targets' }>;

/**
 * What the UI and exporters read: one view per target, replaced on every change (a new object, so
 * readers can compare by identity). `recent` is the exception: the engine's ring, written in place.
 */
export interface TargetView {
  target: Target;
  monitor: MonitorState;
  lastResult?: ProbeResult;
  /** Recent connect times in ms, oldest first; null marks a failed check. */
  recent: RecentSamples;
  checks: number;
  failures: number;
  lastCheckAt?: number;
  inFlight: boolean;
}
