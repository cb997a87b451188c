import { kindOf } from '../checks/registry.js';
import type { State, TargetView } from '../engine/types.js';
import type { AlertKind } from './types.js';

/**
 * One alert per host: a host's group of alerts whose grouping wait (alerts.groupWithin) is over waits
 * a little longer while another check of the same host is still on its way to the same news, so the
 * whole host goes out as one message. Pure: the alert and the host's other checks in, a decision out.
 */

/** The longest an alert waits for the rest of its host, whatever the checks' settings. */
export const HOST_HOLD_CAP_MS = 30_000;

/** How often a held alert is looked at again (the hold ends as soon as the host has made up its mind). */
export const HOST_HOLD_STEP_MS = 250;

/** The alert whose grouping wait is over. */
export interface HeldAlert {
  kind: AlertKind;
  /** When its incident started (a recovery waits only for checks that went down with it). */
  started: number;
  /** When the alert was raised. */
  created: number;
}

/** Another check of the same host, as the engine has it now. */
export interface HostCheck {
  state: State;
  /** When its open incident started, if it has one. */
  incidentStarted?: number;
  /**
   * A port or API check with a probe in flight: its answer is due (a healthy one in milliseconds; one
   * that will time out is the next RETRYING). A ping round takes seconds even when all is well, so not it.
   */
  probing?: boolean;
  /** How long this check takes at most to confirm a change: one interval plus every try and retry delay. */
  confirmMs: number;
}

export type HoldDecision = { go: true } | { go: false; until: number; waitingFor: number };

/** The longest one check can take to confirm a change, from the moment the change happened. */
export function confirmationMs(t: { intervalMs: number; timeoutMs: number; retries: number; retryDelayMs: number }): number {
  return t.intervalMs + (t.retries + 1) * t.timeoutMs + t.retries * t.retryDelayMs;
}

export function hostCheckOf(v: Pick<TargetView, 'target' | 'monitor' | 'inFlight'>): HostCheck {
  const inc = v.monitor.incident;
  const layer = kindOf(v.target).layer;
  return {
    state: v.monitor.state,
    ...(inc && inc.ended === null ? { incidentStarted: inc.started } : {}),
    ...(v.inFlight && (layer === 'transport' || layer === 'application') ? { probing: true } : {}),
    confirmMs: confirmationMs(v.target),
  };
}

/**
 * Whether `alert` may go now. A DOWN waits while another check of its host is RETRYING (a failure seen,
 * not yet confirmed) or, still up, has a port or API probe in flight (a handshake that will time out
 * is not a failure yet: a ping confirms long before the port's timeout); a recovery waits while another check that went down with it (its incident started
 * within the cap of this one's) is still DOWN. Either waits at most as long as the slowest of those
 * checks takes to confirm, and never more than `capMs` after the alert was raised. Other kinds, and a
 * host whose other checks are settled, go at once.
 */
export function hostHold(alert: HeldAlert, others: readonly HostCheck[], now: number, capMs = HOST_HOLD_CAP_MS): HoldDecision {
  let waiting: HostCheck[];
  if (alert.kind === 'down') waiting = others.filter((c) => c.state === 'RETRYING' || (c.probing === true && (c.state === 'UP' || c.state === 'SLOW' || c.state === 'UNKNOWN')));
  else if (alert.kind === 'recovery') {
    waiting = others.filter((c) => c.state === 'DOWN' && c.incidentStarted !== undefined && Math.abs(c.incidentStarted - alert.started) <= capMs);
  } else return { go: true };
  if (waiting.length === 0) return { go: true };
  const until = alert.created + Math.min(capMs, Math.max(...waiting.map((c) => c.confirmMs)));
  return now >= until ? { go: true } : { go: false, until, waitingFor: waiting.length };
}
