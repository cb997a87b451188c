import type { Registry } from 'prom-client';
import { STATES, type State } from '../engine/types.js';
import { TargetFamily } from './family.js';
import type { Frames } from './frame.js';
import { TARGET_LABELS } from './labels.js';

const STATE_LABELS: ReadonlyMap<State, { state: State }> = new Map(STATES.map((s) => [s, Object.freeze({ state: s })]));

/**
 * Per-target gauges read from the engine's snapshot at scrape time: the state and when the last
 * check completed. The state is one series per target, labelled with the current state and valued
 * 1 (the "info" form of an enum): `porthole_target_state{state="DOWN"} == 1` and
 * `count by (state) (porthole_target_state)` read as with all six series, at a sixth of the lines;
 * the previous state's series is marked stale by Prometheus at the next scrape. A removed target is
 * not in the snapshot, so its series go with it.
 */
export function registerState(registry: Registry, frames: Frames): TargetFamily[] {
  return [
    new TargetFamily(
      registry,
      { name: 'porthole_target_state', help: `The target's current state as the label state (${STATES.join(', ')}), value 1`, type: 'gauge', labelNames: [...TARGET_LABELS, 'state'] },
      { frames, each: (v, row, emit) => emit(row, 1, STATE_LABELS.get(v.monitor.state)) },
    ),
    new TargetFamily(
      registry,
      { name: 'porthole_last_check_timestamp_seconds', help: 'When the last check of the target completed (unix seconds); absent before the first', type: 'gauge', labelNames: [...TARGET_LABELS] },
      { frames, each: (v, row, emit) => v.lastCheckAt !== undefined && emit(row, v.lastCheckAt / 1000) },
    ),
  ];
}
