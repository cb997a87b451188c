import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { initialMonitorState, stepMonitor } from '../../src/engine/monitor.js';
import type { MonitorEvent, MonitorState } from '../../src/engine/types.js';
import type { Outcome, ProbeResult } from '../../src/probe/types.js';
import { validateConfig } from '../../src/config/load.js';
import { expectAt } from '../../src/config/cluster-schema.js';
import { quorumOf } from '../../src/cluster/quorum.js';
import type { ResultMessage } from '../../src/cluster/result-message.js';
import { listen, waitFor } from '../helpers/net.js';
import { startRuntime } from '../../src/runtime/runtime.js';

function res(outcome: Outcome): ProbeResult {
  return { outcome, startedAt: 0, address: '127.0.0.1', dnsMs: null, connectMs: outcome === 'open' ? 1 : null, totalMs: 1, ...(outcome === 'refused' ? { errno: 'ECONNREFUSED' } : {}) };
}

function run(seq: Outcome[], retries = 1) {
  let state: MonitorState = initialMonitorState(0);
  const states: string[] = [];
  const events: MonitorEvent[] = [];
  seq.forEach((o, i) => {
    const step = stepMonitor('t', state, { kind: 'result', result: res(o) }, (i + 1) * 1000, { retries, slowAfterMs: 100, expectClosed: true });
    state = step.state;
    states.push(state.state);
    events.push(...step.events);
  });
  return { state, states, events };
}

describe('exposure checks: a port that must stay closed', () => {
  it('refused or filtered is UP; answering is DOWN with cause exposed after the retries; closing again recovers', () => {
    const { states, events } = run(['refused', 'timeout', 'unreachable', 'open', 'open', 'refused', 'refused']);
    // A recovery is confirmed like a failure: retries + 1 closed results.
    assert.deepEqual(states, ['UP', 'UP', 'UP', 'RETRYING', 'DOWN', 'DOWN', 'UP']);
    const opened = events.find((e) => e.type === 'incident' && e.phase === 'opened');
    assert.ok(opened && opened.type === 'incident');
    assert.equal(opened.incident.cause, 'exposed');
    assert.match(opened.incident.evidence, /127\.0\.0\.1 answered \(expected closed\)/);
    assert.ok(events.some((e) => e.type === 'incident' && e.phase === 'closed'));
  });
  it('a name that does not resolve proves nothing: it stays a failure of its own', () => {
    const { state } = run(['dns', 'dns'], 1);
    assert.equal(state.state, 'DOWN');
    assert.equal(state.cause, 'dns');
  });
  it('config: "expectState" everywhere or per location, with clear errors', () => {
    const cfg = validateConfig('c.json', { targets: [{ name: 'a', host: '127.0.0.1', port: 1, expectState: 'closed' }, { name: 'b', host: '127.0.0.1', port: 2, expectState: { 'inside-dc': 'open', public: 'closed' } }] });
    assert.equal(cfg.targets[0]?.expectState, 'closed');
    assert.equal(expectAt(cfg.targets[1]?.expectState, 'public'), 'closed');
    assert.equal(expectAt(cfg.targets[1]?.expectState, 'inside-dc'), 'open');
    assert.equal(expectAt(cfg.targets[1]?.expectState, 'elsewhere'), 'open');
    assert.throws(() => validateConfig('c.json', { targets: [{ name: 'a', host: '127.0.0.1', port: 1, expectState: 'shut' }] }), (e: Error & { problems?: { path: string; message: string }[] }) => {
      assert.equal(e.problems?.[0]?.path, 'targets[0].expectState');
      assert.match(e.problems?.[0]?.message ?? '', /"open", "closed", or an object of location/);
      return true;
    });
  });
  it('quorum: one location that reaches a closed port is enough, and it is named', () => {
    const now = 1_800_000_000_000;
    const m = (location: string, state: 'UP' | 'DOWN', cause?: string): ResultMessage => ({ location, id: 'db', name: 'db', host: 'h', port: 1, at: now - 100, state, outcome: 'open', connectMs: 1, totalMs: 1, intervalMs: 1000, ...(cause ? { cause } : {}) });
    const v = quorumOf([m('a', 'UP'), m('b', 'UP'), m('c', 'DOWN', 'exposed')], now);
    assert.equal(v?.state, 'DOWN');
    assert.equal(v?.label, 'EXPOSED c');
    assert.deepEqual(v?.exposed, ['c']);
  });
  it('single machine: a listening port expected closed is an incident "exposed" in the runtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-exposure-'));
    const l = await listen('127.0.0.1');
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ defaults: { interval: '500ms', timeout: '500ms', retries: 0 }, targets: [{ name: 'admin', host: '127.0.0.1', port: l.port, expectState: 'closed' }] }));
    const rt = startRuntime({ config: file, dataDir: join(dir, 'data'), env: { ...process.env, PORTHOLE_CONFIG_DIR: join(dir, 'cfg') } });
    try {
      rt.start();
      const v = await waitFor('DOWN exposed', () => {
        const view = rt.feed.get('admin');
        return view?.monitor.state === 'DOWN' ? view : undefined;
      }, 10_000, 50);
      assert.equal(v.monitor.cause, 'exposed');
      await l.close();
      await waitFor('UP once closed', () => rt.feed.get('admin')?.monitor.state === 'UP', 10_000, 50);
    } finally {
      await rt.close();
      await l.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
