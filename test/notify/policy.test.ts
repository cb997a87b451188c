import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { DEFAULT_ALERTS, type AlertSettings, type MaintenanceWindow } from '../../src/config/notify-config.js';
import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import type { Incident, State } from '../../src/engine/types.js';
import { inMaintenance } from '../../src/notify/maintenance.js';
import { AlertPolicy } from '../../src/notify/policy.js';
import type { AlertItem } from '../../src/notify/types.js';

const target = { ...resolveTarget({ name: 'pg', host: 'db1', port: 5432 }, BUILTIN_DEFAULTS), notify: ['team'] };

function harness(alerts: Partial<AlertSettings> = {}, maintenance: MaintenanceWindow[] = [], raisedBefore?: (id: string) => { kind: 'down' | 'slow'; reminders: number } | undefined) {
  const raised: AlertItem[] = [];
  let state: State = 'DOWN';
  const policy = new AlertPolicy({
    alerts: { ...DEFAULT_ALERTS, ...alerts },
    maintenance,
    target: (id) => (id === target.id ? target : undefined),
    state: () => state,
    raise: (item) => raised.push(item),
    channels: new Set(['team']),
    ...(raisedBefore ? { raisedBefore } : {}),
    location: 'local',
    now: () => Date.now(),
  });
  return { policy, raised, setState: (s: State) => (state = s) };
}

const incident = (to: 'DOWN' | 'SLOW', extra: Partial<Incident> = {}): Incident => ({
  id: `pg#${to}`,
  targetId: 'pg',
  from: 'UP',
  to,
  cause: to === 'DOWN' ? 'refused' : 'slow',
  evidence: 'ECONNREFUSED',
  started: Date.now(),
  ended: null,
  durationMs: null,
  ...extra,
});

describe('alert policy', () => {
  it('reminds every remindEvery while DOWN, and stops at the recovery', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      const { policy, raised, setState } = harness({ remindEveryMs: 60_000 });
      const inc = incident('DOWN');
      policy.onEvent({ type: 'incident', phase: 'opened', incident: inc });
      mock.timers.tick(60_000);
      mock.timers.tick(60_000);
      assert.deepEqual(raised.map((a) => a.kind), ['down', 'reminder', 'reminder']);
      assert.equal(raised[2]!.durationMs, 120_000, 'a reminder says how long it has been down');
      assert.notEqual(raised[1]!.alertId, raised[2]!.alertId, 'each reminder has its own id');
      setState('UP');
      policy.onEvent({ type: 'incident', phase: 'closed', incident: { ...inc, ended: Date.now(), durationMs: 125_000, endedBy: 'recovered' } });
      mock.timers.tick(180_000);
      assert.deepEqual(raised.map((a) => a.kind), ['down', 'reminder', 'reminder', 'recovery']);
      assert.equal(raised[3]!.durationMs, 125_000);
    } finally {
      mock.timers.reset();
    }
  });

  it('no reminders when remindEvery is off (the default)', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { policy, raised } = harness();
      policy.onEvent({ type: 'incident', phase: 'opened', incident: incident('DOWN') });
      mock.timers.tick(24 * 3_600_000);
      assert.deepEqual(raised.map((a) => a.kind), ['down']);
    } finally {
      mock.timers.reset();
    }
  });

  it('SLOW and trend alerts only when asked for', () => {
    const off = harness();
    off.policy.onEvent({ type: 'incident', phase: 'opened', incident: incident('SLOW') });
    off.policy.onEvent({ type: 'trend', targetId: 'pg', phase: 'rising', recentMs: 40, baselineMs: 2, at: Date.now() });
    assert.equal(off.raised.length, 0);
    const on = harness({ slow: true, trend: true });
    on.policy.onEvent({ type: 'incident', phase: 'opened', incident: incident('SLOW') });
    on.policy.onEvent({ type: 'trend', targetId: 'pg', phase: 'rising', recentMs: 40, baselineMs: 2, at: Date.now() });
    assert.deepEqual(on.raised.map((a) => a.kind), ['slow', 'trend']);
    assert.match(on.raised[1]!.evidence, /40ms against a baseline of 2ms/);
  });

  it('no all-clear for an outage that ended by removing or re-pointing the target', () => {
    for (const endedBy of ['removed', 'changed'] as const) {
      const { policy, raised } = harness();
      const inc = incident('DOWN');
      policy.onEvent({ type: 'incident', phase: 'opened', incident: inc });
      policy.onEvent({ type: 'incident', phase: 'closed', incident: { ...inc, ended: Date.now(), durationMs: 5000, endedBy } });
      assert.deepEqual(raised.map((a) => a.kind), ['down']);
    }
  });

  it('no reminder while the target is paused (the incident stays open); they resume with it', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      const { policy, raised, setState } = harness({ remindEveryMs: 60_000 });
      policy.onEvent({ type: 'incident', phase: 'opened', incident: incident('DOWN') });
      setState('PAUSED');
      mock.timers.tick(120_000);
      assert.deepEqual(raised.map((a) => a.kind), ['down']);
      setState('DOWN');
      mock.timers.tick(60_000);
      assert.deepEqual(raised.map((a) => a.kind), ['down', 'reminder']);
    } finally {
      mock.timers.reset();
    }
  });

  it('an incident an earlier run alerted gets its recovery; reminders go on numbered after the earlier ones', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      const inc = incident('DOWN', { id: 'pg#earlier', started: 400_000 });
      const { policy, raised, setState } = harness({ remindEveryMs: 60_000 }, [], (id) => (id === 'pg#earlier' ? { kind: 'down', reminders: 2 } : undefined));
      policy.adopt(inc);
      policy.adopt(incident('DOWN', { id: 'pg#never-alerted' }));
      mock.timers.tick(60_000);
      assert.deepEqual(raised.map((a) => a.alertId), ['reminder:pg#earlier:3']);
      setState('UP');
      policy.onEvent({ type: 'incident', phase: 'closed', incident: { ...inc, ended: Date.now(), durationMs: Date.now() - 400_000, endedBy: 'recovered' } });
      policy.onEvent({ type: 'incident', phase: 'closed', incident: { ...incident('DOWN', { id: 'pg#never-alerted' }), ended: Date.now(), durationMs: 1, endedBy: 'recovered' } });
      assert.deepEqual(raised.map((a) => a.kind), ['reminder', 'recovery']);
      assert.equal(raised[1]!.alertId, 'recovery:pg#earlier');
      assert.equal(raised[1]!.durationMs, 660_000, 'the whole outage, across the restart');
    } finally {
      mock.timers.reset();
    }
  });

  it('without adopt, a closing incident an earlier run alerted still gets its recovery (asked of the outbox)', () => {
    const { policy, raised } = harness({}, [], (id) => (id === 'pg#earlier' ? { kind: 'down', reminders: 0 } : undefined));
    policy.onEvent({ type: 'incident', phase: 'closed', incident: { ...incident('DOWN', { id: 'pg#earlier' }), ended: Date.now(), durationMs: 9000, endedBy: 'recovered' } });
    assert.deepEqual(raised.map((a) => `${a.kind}:${a.durationMs}`), ['recovery:9000']);
  });

  it('nothing inside a maintenance window, weekly windows running past midnight included', () => {
    const now = new Date();
    const minute = now.getHours() * 60 + now.getMinutes();
    // A window from one hour before now to one hour after, written across midnight when it has to be.
    const from = (minute + 1440 - 60) % 1440;
    const to = (minute + 60) % 1440;
    const { policy, raised } = harness({}, [{ name: 'backup', targets: ['pg'], tags: [], kind: 'weekly', days: [0, 1, 2, 3, 4, 5, 6], fromMinute: from, toMinute: to }]);
    policy.onEvent({ type: 'incident', phase: 'opened', incident: incident('DOWN') });
    assert.equal(raised.length, 0);
    assert.equal(policy.suppressed, 1);
  });

  it('a weekly window whose end is before its start runs past midnight', () => {
    const nightly: MaintenanceWindow = { name: 'nightly', targets: [], tags: ['db'], kind: 'weekly', days: [1], fromMinute: 23 * 60 + 30, toMinute: 30 };
    const t = { ...target, tags: ['db'] };
    const at = (day: number, h: number, m: number) => new Date(2026, 10, 22 + day, h, m).getTime(); // 2026-11-23 is a Monday
    assert.equal(inMaintenance([nightly], t, at(1, 23, 45)), true, 'Monday 23:45');
    assert.equal(inMaintenance([nightly], t, at(2, 0, 15)), true, 'Tuesday 00:15, the same night');
    assert.equal(inMaintenance([nightly], t, at(2, 0, 45)), false, 'Tuesday 00:45');
    assert.equal(inMaintenance([nightly], t, at(1, 12, 0)), false, 'Monday noon');
    assert.equal(inMaintenance([nightly], { ...t, tags: ['web'] }, at(1, 23, 45)), false, 'another tag');
  });
});
