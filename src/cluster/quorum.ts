import type { State } from '../engine/types.js';
import type { ResultMessage } from './result-message.js';

/** One location's newest word on a target, and whether it is recent enough to count. */
export interface LocationState {
  location: string;
  state: State;
  cause?: string;
  evidence?: string;
  connectMs: number | null;
  at: number;
  /** The target's interval at this location: the result goes STALE FRESH_INTERVALS of them after `at`. */
  intervalMs: number;
  /** Silent for more than 2 of its intervals: shown as STALE, never as UP or DOWN, and not counted. */
  stale: boolean;
}

export type ClusterState = 'UP' | 'PARTIAL' | 'DOWN' | 'STALE' | 'UNKNOWN';

export interface QuorumView {
  id: string;
  name: string;
  host: string;
  port: number;
  state: ClusterState;
  /** "DOWN 2/3", "PARTIAL 2/3 up", "UP", "STALE", "EXPOSED c". */
  label: string;
  /** Locations where a port that must stay closed answered: the target is DOWN for any one of them. */
  exposed: string[];
  /** Locations that count (fresh, UP/SLOW/RETRYING/DOWN). */
  voters: number;
  down: number;
  up: number;
  locations: LocationState[];
}

/** localeCompare's order, with one collator made once (the aggregator orders every target's locations 4 times a second). */
export const collate = new Intl.Collator().compare;

/** A result counts while it is younger than this many of its target's intervals. */
export const FRESH_INTERVALS = 2;

/** DOWN at a location is its confirmed DOWN (after its retries); RETRYING is not yet a vote for down. */
const VOTES_DOWN: ReadonlySet<State> = new Set(['DOWN']);
const VOTES: ReadonlySet<State> = new Set(['UP', 'SLOW', 'RETRYING', 'DOWN']);

/**
 * The cluster's view of one target from each location's newest result: a pure function of those
 * results and the time. Down when a majority of the locations that reported within 2 intervals see
 * it down; PARTIAL when some but not a majority do; UP when none do; STALE when no location that
 * checks it has reported lately. A silent location never counts as up or down.
 */
export function quorumOf(latest: readonly ResultMessage[], now: number): QuorumView | undefined {
  let newest: ResultMessage | undefined;
  for (const m of latest) if (!newest || m.at > newest.at) newest = m;
  if (!newest) return undefined;
  const locations: LocationState[] = [...latest]
    .sort((a, b) => collate(a.location, b.location))
    .map((m) => ({
      location: m.location,
      state: m.state,
      ...(m.cause ? { cause: m.cause } : {}),
      ...(m.evidence ? { evidence: m.evidence } : {}),
      connectMs: m.connectMs,
      at: m.at,
      intervalMs: m.intervalMs,
      stale: now - m.at > FRESH_INTERVALS * m.intervalMs,
    }));
  const voters = locations.filter((l) => !l.stale && VOTES.has(l.state));
  const down = voters.filter((l) => VOTES_DOWN.has(l.state)).length;
  const up = voters.length - down;
  const exposed = voters.filter((l) => l.state === 'DOWN' && l.cause === 'exposed').map((l) => l.location);
  let state: ClusterState;
  let label: string;
  if (exposed.length > 0) {
    // An exposure is not a matter of majority: one location that reaches what it must not is enough.
    state = 'DOWN';
    label = `EXPOSED ${exposed.join(',')}`;
  } else if (voters.length === 0) {
    state = locations.some((l) => l.stale) ? 'STALE' : 'UNKNOWN';
    label = state;
  } else if (down * 2 > voters.length) {
    state = 'DOWN';
    label = `DOWN ${down}/${voters.length}`;
  } else if (down > 0) {
    state = 'PARTIAL';
    label = `PARTIAL ${up}/${voters.length} up`;
  } else {
    state = 'UP';
    label = 'UP';
  }
  return { id: newest.id, name: newest.name, host: newest.host, port: newest.port, state, label, exposed, voters: voters.length, down, up, locations };
}

/** Nagios-style exit code of a set of cluster views: 2 any DOWN, 1 any PARTIAL, 3 any STALE/UNKNOWN, else 0. */
export function clusterExitCode(views: readonly QuorumView[]): number {
  if (views.some((v) => v.state === 'DOWN')) return 2;
  if (views.some((v) => v.state === 'PARTIAL')) return 1;
  if (views.some((v) => v.state === 'STALE' || v.state === 'UNKNOWN')) return 3;
  return 0;
}
