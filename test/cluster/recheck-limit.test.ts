import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { RECHECK_MAX_WAITING, recheckEverywhere, serveRecheck } from '../../src/cluster/recheck.js';
import { recheckSubject } from '../../src/cluster/names.js';
import { startRuntime, type Runtime } from '../../src/runtime/runtime.js';

describe('recheck requests from anyone on NATS are rate-limited per target', { skip: natsUnavailable() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-recheck-limit-'));
  let nats: NatsServer;
  let svc: Listener;
  let rt: Runtime;
  let agentSide: NatsConnection;
  let asker: NatsConnection;
  let checksStarted = 0;

  before(async () => {
    nats = await NatsServer.onLoopback();
    svc = await listen('127.0.0.1');
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ defaults: { interval: '1m', timeout: '1s', retries: 0 }, targets: [{ name: 'svc', host: '127.0.0.1', port: svc.port }] }));
    rt = startRuntime({ config: file, dataDir: join(dir, 'data'), env: { ...process.env, PORTHOLE_CONFIG_DIR: join(dir, 'cfg') } });
    rt.start();
    await waitFor('the first check', () => (rt.feed.get('svc')?.checks ?? 0) > 0, 10_000, 50);
    agentSide = await connect({ servers: nats.url });
    asker = await connect({ servers: nats.url });
    serveRecheck(agentSide, 'a', rt.feed, (id) => {
      checksStarted++;
      rt.engine.recheck(id);
    });
    await agentSide.flush();
  });

  after(async () => {
    await Promise.allSettled([agentSide?.close(), asker?.close()]);
    await rt?.close();
    await svc?.close();
    await nats?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('300 requests at once start one check; each gets the answer or "busy", none waits for nothing', async () => {
    const before = rt.feed.get('svc')?.checks ?? 0;
    const replies = await Promise.all(
      Array.from({ length: 300 }, () =>
        asker.request(recheckSubject('svc'), '', { timeout: 5000 }).then((m) => JSON.parse(m.string()) as { state: string }),
      ),
    );
    assert.equal(checksStarted, 1, 'one check started for 300 requests');
    assert.ok((rt.feed.get('svc')?.checks ?? 0) - before <= 1, 'the engine checked once');
    const answered = replies.filter((r) => r.state === 'UP').length;
    const busy = replies.filter((r) => r.state === 'BUSY').length;
    assert.equal(answered + busy, 300, 'every request heard back');
    assert.ok(answered >= RECHECK_MAX_WAITING, `at least the ${RECHECK_MAX_WAITING} waiting got the answer (${answered})`);
    assert.ok(busy > 0, 'more than the cap waiting: some were told busy');

    // Within the same second: the same answer at once, no new check.
    const again = await asker.request(recheckSubject('svc'), '', { timeout: 2000 });
    assert.equal((JSON.parse(again.string()) as { state: string }).state, 'UP');
    assert.equal(checksStarted, 1);

    // A second later, a request checks again; the asker's scatter-gather shows it.
    await new Promise((r) => setTimeout(r, 1100));
    const answers = await recheckEverywhere(asker, 'svc', 2000, () => undefined);
    assert.equal(checksStarted, 2);
    assert.deepEqual(answers.map((a) => [a.location, a.state]), [['a', 'UP']]);
  });
});
