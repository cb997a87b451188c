import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openMemoryStore } from '../../src/store/index.js';
import { Outbox } from '../../src/notify/outbox.js';
import type { AlertItem } from '../../src/notify/types.js';
import { validateTarget } from '../../src/config/load.js';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { initialMonitorState } from '../../src/engine/monitor.js';
import { confirmationMs, HOST_HOLD_CAP_MS, hostCheckOf, hostHold, type HostCheck } from '../../src/notify/host-hold.js';

const check = (state: HostCheck['state'], confirmMs = 22_000, incidentStarted?: number): HostCheck => ({ state, confirmMs, ...(incidentStarted !== undefined ? { incidentStarted } : {}) });

describe('holding a host\'s alert for the rest of the host (pure)', () => {
  const down = { kind: 'down' as const, started: 1_000, created: 3_000 };

  it('a DOWN waits while another check of the host is RETRYING, and goes once none is', () => {
    assert.deepEqual(hostHold(down, [check('RETRYING'), check('UP')], 8_000), { go: false, until: 25_000, waitingFor: 1 });
    assert.deepEqual(hostHold(down, [check('DOWN', 22_000, 12_000), check('UP')], 12_500), { go: true });
  });

  it('a DOWN waits for a port still up whose probe is in flight (its timeout not yet reached), not for a down one', () => {
    assert.deepEqual(hostHold(down, [{ ...check('UP'), probing: true }], 8_000), { go: false, until: 25_000, waitingFor: 1 });
    assert.deepEqual(hostHold(down, [{ ...check('DOWN', 22_000, 2_000), probing: true }], 8_000), { go: true });
  });

  it('a host whose other checks are settled (up, down, paused, unknown) is not held past groupWithin', () => {
    for (const s of ['UP', 'SLOW', 'DOWN', 'PAUSED', 'UNKNOWN'] as const) assert.deepEqual(hostHold(down, [check(s)], 8_000), { go: true }, s);
    assert.deepEqual(hostHold(down, [], 8_000), { go: true });
  });

  it('the wait is bounded by the slowest confirming check, and by the cap', () => {
    const d = hostHold(down, [check('RETRYING', 4_000), check('RETRYING', 9_000)], 8_000);
    assert.deepEqual(d, { go: false, until: 12_000, waitingFor: 2 });
    assert.deepEqual(hostHold(down, [check('RETRYING', 9_000)], 12_000), { go: true }, 'at the bound it goes, still retrying or not');
    const capped = hostHold(down, [check('RETRYING', 300_000)], 8_000);
    assert.deepEqual(capped, { go: false, until: 3_000 + HOST_HOLD_CAP_MS, waitingFor: 1 });
    assert.deepEqual(hostHold(down, [check('RETRYING', 300_000)], 3_000 + HOST_HOLD_CAP_MS), { go: true });
  });

  it('a recovery waits for the checks that went down with it, not for one down since long before', () => {
    const rec = { kind: 'recovery' as const, started: 100_000, created: 160_000 };
    assert.deepEqual(hostHold(rec, [check('DOWN', 22_000, 109_000)], 165_000), { go: false, until: 182_000, waitingFor: 1 });
    assert.deepEqual(hostHold(rec, [check('DOWN', 22_000, 10_000)], 165_000), { go: true }, 'down since long before: not the same outage');
    assert.deepEqual(hostHold(rec, [check('UP'), check('RETRYING')], 165_000), { go: true });
  });

  it('other kinds go at once', () => {
    for (const kind of ['slow', 'reminder', 'trend', 'test'] as const) {
      assert.deepEqual(hostHold({ kind, started: 0, created: 0 }, [check('RETRYING')], 1), { go: true }, kind);
    }
  });

  it('from the engine\'s view: a port probe in flight is probing, a ping round in flight is not', () => {
    const of = (raw: Record<string, unknown>, inFlight: boolean) => hostCheckOf({ target: validateTarget(raw, BUILTIN_DEFAULTS).target!, monitor: { ...initialMonitorState(0), state: 'UP', confirmed: 'UP' }, inFlight });
    assert.deepEqual(of({ name: 'pg', host: 'db1', port: 5432 }, true), { state: 'UP', probing: true, confirmMs: 22_000 });
    assert.equal(of({ name: 'pg', host: 'db1', port: 5432 }, false).probing, undefined);
    assert.equal(of({ name: 'ping db1', kind: 'ping', host: 'db1' }, true).probing, undefined);
  });

  it('a check\'s confirmation time: one interval, every try, every retry delay', () => {
    // The defaults: 10 s interval, 5 s timeout, 1 retry after 2 s.
    assert.equal(confirmationMs({ intervalMs: 10_000, timeoutMs: 5_000, retries: 1, retryDelayMs: 2_000 }), 22_000);
    assert.equal(confirmationMs({ intervalMs: 1_000, timeoutMs: 300, retries: 0, retryDelayMs: 2_000 }), 1_300);
  });
});

describe('a held row in the outbox', () => {
  const item = (alertId: string, targetId: string, at: number): AlertItem => ({
    alertId, kind: 'down', targetId, name: targetId, host: 'db1', port: 1, from: 'UP', to: 'DOWN', cause: 'timeout', evidence: '', started: at, at, location: 'local',
  });

  it('takes in what its host raised while it waited, and is sent once', () => {
    const store = openMemoryStore();
    try {
      const outbox = new Outbox(store.db);
      outbox.enqueue(item('down:ping', 'ping', 3_000), ['hook'], 'down|local|db1', 1_000);
      outbox.enqueue(item('down:pg', 'pg', 7_000), ['hook'], 'down|local|db1', 1_000);
      const [lead] = outbox.due(4_000, 10);
      assert.equal(lead?.alertId, 'down:ping');
      outbox.postpone(lead!.id, 7_250);
      assert.deepEqual(outbox.due(7_000, 10), [], 'nothing due while held (the port row waits its own groupWithin)');
      // The last port confirms just after the lead's due time, before the dispatcher gets to it.
      outbox.enqueue(item('down:api', 'api', 7_300), ['hook'], 'down|local|db1', 1_000);
      const held = outbox.due(7_250, 10)[0]!;
      const rows = outbox.beginAttempt(held, 1_000, 7_320);
      assert.deepEqual(rows.map((r) => r.alertId), ['down:ping', 'down:pg', 'down:api'], 'one message for the host');
      outbox.markDelivered('hook', rows[0]!.batch!, 7_300);
      outbox.postpone(held.id, 9_000);
      assert.deepEqual(outbox.due(100_000, 10), [], 'a delivered row is not brought back by a late postpone');
      assert.equal(outbox.statusOf('down:pg'), 'delivered');
      assert.equal(outbox.statusOf('down:api'), 'delivered');
    } finally {
      store.close();
    }
  });

  it('a later row of the host that goes first takes in an earlier one still held (their steps run at different phases)', () => {
    const store = openMemoryStore();
    try {
      const outbox = new Outbox(store.db);
      // The ping confirms first and is held for the ports; the first port's row, due later, is held too.
      outbox.enqueue(item('down:ping', 'ping', 3_000), ['hook'], 'down|local|db1', 1_000);
      outbox.enqueue(item('down:pg', 'pg', 5_500), ['hook'], 'down|local|db1', 1_000);
      outbox.postpone(outbox.due(4_000, 10)[0]!.id, 6_800);
      const [pgRow] = outbox.due(6_500, 10);
      assert.equal(pgRow?.alertId, 'down:pg');
      outbox.postpone(pgRow!.id, 6_750);
      // The last port confirms; the pg row's step comes before the ping row's: pg leads.
      outbox.enqueue(item('down:api', 'api', 6_520), ['hook'], 'down|local|db1', 1_000);
      const due = outbox.due(6_760, 10);
      assert.deepEqual(due.map((r) => r.alertId), ['down:pg'], 'the later row is due first and leads');
      const rows = outbox.beginAttempt(due[0]!, 1_000, 6_760);
      assert.deepEqual(rows.map((r) => r.alertId), ['down:ping', 'down:pg', 'down:api'], 'one message for the host');
      outbox.markDelivered('hook', rows[0]!.batch!, 6_800);
      assert.deepEqual(outbox.due(100_000, 10), [], 'nothing left to send alone');
    } finally {
      store.close();
    }
  });

  it('not held, the window stays groupWithin', () => {
    const store = openMemoryStore();
    try {
      const outbox = new Outbox(store.db);
      outbox.enqueue(item('down:ping', 'ping', 3_000), ['hook'], 'down|local|db1', 1_000);
      outbox.enqueue(item('down:pg', 'pg', 7_000), ['hook'], 'down|local|db1', 1_000);
      const rows = outbox.beginAttempt(outbox.due(4_000, 10)[0]!, 1_000, 4_000);
      assert.deepEqual(rows.map((r) => r.alertId), ['down:ping']);
    } finally {
      store.close();
    }
  });
});
