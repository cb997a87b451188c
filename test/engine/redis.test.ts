import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { resolveTarget, BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { freePort, waitFor } from '../helpers/net.js';
import { RedisServer } from '../helpers/servers.js';
import { which } from '../helpers/system.js';

describe('a real redis-server dies and comes back', { skip: which('redis-server') ? false : 'redis-server not installed' }, () => {
  let redis: RedisServer | undefined;
  let engine: Engine | undefined;
  after(async () => {
    await engine?.stop();
    await redis?.dispose();
  });

  it('UP → RETRYING → DOWN (refused) after the retries → UP, with one incident and its duration', async () => {
    const port = await freePort();
    redis = new RedisServer(port);
    await redis.start();
    const target = resolveTarget({ name: 'redis', host: '127.0.0.1', port, interval: 300, retries: 2, retryDelay: 150, timeout: 1000 }, BUILTIN_DEFAULTS);
    engine = new Engine({ targets: [target], startSpreadMs: 0 });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    engine.start();
    const state = () => engine!.get('redis')!.monitor.state;
    await waitFor('UP', () => state() === 'UP');

    const killedAt = Date.now();
    await redis.kill();
    await waitFor('DOWN', () => state() === 'DOWN', 10_000);
    const transitions = events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? `${e.from}>${e.to}` : ''));
    assert.deepEqual(transitions, ['UNKNOWN>UP', 'UP>RETRYING', 'RETRYING>DOWN']);
    const downAt = events.findIndex((e) => e.type === 'state' && e.to === 'DOWN');
    const failures = events.slice(0, downAt).filter((e) => e.type === 'result' && e.result.outcome !== 'open');
    assert.equal(failures.length, 3, 'one failure and two retries before DOWN');
    assert.equal(engine.get('redis')!.monitor.cause, 'refused');

    await redis.start();
    await waitFor('UP again', () => state() === 'UP', 10_000);
    const incidents = events.filter((e) => e.type === 'incident');
    assert.deepEqual(incidents.map((e) => e.type === 'incident' && e.phase), ['opened', 'closed']);
    const closed = incidents[1]!.type === 'incident' ? incidents[1]!.incident : undefined;
    assert.equal(closed?.cause, 'refused');
    assert.equal(closed?.to, 'DOWN');
    assert.ok(closed && closed.durationMs !== null && closed.durationMs > 0);
    // The outage runs from the first failed check to the first good one: within the time redis was away.
    assert.ok(closed!.started >= killedAt && closed!.ended! <= Date.now());
    assert.match(closed!.evidence, /ECONNREFUSED/);
  });
});
