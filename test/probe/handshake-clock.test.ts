// Which clock times a handshake, and the fallback when the kernel's is not to be had. The accuracy
// against the wire is handshake-timing.test.ts (root and tcpdump); these run anywhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handshakeClock, reportLocalPorts } from '../../src/probe/handshake-clock.js';
import { probeTcp } from '../../src/probe/tcp.js';
import { distMissing, runCli } from '../helpers/agent.js';
import { listen } from '../helpers/net.js';

const kernel = handshakeClock().clock === 'kernel-tcp_info';

describe('handshake clock', () => {
  it('on Linux with the addon built, open checks are timed by the kernel, plain and layered, with their local port', { skip: kernel ? false : `no kernel clock here: ${handshakeClock().why}` }, async () => {
    const l = await listen();
    reportLocalPorts(true);
    try {
      for (const options of [undefined, { check: 'tcp' as const, send: 'x' }]) {
        const t0 = performance.now();
        const r = await probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 2000, family: 0, ...(options ? { options } : {}) });
        const around = performance.now() - t0;
        assert.equal(r.outcome, 'open');
        assert.equal(r.clock, 'kernel-tcp_info');
        assert.ok(r.connectMs !== null && r.connectMs > 0 && r.connectMs <= around, `kernel ${r.connectMs}ms within the ${around.toFixed(3)}ms around the call`);
        assert.ok(typeof r.localPort === 'number' && r.localPort > 0 && r.localPort !== l.port);
      }
    } finally {
      reportLocalPorts(false);
      await l.close();
    }
  });

  it('without PORTHOLE_LOCAL_PORT a long-running process reports no local port (no getsockname per check), plain and layered, still timed', async () => {
    const l = await listen();
    reportLocalPorts(false);
    try {
      for (const options of [undefined, { check: 'tcp' as const, send: 'x' }]) {
        const r = await probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 2000, family: 0, ...(options ? { options } : {}) });
        assert.equal(r.outcome, 'open');
        assert.equal(r.clock, handshakeClock().clock);
        assert.ok(r.connectMs !== null && r.connectMs > 0);
        assert.equal(r.localPort, undefined);
      }
    } finally {
      await l.close();
    }
  });

  it('a failed check names no clock', async () => {
    const l = await listen();
    const port = l.port;
    await l.close();
    const r = await probeTcp({ host: '127.0.0.1', port, timeoutMs: 2000, family: 0 });
    assert.equal(r.outcome, 'refused');
    assert.equal(r.clock, undefined);
    assert.equal(r.connectMs, null);
  });

  it('PORTHOLE_HANDSHAKE_CLOCK=js: `check --json` says js-monotonic, and still gives a time and the local port', { skip: distMissing }, async () => {
    const l = await listen();
    try {
      const run = await runCli(['check', '-H', '127.0.0.1', '-p', String(l.port), '--retries', '0', '--json'], { PORTHOLE_HANDSHAKE_CLOCK: 'js' });
      assert.equal(run.code, 0, run.stderr);
      const r = (JSON.parse(run.stdout) as { results: { clock: string; connectMs: number; localPort: number }[] }).results[0]!;
      assert.equal(r.clock, 'js-monotonic');
      assert.ok(r.connectMs > 0);
      assert.ok(r.localPort > 0);
      const k = await runCli(['check', '-H', '127.0.0.1', '-p', String(l.port), '--retries', '0', '--json']);
      const kr = (JSON.parse(k.stdout) as { results: { clock: string }[] }).results[0]!;
      assert.equal(kr.clock, handshakeClock().clock === 'kernel-tcp_info' ? 'kernel-tcp_info' : 'js-monotonic');
    } finally {
      await l.close();
    }
  });
});
