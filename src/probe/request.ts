import type { Target } from '../config/target.js';
import type { ProbeRequest } from './types.js';

/** What the engine asks the probe for one target. */
export function requestForTarget(t: Target): ProbeRequest {
  return {
    host: t.host,
    port: t.port,
    timeoutMs: t.timeoutMs,
    family: t.family,
    ...(t.probe ? { options: t.probe, ...(t.service ? { service: t.service } : {}) } : {}),
  };
}
