import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveTarget, BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { probeTcp } from '../../src/probe/tcp.js';
import { waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const SCRIPT = fileURLToPath(new URL('../fixtures/slow_acceptor.py', import.meta.url));
const skip = which('python3') ? false : 'needs python3 for a listener that does not accept';

interface SlowAcceptor {
  port: number;
  proc: ChildProcessWithoutNullStreams;
  acceptOne(): void;
}

async function startSlowAcceptor(): Promise<SlowAcceptor> {
  const proc = spawn('python3', [SCRIPT]);
  const lines = createInterface({ input: proc.stdout });
  const port = await new Promise<number>((resolve) => lines.once('line', (l) => resolve(Number(l))));
  return { port, proc, acceptOne: () => proc.stdin.write('\n') };
}

/** Opens one connection that completes and sits in the accept queue, filling it (backlog 0). */
async function fillQueue(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  return s;
}

describe('an overloaded listener (accept queue full)', { skip }, () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  it('makes the kernel drop the SYN: the handshake takes ≥1 s (retransmission) and the target is SLOW, not down', async () => {
    const acc = await startSlowAcceptor();
    const filler = await fillQueue(acc.port);
    cleanup.push(() => filler.destroy(), () => acc.proc.kill());
    const target = resolveTarget({ name: 'busy', host: '127.0.0.1', port: acc.port, slowAfter: 500, timeout: 5000, retries: 1 }, BUILTIN_DEFAULTS);
    const engine = new Engine({ targets: [target], startSpreadMs: 0 });
    engine.start();
    cleanup.push(() => void engine.stop());
    // Drain one slot while the first SYN waits for its retransmission.
    setTimeout(() => acc.acceptOne(), 300);
    const view = await waitFor('a result', () => engine.get('busy')?.lastResult && engine.get('busy'), 8000);
    await engine.stop();
    assert.equal(view.lastResult?.outcome, 'open');
    assert.ok((view.lastResult?.connectMs ?? 0) >= 900, `handshake took ${view.lastResult?.connectMs}ms`);
    assert.equal(view.monitor.state, 'SLOW');
    assert.equal(view.monitor.cause, 'slow');
  });

  it('a queue that never drains ends in timeout', async () => {
    const acc = await startSlowAcceptor();
    const filler = await fillQueue(acc.port);
    cleanup.push(() => filler.destroy(), () => acc.proc.kill());
    const r = await probeTcp({ host: '127.0.0.1', port: acc.port, timeoutMs: 1500, family: 0 });
    assert.equal(r.outcome, 'timeout');
    assert.equal(r.errno, 'ETIMEDOUT');
  });
});
