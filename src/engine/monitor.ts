import { failureEvidence } from './evidence.js';
import { initialTrend, updateTrend } from './trend.js';
import type { Cause, Condition, Incident, MonitorEvent, MonitorInput, MonitorSettings, MonitorState, Pending, State } from './types.js';
import type { ProbeResult } from '../probe/types.js';

/**
 * The monitor: a pure function of (state, input, now) → (state, events). No timers, no sockets.
 *
 * A result that disagrees with the last confirmed condition starts (or extends) a pending run; only
 * `retries + 1` consecutive results in the same direction confirm a change. While a failure is pending
 * the visible state is RETRYING; while a recovery is pending the target stays DOWN. Each confirmed
 * change into DOWN or SLOW opens an incident, and leaving it closes that incident.
 *
 * A pause keeps the open incident (only removal or a new endpoint closes it), and so does a restart
 * (seeded with withCarriedIncident). With nothing confirmed, the first confirmed state decides: the
 * same condition continues the incident (same id, same start), a first good check closes it there.
 */

export function initialMonitorState(now: number, paused = false): MonitorState {
  return { state: paused ? 'PAUSED' : 'UNKNOWN', since: now, confirmed: 'UNKNOWN', trend: initialTrend() };
}

export interface MonitorStep {
  state: MonitorState;
  events: MonitorEvent[];
}

/** What one result says; read-only (UP is one shared object: most results say it). */
export type ConditionOf = Readonly<{ condition: Condition; cause?: Cause; evidence?: string }>;
const UP: ConditionOf = Object.freeze({ condition: 'UP' });

/** `figure`: what the result's main time measures, in words ("handshake", "median RTT"). */
export function conditionOf(result: ProbeResult, slowAfterMs: number, figure = 'handshake', expectClosed = false): ConditionOf {
  if (expectClosed) return closedCondition(result);
  if (result.outcome === 'open') {
    const ms = result.connectMs ?? 0;
    if (ms > slowAfterMs) return { condition: 'SLOW', cause: 'slow', evidence: `${figure} ${ms.toFixed(1)}ms > ${slowAfterMs}ms` };
    if (result.warning) return { condition: 'SLOW', cause: result.warning.cause, evidence: result.warning.evidence };
    return UP;
  }
  if (result.outcome === 'mismatch' && result.severity === 'warning') return { condition: 'SLOW', cause: 'mismatch', evidence: failureEvidence(result) };
  return { condition: 'DOWN', cause: result.outcome, evidence: failureEvidence(result) };
}

/**
 * For a port that must stay closed from here: answering is the failure; a refusal (RST) or no answer
 * (timeout, or an ICMP unreachable from a filter) is what was expected. A name that does not resolve
 * or another error proves nothing either way and stays a failure of its own cause.
 */
function closedCondition(result: ProbeResult): ConditionOf {
  if (result.outcome === 'open' || result.outcome === 'mismatch' || result.outcome === 'tls') {
    return { condition: 'DOWN', cause: 'exposed', evidence: `${result.address ?? 'the port'} answered (expected closed)` };
  }
  if (result.outcome === 'refused' || result.outcome === 'timeout' || result.outcome === 'unreachable') return UP;
  return { condition: 'DOWN', cause: result.outcome, evidence: failureEvidence(result) };
}

/** Whether a new condition continues the pending run. Recovering from DOWN, UP and SLOW both count as "open". */
function continuesPending(p: Pending | undefined, c: Condition, confirmed: MonitorState['confirmed']): boolean {
  if (!p) return false;
  if (confirmed === 'DOWN' || confirmed === 'UNKNOWN') return (p.to === 'DOWN') === (c === 'DOWN');
  return p.to === c;
}

function visibleFor(confirmed: MonitorState['confirmed'], pending: Pending | undefined): State {
  if (pending?.to === 'DOWN') return 'RETRYING';
  return confirmed;
}

/** The open incident, if any, kept through a pause or a resume. */
function carried(prev: MonitorState): Pick<MonitorState, 'incident'> {
  return prev.incident ? { incident: prev.incident } : {};
}

/**
 * A target's open incident from before this run (the history), carried into a fresh state: the first
 * confirmed state continues it or closes it, exactly as after a resume. Only a state with nothing
 * confirmed and nothing open takes it.
 */
export function withCarriedIncident(prev: MonitorState, incident: Incident): MonitorState {
  if (prev.confirmed !== 'UNKNOWN' || prev.incident) return prev;
  return { ...prev, incident };
}

function closeIncident(inc: Incident, ended: number, endedBy: NonNullable<Incident['endedBy']>): Incident {
  return { ...inc, ended, durationMs: Math.max(0, ended - inc.started), endedBy };
}

function withVisible(prev: MonitorState, next: Omit<MonitorState, 'since'>, now: number, events: MonitorEvent[], targetId: string): MonitorState {
  if (next.state === prev.state) return { ...next, since: prev.since };
  events.push({
    type: 'state',
    targetId,
    from: prev.state,
    to: next.state,
    at: now,
    ...(next.cause && next.state !== 'UP' ? { cause: next.cause } : {}),
    ...(next.evidence && next.state !== 'UP' ? { evidence: next.evidence } : {}),
  });
  return { ...next, since: now };
}

export function stepMonitor(
  targetId: string,
  prev: MonitorState,
  input: MonitorInput,
  now: number,
  settings: MonitorSettings,
): MonitorStep {
  const events: MonitorEvent[] = [];

  if (input.kind === 'end') {
    // Removed, or its endpoint replaced: whatever was open ends here, nobody saw it recover.
    if (prev.incident) events.push({ type: 'incident', phase: 'closed', incident: closeIncident(prev.incident, now, input.reason) });
    const next = withVisible(prev, { state: 'PAUSED', confirmed: 'UNKNOWN', trend: prev.trend }, now, events, targetId);
    return { state: next, events };
  }
  if (input.kind === 'pause') {
    // A pause forgets what was confirmed but keeps the open incident: on resume the first confirmed
    // state continues it (still failing) or closes it (recovered). One outage stays one incident.
    if (prev.state === 'PAUSED') return { state: prev, events };
    const next = withVisible(prev, { state: 'PAUSED', confirmed: 'UNKNOWN', ...carried(prev), trend: prev.trend }, now, events, targetId);
    return { state: next, events };
  }
  if (input.kind === 'resume') {
    if (prev.state !== 'PAUSED') return { state: prev, events };
    const next = withVisible(prev, { state: 'UNKNOWN', confirmed: 'UNKNOWN', ...carried(prev), trend: prev.trend }, now, events, targetId);
    return { state: next, events };
  }

  // A result that arrives for a paused target (it was in flight when paused) is ignored.
  if (prev.state === 'PAUSED') return { state: prev, events };

  const result = input.result;
  const { condition, cause, evidence } = conditionOf(result, settings.slowAfterMs, settings.figure, settings.expectClosed);

  let trend = prev.trend;
  if (result.outcome === 'open' && result.connectMs !== null && !settings.expectClosed) {
    const t = updateTrend(prev.trend, result.connectMs);
    trend = t.trend;
    if (t.change) events.push({ type: 'trend', targetId, at: now, ...t.change });
  }

  let confirmed = prev.confirmed;
  let pending: Pending | undefined;
  let incident = prev.incident;

  const startsUnconfirmed = prev.confirmed === 'UNKNOWN' && condition !== 'DOWN';
  if (condition === prev.confirmed || startsUnconfirmed) {
    // Agrees with what we know (or is the first good news): no confirmation needed.
    confirmed = condition;
    if (startsUnconfirmed) {
      // An incident carried over a pause or a restart ends at the first good check, or goes on if still slow.
      if (incident && incident.to !== condition) {
        events.push({ type: 'incident', phase: 'closed', incident: closeIncident(incident, now, 'recovered') });
        incident = undefined;
      }
      if (condition === 'SLOW' && !incident) {
        incident = openIncident(targetId, 'UNKNOWN', 'SLOW', cause, evidence, now);
        events.push({ type: 'incident', phase: 'opened', incident });
      }
    }
  } else {
    const count = continuesPending(prev.pending, condition, prev.confirmed) ? prev.pending!.count + 1 : 1;
    const firstAt = count === 1 ? now : prev.pending!.firstAt;
    pending = { to: condition, count, firstAt, ...(cause ? { cause } : {}), ...(evidence ? { evidence } : {}) };
    if (count >= settings.retries + 1) {
      // Confirmed: close what was open, open what the new condition means.
      const from = prev.confirmed === 'UNKNOWN' ? 'UNKNOWN' : prev.confirmed;
      // Confirmed from UNKNOWN (after a pause or a restart) into what the carried incident already says: it goes on.
      const continues = prev.confirmed === 'UNKNOWN' && incident?.to === condition;
      if (incident && !continues) {
        const closed = closeIncident(incident, firstAt, 'recovered');
        events.push({ type: 'incident', phase: 'closed', incident: closed });
        incident = undefined;
      }
      if (condition !== 'UP' && !continues) {
        incident = openIncident(targetId, from, condition, cause, evidence, firstAt);
        events.push({ type: 'incident', phase: 'opened', incident });
      }
      confirmed = condition;
      pending = undefined;
    }
  }

  // Shown cause: the latest failure while RETRYING; while DOWN or SLOW, the latest result that agrees
  // (a refused port that starts timing out says so), kept through a pending recovery.
  const agrees = condition === confirmed;
  const showCause = pending?.to === 'DOWN' ? pending.cause : confirmed === 'UP' ? undefined : agrees ? cause : prev.cause;
  const showEvidence = pending?.to === 'DOWN' ? pending.evidence : confirmed === 'UP' ? undefined : agrees ? evidence : prev.evidence;
  // Built key by key rather than with spreads and withVisible's copy: this runs for every result.
  const visible = visibleFor(confirmed, pending);
  const state: MonitorState = { state: visible, since: visible === prev.state ? prev.since : now, confirmed, trend };
  if (pending) state.pending = pending;
  if (showCause) state.cause = showCause;
  if (showEvidence) state.evidence = showEvidence;
  if (incident) state.incident = incident;
  if (visible !== prev.state) {
    events.push({
      type: 'state',
      targetId,
      from: prev.state,
      to: visible,
      at: now,
      ...(showCause && visible !== 'UP' ? { cause: showCause } : {}),
      ...(showEvidence && visible !== 'UP' ? { evidence: showEvidence } : {}),
    });
  }
  return { state, events };
}

function openIncident(targetId: string, from: State, to: Condition, cause: Cause | undefined, evidence: string | undefined, started: number): Incident {
  return {
    id: `${targetId}#${started}`,
    targetId,
    from,
    to,
    cause: cause ?? (to === 'SLOW' ? 'slow' : 'error'),
    evidence: evidence ?? '',
    started,
    ended: null,
    durationMs: null,
  };
}
