import type { TargetView } from '../../engine/types.js';
import { targetAsShown } from './target-shown.js';
import type { WireView } from './wire.js';

// The agent's side of the wire only: it hides each kind's secrets, which needs the kinds' schemas.
/** `newSamples`: send only that many of the newest samples (undefined: all of them). */
export function toWireView(v: TargetView, newSamples?: number): WireView {
  const { trend, ...monitor } = v.monitor;
  const recent = newSamples === undefined ? v.recent.slice() : newSamples === 0 ? [] : v.recent.slice(-newSamples);
  return { ...v, target: targetAsShown(v.target), recent, monitor: { ...monitor, trend: { rising: trend.rising, ...(trend.baselineMs !== undefined ? { baselineMs: trend.baselineMs } : {}) } } };
}
