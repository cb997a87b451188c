import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { SampleRing } from '../../src/engine/sample-ring.js';
import { resolveTarget, BUILTIN_DEFAULTS } from '../../src/config/target.js';
import type { ProbeFn } from '../../src/probe/types.js';
import { waitFor } from '../helpers/net.js';

describe('SampleRing', () => {
  it('keeps the newest samples oldest first, failed checks as null, like the array it replaces', () => {
    const ring = new SampleRing(4);
    const array: (number | null)[] = [];
    for (let i = 1; i <= 11; i++) {
      const s = i % 3 === 0 ? null : i / 10;
      ring.push(s);
      array.push(s);
      const expected = array.slice(-4);
      assert.deepEqual(ring.slice(), expected, `after ${i} pushes`);
      assert.equal(ring.length, expected.length);
      assert.deepEqual([...ring], expected);
      assert.deepEqual(ring.slice(-2), expected.slice(-2));
      assert.deepEqual(ring.slice(1), expected.slice(1));
      assert.deepEqual(ring.slice(-10), expected.slice(-10));
      assert.equal(ring.version, i);
    }
    assert.equal(JSON.stringify({ recent: ring }), JSON.stringify({ recent: array.slice(-4) }));
  });

  it('reset keeps the newest `capacity` of what it is given', () => {
    const ring = SampleRing.from([1, 2], 3);
    ring.reset([5, null, 6, 7, 8]);
    assert.deepEqual(ring.slice(), [6, 7, 8]);
    ring.push(null);
    assert.deepEqual(ring.slice(), [7, 8, null]);
  });
});

describe('engine: the ring stays in place', () => {
  it('each result makes a new view with the same ring, pushed once; seedRecent goes before', async () => {
    let n = 0;
    const probe: ProbeFn = async () => {
      n++;
      return n % 4 === 0
        ? { outcome: 'refused', startedAt: Date.now(), dnsMs: 0, connectMs: null, totalMs: 0.1, errno: 'ECONNREFUSED' }
        : { outcome: 'open', startedAt: Date.now(), dnsMs: 0, connectMs: n, totalMs: n };
    };
    const target = resolveTarget({ name: 'a', host: '127.0.0.1', port: 40001, interval: 10, retries: 0 }, BUILTIN_DEFAULTS);
    const engine = new Engine({ targets: [target], probe, recentSize: 5, startSpreadMs: 0 });
    engine.seedRecent(target.id, [0.5, 0.25]);
    const first = engine.get(target.id)!;
    const ring = first.recent;
    assert.deepEqual(ring.slice(), [0.5, 0.25]);
    const views = new Set([first]);
    engine.subscribe((e) => {
      if (e.type === 'result') views.add(engine.get(target.id)!);
    });
    engine.start();
    await waitFor('six checks', () => n >= 6, 5000);
    await engine.stop();
    const last = engine.get(target.id)!;
    assert.equal(last.recent, ring, 'the same ring object');
    assert.ok(views.size >= 2, 'a new view per result');
    assert.equal(last.recent.length, 5);
    const expected = [0.5, 0.25, ...Array.from({ length: n }, (_, i) => ((i + 1) % 4 === 0 ? null : i + 1))].slice(-5);
    assert.deepEqual(last.recent.slice(), expected);
  });
});
