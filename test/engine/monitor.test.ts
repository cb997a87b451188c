import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialMonitorState, stepMonitor, withCarriedIncident } from '../../src/engine/monitor.js';
import type { MonitorEvent, MonitorState } from '../../src/engine/types.js';
import type { Outcome, ProbeResult } from '../../src/probe/types.js';

const settings = { retries: 2, slowAfterMs: 100 };

function res(outcome: Outcome, connectMs: number | null = outcome === 'open' ? 1 : null): ProbeResult {
  return { outcome, startedAt: 0, dnsMs: null, connectMs, totalMs: connectMs ?? 5, ...(outcome === 'open' ? {} : { errno: outcome === 'refused' ? 'ECONNREFUSED' : 'ETIMEDOUT' }) };
}

/** Feeds a sequence of results one second apart; returns every state and event along the way. */
function run(seq: (Outcome | [Outcome, number])[], s = settings, start?: MonitorState) {
  let state = start ?? initialMonitorState(0);
  const states: string[] = [];
  const events: MonitorEvent[] = [];
  seq.forEach((o, i) => {
    const r = Array.isArray(o) ? res(o[0], o[1]) : res(o);
    const step = stepMonitor('t', state, { kind: 'result', result: r }, (i + 1) * 1000, s);
    state = step.state;
    states.push(state.state);
    events.push(...step.events);
  });
  return { state, states, events };
}

const incidents = (evs: MonitorEvent[]) => evs.filter((e) => e.type === 'incident');

describe('monitor state machine', () => {
  it('goes UNKNOWN → UP on the first open result, with no incident', () => {
    const { states, events } = run(['open']);
    assert.deepEqual(states, ['UP']);
    assert.equal(incidents(events).length, 0);
  });

  it('needs retries + 1 consecutive failures to confirm DOWN, RETRYING in between', () => {
    const { states, state, events } = run(['open', 'refused', 'refused', 'refused']);
    assert.deepEqual(states, ['UP', 'RETRYING', 'RETRYING', 'DOWN']);
    assert.equal(state.cause, 'refused');
    const opened = incidents(events);
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.type === 'incident' && opened[0]!.phase, 'opened');
    // The outage started at the first failed check, not at confirmation.
    assert.equal(opened[0]!.type === 'incident' && opened[0]!.incident.started, 2000);
  });

  it('counts retries in the pending state so the UI can show 2/3', () => {
    const { state } = run(['open', 'timeout', 'timeout']);
    assert.equal(state.state, 'RETRYING');
    assert.equal(state.pending?.count, 2);
    assert.equal(state.cause, 'timeout');
  });

  it('confirms DOWN at once when retries is 0', () => {
    const { states } = run(['open', 'refused'], { retries: 0, slowAfterMs: 100 });
    assert.deepEqual(states, ['UP', 'DOWN']);
  });

  it('confirms recovery the same way and closes the incident with its duration', () => {
    const { states, events } = run(['open', 'refused', 'refused', 'refused', 'open', 'open', 'open']);
    assert.deepEqual(states, ['UP', 'RETRYING', 'RETRYING', 'DOWN', 'DOWN', 'DOWN', 'UP']);
    const closed = incidents(events).filter((e) => e.type === 'incident' && e.phase === 'closed');
    assert.equal(closed.length, 1);
    const inc = closed[0]!.type === 'incident' ? closed[0]!.incident : undefined;
    assert.equal(inc?.started, 2000);
    assert.equal(inc?.ended, 5000); // first good check
    assert.equal(inc?.durationMs, 3000);
    assert.equal(inc?.cause, 'refused');
    assert.equal(inc?.endedBy, 'recovered');
  });

  it('does not open an incident for a flapping port that never fails retries + 1 times in a row', () => {
    const seq: Outcome[] = ['open'];
    for (let i = 0; i < 20; i++) seq.push('refused', 'refused', 'open');
    const { events, state } = run(seq);
    assert.equal(incidents(events).length, 0);
    assert.equal(state.state, 'UP');
  });

  it('an interrupted recovery keeps the target DOWN and the incident open', () => {
    const { states, events, state } = run(['refused', 'refused', 'refused', 'open', 'refused', 'open', 'open']);
    assert.deepEqual(states, ['RETRYING', 'RETRYING', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN']);
    assert.equal(incidents(events).length, 1);
    assert.equal(state.incident?.ended, null);
    const more = stepMonitor('t', state, { kind: 'result', result: res('open') }, 8000, settings);
    assert.equal(more.state.state, 'UP');
  });

  it('starts DOWN from UNKNOWN only after the retries', () => {
    const { states, events } = run(['refused', 'refused', 'refused']);
    assert.deepEqual(states, ['RETRYING', 'RETRYING', 'DOWN']);
    const opened = incidents(events)[0];
    assert.equal(opened?.type === 'incident' && opened.incident.from, 'UNKNOWN');
  });

  it('tells SLOW from UP by the threshold and confirms it like a failure', () => {
    const { states, state, events } = run([['open', 5], ['open', 500], ['open', 600], ['open', 700], ['open', 5], ['open', 5], ['open', 5]]);
    assert.deepEqual(states, ['UP', 'UP', 'UP', 'SLOW', 'SLOW', 'SLOW', 'UP']);
    assert.equal(state.cause, undefined);
    const inc = incidents(events);
    assert.equal(inc.length, 2);
    assert.equal(inc[0]?.type === 'incident' && inc[0].incident.cause, 'slow');
  });

  it('a slow first answer is SLOW straight away (an accept queue backing up)', () => {
    const { states, state } = run([['open', 1200]]);
    assert.deepEqual(states, ['SLOW']);
    assert.equal(state.cause, 'slow');
  });

  it('pause during RETRYING drops the pending failure and ignores late results', () => {
    let { state } = run(['open', 'refused']);
    assert.equal(state.state, 'RETRYING');
    let step = stepMonitor('t', state, { kind: 'pause' }, 5000, settings);
    state = step.state;
    assert.equal(state.state, 'PAUSED');
    assert.equal(state.pending, undefined);
    assert.deepEqual(step.events.map((e) => e.type), ['state']);
    step = stepMonitor('t', state, { kind: 'result', result: res('refused') }, 5100, settings);
    assert.equal(step.state, state);
    assert.equal(step.events.length, 0);
    step = stepMonitor('t', state, { kind: 'resume' }, 6000, settings);
    assert.equal(step.state.state, 'UNKNOWN');
  });

  it('pausing a DOWN target keeps its incident open; resumed and still failing, the same incident goes on', () => {
    const down = run(['refused', 'refused', 'refused']).state;
    const opened = down.incident!;
    let step = stepMonitor('t', down, { kind: 'pause' }, 10_000, settings);
    assert.deepEqual(incidents(step.events), []);
    assert.equal(step.state.state, 'PAUSED');
    assert.equal(step.state.incident, opened);
    step = stepMonitor('t', step.state, { kind: 'resume' }, 20_000, settings);
    assert.equal(step.state.state, 'UNKNOWN');
    assert.equal(step.state.incident, opened);
    // Once confirmed again (retries + 1 failures): no new incident, the same one, same id and start.
    const after = run(['refused', 'refused', 'refused'], settings, step.state);
    assert.deepEqual(after.states, ['RETRYING', 'RETRYING', 'DOWN']);
    assert.deepEqual(incidents(after.events), []);
    assert.equal(after.state.incident?.id, opened.id);
    assert.equal(after.state.incident?.started, 1000);
    // Then it recovers: one close, its duration from the first failure before the pause.
    const rec = run(['refused', 'open', 'open', 'open'], settings, after.state);
    const closed = incidents(rec.events);
    assert.equal(closed.length, 1);
    assert.ok(closed[0]?.type === 'incident' && closed[0].phase === 'closed');
    assert.equal(closed[0].incident.id, opened.id);
    assert.equal(closed[0].incident.endedBy, 'recovered');
    assert.equal(closed[0].incident.durationMs, 2000 - 1000);
  });

  it('resumed, a carried incident closes at the first good check (recovered)', () => {
    const down = run(['refused', 'refused', 'refused']).state;
    const paused = stepMonitor('t', down, { kind: 'pause' }, 10_000, settings).state;
    const resumed = stepMonitor('t', paused, { kind: 'resume' }, 20_000, settings).state;
    const step = stepMonitor('t', resumed, { kind: 'result', result: res('open') }, 21_000, settings);
    assert.equal(step.state.state, 'UP');
    assert.equal(step.state.incident, undefined);
    const closed = incidents(step.events);
    assert.equal(closed.length, 1);
    assert.ok(closed[0]?.type === 'incident');
    assert.deepEqual([closed[0].phase, closed[0].incident.id, closed[0].incident.ended, closed[0].incident.durationMs, closed[0].incident.endedBy], ['closed', down.incident!.id, 21_000, 20_000, 'recovered']);
  });

  it('a failure then a good check after a resume: the carried incident closes at the good one, no new incident', () => {
    const down = run(['refused', 'refused', 'refused']).state;
    const resumed = stepMonitor('t', stepMonitor('t', down, { kind: 'pause' }, 10_000, settings).state, { kind: 'resume' }, 20_000, settings).state;
    const { events, states } = run(['refused', 'open'], settings, resumed);
    assert.deepEqual(states, ['RETRYING', 'UP']);
    const evs = incidents(events);
    assert.equal(evs.length, 1);
    assert.ok(evs[0]?.type === 'incident' && evs[0].phase === 'closed' && evs[0].incident.ended === 2000);
  });

  it('an incident seeded from an earlier run (withCarriedIncident) is continued or closed like after a resume', () => {
    const earlier = { id: 't#500', targetId: 't', from: 'UP' as const, to: 'DOWN' as const, cause: 'refused' as const, evidence: 'ECONNREFUSED', started: 500, ended: null, durationMs: null };
    const seeded = withCarriedIncident(initialMonitorState(0), earlier);
    assert.equal(seeded.incident, earlier);
    // Something already confirmed, or already open, is not overwritten.
    const up = run(['open']).state;
    assert.equal(withCarriedIncident(up, earlier), up);
    const still = run(['refused', 'refused', 'refused', 'refused'], settings, seeded);
    assert.deepEqual(still.states, ['RETRYING', 'RETRYING', 'DOWN', 'DOWN']);
    assert.deepEqual(incidents(still.events), []);
    assert.equal(still.state.incident?.id, 't#500');
    // Slow now rather than down: the outage ends (recovered) and a slow incident opens.
    const slow = run([['open', 500]], settings, seeded);
    assert.deepEqual(incidents(slow.events).map((e) => e.type === 'incident' && `${e.phase}:${e.incident.to}:${e.incident.endedBy ?? ''}`), ['closed:DOWN:recovered', 'opened:SLOW:']);
    // Failing a different way is still the same outage: the cause shown moves on, the incident stays.
    const timeout = run(['timeout', 'timeout', 'timeout'], settings, seeded);
    assert.deepEqual(incidents(timeout.events), []);
    assert.equal(timeout.state.cause, 'timeout');
    assert.equal(timeout.state.incident?.id, 't#500');
  });

  it('a carried SLOW incident goes on when the first answer is slow again', () => {
    const earlier = { id: 't#500', targetId: 't', from: 'UP' as const, to: 'SLOW' as const, cause: 'slow' as const, evidence: 'handshake 500ms', started: 500, ended: null, durationMs: null };
    const { states, events, state } = run([['open', 500]], settings, withCarriedIncident(initialMonitorState(0), earlier));
    assert.deepEqual(states, ['SLOW']);
    assert.deepEqual(incidents(events), []);
    assert.equal(state.incident?.id, 't#500');
  });

  it('removing or re-pointing a target closes its incident, paused or not', () => {
    const down = run(['refused', 'refused', 'refused']).state;
    const paused = stepMonitor('t', down, { kind: 'pause' }, 10_000, settings).state;
    for (const [from, reason] of [[down, 'removed'], [paused, 'changed']] as const) {
      const step = stepMonitor('t', from, { kind: 'end', reason }, 30_000, settings);
      const closed = incidents(step.events);
      assert.equal(closed.length, 1);
      assert.ok(closed[0]?.type === 'incident' && closed[0].incident.endedBy === reason && closed[0].incident.durationMs === 29_000);
      assert.equal(step.state.incident, undefined);
    }
  });

  it('keeps the newest cause while DOWN (refused turning into timeout)', () => {
    const { state } = run(['refused', 'refused', 'refused', 'timeout']);
    assert.equal(state.state, 'DOWN');
    assert.equal(state.cause, 'timeout');
    assert.equal(state.incident?.cause, 'refused');
  });

  it('emits a trend event when handshakes rise well above their own baseline, and clears it', () => {
    const seq: [Outcome, number][] = [];
    for (let i = 0; i < 60; i++) seq.push(['open', 2 + (i % 3) * 0.1]);
    for (let i = 0; i < 5; i++) seq.push(['open', 40]);
    const rising = run(seq, { retries: 1, slowAfterMs: 1000 });
    const trends = rising.events.filter((e) => e.type === 'trend');
    assert.equal(trends.length, 1);
    assert.equal(trends[0]?.type === 'trend' && trends[0].phase, 'rising');
    assert.ok(trends[0]?.type === 'trend' && trends[0].recentMs >= 40 && trends[0].baselineMs < 3);
    assert.equal(rising.state.state, 'UP', 'a trend is a warning, not a state change');
    const back = run(Array.from({ length: 5 }, (): [Outcome, number] => ['open', 2]), { retries: 1, slowAfterMs: 1000 }, rising.state);
    assert.deepEqual(back.events.filter((e) => e.type === 'trend').map((e) => e.type === 'trend' && e.phase), ['cleared']);
  });

  it('does not call sub-millisecond noise a trend (the floor)', () => {
    const seq: [Outcome, number][] = [];
    for (let i = 0; i < 60; i++) seq.push(['open', 0.05]);
    for (let i = 0; i < 10; i++) seq.push(['open', 0.5]);
    const { events } = run(seq, { retries: 1, slowAfterMs: 1000 });
    assert.equal(events.filter((e) => e.type === 'trend').length, 0);
  });

  it('is pure: the previous state is never modified', () => {
    const { state } = run(['open', 'refused']);
    const frozen = JSON.stringify(state);
    stepMonitor('t', state, { kind: 'result', result: res('refused') }, 9000, settings);
    stepMonitor('t', state, { kind: 'pause' }, 9000, settings);
    assert.equal(JSON.stringify(state), frozen);
  });
});
