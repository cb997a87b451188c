// Handshake times as porthole reports them, against the wire (tcpdump's SYN→SYN-ACK of the same
// connection): a one-shot `porthole check`, a quiet agent (5 targets, 2 s) and a busy one (201
// targets, 1 s), each with the kernel clock and with the JS clock (PORTHOLE_HANDSHAKE_CLOCK=js) in
// the same run. Asserted: the pairing works, and the kernel clock's error is a fraction of the JS
// clock's. The figures are printed (t.diagnostic), not asserted: the machine is shared.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { distMissing } from '../helpers/agent.js';
import { agentRun, errorStats, HandshakeCapture, listeners, oneShotChecks, pair, privateLoopback, wireUnavailable, type Reported } from '../helpers/handshake-wire.js';
import { handshakeClock } from '../../src/probe/handshake-clock.js';

const skip = wireUnavailable() ?? distMissing ?? (handshakeClock().clock !== 'kernel-tcp_info' ? `no kernel clock here: ${handshakeClock().why}` : false);
const JS = { PORTHOLE_HANDSHAKE_CLOCK: 'js' };
const ms = (v: number) => `${v.toFixed(3)}ms`;

describe('handshake times against the wire', { skip }, () => {
  const host = privateLoopback();
  let dir: string;
  let l: Awaited<ReturnType<typeof listeners>>;
  let cap: HandshakeCapture;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-timing-'));
    l = await listeners(host, 201);
    cap = await HandshakeCapture.start(host);
  });
  after(async () => {
    await cap?.stop();
    await l?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Pairs both runs with what the capture saw, checks the pairing and compares the two clocks. */
  function judge(t: { diagnostic: (s: string) => void }, name: string, kernel: Reported[], js: Reported[]): void {
    const k = pair(kernel, cap.handshakes);
    const j = pair(js, cap.handshakes);
    const ks = errorStats(k.paired);
    const js_ = errorStats(j.paired);
    t.diagnostic(`${name}: kernel clock error median ${ms(ks.median)} p95 ${ms(ks.p95)} (n=${ks.n}, unpaired ${k.unpaired}); js clock error median ${ms(js_.median)} p95 ${ms(js_.p95)} (n=${js_.n}); wire median ${ms(ks.wireMedian)}`);
    assert.ok(kernel.length > 0 && js.length > 0, 'both runs reported handshake times');
    // A handshake whose SYN was retransmitted is timed by the JS clock on purpose (rare on loopback).
    const kernelTimed = kernel.filter((r) => r.clock === 'kernel-tcp_info').length;
    assert.ok(kernelTimed >= 0.99 * kernel.length, `the kernel clock is used when the addon is there (${kernelTimed}/${kernel.length})`);
    assert.ok(js.every((r) => r.clock === 'js-monotonic'), 'PORTHOLE_HANDSHAKE_CLOCK=js selects the JS clock');
    assert.ok(k.paired.length >= 0.9 * kernel.length && j.paired.length >= 0.9 * js.length, `most reports pair with a wire handshake (kernel ${k.paired.length}/${kernel.length}, js ${j.paired.length}/${js.length})`);
    assert.ok(k.paired.every((p) => p.localPort > 0 && p.wireMs >= 0), 'paired by a real local port');
    assert.ok(ks.median < js_.median / 2, `kernel error median ${ms(ks.median)} is under half the JS clock's ${ms(js_.median)}`);
    assert.ok(ks.p95 < js_.p95, `kernel error p95 ${ms(ks.p95)} is under the JS clock's ${ms(js_.p95)}`);
  }

  it('one-shot porthole check', async (t) => {
    const port = l.ports[0]!;
    const kernel = await oneShotChecks(host, port, 8);
    const js = await oneShotChecks(host, port, 8, JS);
    judge(t, 'one-shot check', kernel, js);
  });

  it('a quiet agent: 5 targets every 2 s', async (t) => {
    const ports = l.ports.slice(0, 5);
    const kernel = await agentRun({ host, ports, interval: '2s', seconds: 8, dir });
    const js = await agentRun({ host, ports, interval: '2s', seconds: 8, dir, env: JS });
    judge(t, 'quiet agent', kernel, js);
  });

  it('a busy agent: 201 targets every second', async (t) => {
    const kernel = await agentRun({ host, ports: l.ports, interval: '1s', seconds: 5, dir });
    const js = await agentRun({ host, ports: l.ports, interval: '1s', seconds: 5, dir, env: JS });
    judge(t, 'busy agent', kernel, js);
  });
});
