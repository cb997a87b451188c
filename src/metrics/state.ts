import type { Registry } from 'prom-client';
import { STATES, type State, type TargetView } from '../engine/types.js';
import { TargetFamily } from './family.js';
import { TARGET_LABELS, type LabelCache, type TargetLabels } from './labels.js';

const STATE_LABELS: ReadonlyMap<State, { state: State }> = new Map(STATES.map((s) => [s, Object.freeze({ state: s })]));

/**
 * Per-target gauges read from the engine's snapshot at scrape time: the state as an enum (one
 * series per state, 1 for the current one, as node_exporter does for systemd units) and when the
 * last check completed. A removed target is not in the snapshot, so its series go with it.
 */
export function registerState(registry: Registry, views: () => readonly TargetView[], labels: LabelCache): TargetFamily[] {
  const blocks = new WeakMap<TargetLabels, { state: State; text: string }>();
  return [
    new TargetFamily(
      registry,
      { name: 'porthole_target_state', help: `The target's state, one series per state (${STATES.join(', ')}); 1 for the current one, else 0`, type: 'gauge', labelNames: [...TARGET_LABELS, 'state'] },
      (emit) => {
        for (const v of views()) {
          const l = labels.of(v.target);
          for (const [s, own] of STATE_LABELS) emit(l, v.monitor.state === s ? 1 : 0, own);
        }
      },
      // A target's six lines change only when its state does: kept as one string between scrapes.
      (out, line) => {
        for (const v of views()) {
          const l = labels.of(v.target);
          let b = blocks.get(l);
          if (b?.state !== v.monitor.state) {
            b = { state: v.monitor.state, text: [...STATE_LABELS].map(([s, own]) => line(l, v.monitor.state === s ? 1 : 0, own)).join('\n') };
            blocks.set(l, b);
          }
          out.push(b.text);
        }
      },
    ),
    new TargetFamily(
      registry,
      { name: 'porthole_last_check_timestamp_seconds', help: 'When the last check of the target completed (unix seconds); absent before the first', type: 'gauge', labelNames: [...TARGET_LABELS] },
      (emit) => {
        for (const v of views()) if (v.lastCheckAt !== undefined) emit(labels.of(v.target), v.lastCheckAt / 1000);
      },
    ),
  ];
}
