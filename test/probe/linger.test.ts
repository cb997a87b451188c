import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CoarseDeadlines } from '../../src/probe/deadlines.js';
import { listenWindowMs } from '../../src/probe/mysql-farewell.js';
import { probeTcp, socketsClosing } from '../../src/probe/tcp.js';
import { listen, waitFor } from '../helpers/net.js';

describe('the plain check’s goodbye (linger)', () => {
  it('a silent server gets the FIN after the listen window, not before', async () => {
    const finAfter: number[] = [];
    const l = await listen('127.0.0.1', 0, (s) => {
      const t0 = performance.now();
      s.on('end', () => {
        finAfter.push(performance.now() - t0);
        s.end();
      });
      s.resume();
    });
    try {
      const rs = await Promise.all(Array.from({ length: 5 }, () => probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 2000, family: 0 })));
      assert.ok(rs.every((r) => r.outcome === 'open'));
      await waitFor('5 FINs', () => finAfter.length === 5, 10_000);
      const window = listenWindowMs(Math.max(...rs.map((r) => r.connectMs ?? 0)));
      assert.ok(Math.min(...finAfter) >= window - 5, `FIN after ${Math.min(...finAfter).toFixed(0)}ms, window ${window}ms`);
      await waitFor('nothing left closing', () => socketsClosing() === 0, 5000);
    } finally {
      await l.close();
    }
  });

  it('a server that hangs up first is answered with FIN at once, and nothing is left closing', async () => {
    const answeredAfter: number[] = [];
    const l = await listen('127.0.0.1', 0, (s) => {
      const t0 = performance.now();
      s.on('close', () => answeredAfter.push(performance.now() - t0));
      s.on('end', () => undefined);
      s.resume();
      s.end();
    });
    try {
      const r = await probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 2000, family: 0 });
      assert.equal(r.outcome, 'open');
      await waitFor('the server side closed', () => answeredAfter.length === 1, 5000);
      assert.ok(answeredAfter[0]! < listenWindowMs(r.connectMs ?? 0), `closed after ${answeredAfter[0]!.toFixed(0)}ms: the check did not wait out its window`);
      await waitFor('nothing left closing', () => socketsClosing() === 0, 5000);
    } finally {
      await l.close();
    }
  });

  it('one shared timer: every deadline fires once, in order of its bucket, none early', async () => {
    const fired: { id: number; late: number; tick: number }[] = [];
    const d = new CoarseDeadlines<{ id: number; at: number; tick: number }>(20, (x) => fired.push({ id: x.id, late: performance.now() - x.at, tick: x.tick }));
    const waits = [120, 10, 60, 60, 200, 0];
    waits.forEach((ms, id) => {
      const at = performance.now() + ms;
      d.add({ id, at, tick: Math.ceil(at / 20) }, ms);
    });
    const at = performance.now() + 60;
    const cancelled = { id: 99, at, tick: Math.ceil(at / 20) };
    d.cancel(cancelled, d.add(cancelled, 60));
    await waitFor('all deadlines', () => fired.length === waits.length, 5000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fired.length, waits.length, 'a cancelled deadline does not fire');
    assert.equal(d.size, 0, 'nothing left waiting');
    assert.deepEqual(new Set(fired.map((f) => f.id)), new Set(waits.map((_, i) => i)), 'each exactly once');
    assert.ok(fired.every((f) => f.late >= -0.5), 'none before its deadline');
    // Within one 20 ms bucket the order is the order added; across buckets, earlier first.
    const order = fired.map((f) => f.tick);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'earlier buckets first');
  });
  it('cancelling the last deadline disarms the timer, so a one-shot process exits at once', () => {
    const url = new URL('../../dist/probe/deadlines.js', import.meta.url).href;
    // A 20 s wait cancelled right away: the process must not stay alive for it.
    const script = `const { CoarseDeadlines } = await import(${JSON.stringify(url)}); const d = new CoarseDeadlines(25, () => process.exit(3)); const item = {}; d.cancel(item, d.add(item, 20000));`;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15000 });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''} ${r.stderr}`);
    assert.ok(performance.now() - t0 < 15000, 'ended before the spawn timeout');
  });
});
