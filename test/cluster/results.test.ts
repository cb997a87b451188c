import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { distMissing, startAgent, type AgentProcess } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { readStoredResults, type StoredResult } from '../../src/cluster/read-results.js';
import { RESULTS_STREAM } from '../../src/cluster/names.js';

const skip = distMissing || natsUnavailable();

describe('agents publish every result into the results stream, and buffer while NATS is away', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cluster-results-'));
  let nats: NatsServer;
  let svc: Listener;
  let a: AgentProcess;
  let b: AgentProcess;
  let nc: NatsConnection | undefined;
  const OUTAGE_MS = 10_000;

  const agentConfig = (location: string, extra: Record<string, unknown> = {}) => {
    const file = join(dir, `${location}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        defaults: { interval: '1s', timeout: '1s', retries: 0 },
        targets: [
          { name: 'svc', host: '127.0.0.1', port: svc.port },
          { id: 'svc.v2', name: 'svc v2', host: '127.0.0.1', port: svc.port },
        ],
        cluster: { url: nats.url, location, token: '${env:NATS_TOKEN}', ...extra },
      }),
    );
    return file;
  };

  const results = async (): Promise<StoredResult[]> => {
    nc ??= await connect({ servers: nats.url, token: 's3cret-token', maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    return readStoredResults(nc, 'all', 5000);
  };

  before(async () => {
    nats = await NatsServer.onLoopback(['--auth', 's3cret-token']);
    svc = await listen('127.0.0.1');
    const env = { NATS_TOKEN: 's3cret-token' };
    a = await startAgent({ config: agentConfig('a'), dataDir: join(dir, 'a'), env });
    b = await startAgent({ config: agentConfig('b', { buffer: 10 }), dataDir: join(dir, 'b'), env });
  });

  after(async () => {
    await nc?.close().catch(() => undefined);
    await Promise.allSettled([a?.kill(), b?.kill()]);
    await svc?.close();
    await nats?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes each result on porthole.result.<location>.<target>, once, with a publish id', async () => {
    const stored = await waitFor('three results of svc from a and b', async () => {
      const r = await results();
      const count = (loc: string) => r.filter((x) => x.message.location === loc && x.message.id === 'svc').length;
      return count('a') >= 3 && count('b') >= 3 ? r : undefined;
    }, 20_000, 250);
    const first = stored.find((x) => x.message.location === 'a' && x.message.id === 'svc');
    assert.equal(first?.message.state === 'UP' || first?.message.state === 'UNKNOWN' || first?.message.outcome === 'open', true);
    const ids = stored.map((x) => x.msgId);
    assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), 'every message has a Nats-Msg-Id');
    assert.equal(new Set(ids).size, ids.length, 'no publish id twice');
    // A target id with a "." is one subject token.
    const v2 = stored.find((x) => x.message.id === 'svc.v2');
    assert.ok(v2, 'the dotted id is published too');
    const jsm = await jetstreamManager(nc as NatsConnection);
    const info = await jsm.streams.info(RESULTS_STREAM);
    assert.deepEqual(info.config.subjects, ['porthole.result.>']);
    assert.equal(info.config.max_age, 24 * 3600 * 1e9, 'bounded by age (24 h default)');
    assert.equal(info.config.max_bytes, 256 * 1024 * 1024, 'bounded by size (256 MiB default)');
    // The token never reaches the agents' output.
    assert.doesNotMatch(a.stdout + a.stderr + b.stdout + b.stderr, /s3cret-token/);
  });

  it('keeps checking through a 10 s NATS outage and sends what it missed, in order, nothing twice', async () => {
    await nc?.close();
    nc = undefined;
    const killedAt = Date.now();
    await nats.kill();
    await waitFor('a says it is buffering', () => a.lines('cluster-disconnected').length > 0, 10_000, 100);
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - killedAt)));
    const restartedAt = Date.now();
    await nats.start();
    await waitFor('a and b reconnect', () => a.lines('cluster-reconnected').length > 0 && b.lines('cluster-reconnected').length > 0, 20_000, 100);
    const stored = await waitFor('the gap to arrive', async () => {
      const r = await results();
      const late = r.filter((x) => x.message.location === 'a' && x.message.id === 'svc' && x.message.at > restartedAt + 1500);
      return late.length > 0 ? r : undefined;
    }, 20_000, 250);
    const ids = stored.map((x) => x.msgId);
    assert.equal(new Set(ids).size, ids.length, 'no result twice in the stream');

    // a (default buffer): every result of the gap, in order, without a hole.
    const aSvc = stored.filter((x) => x.message.location === 'a' && x.message.id === 'svc');
    const inGap = aSvc.filter((x) => x.message.at > killedAt && x.message.at < restartedAt);
    assert.ok(inGap.length >= (OUTAGE_MS / 1000) * 0.7, `a's results of the outage are in the stream (${inGap.length})`);
    for (let i = 1; i < aSvc.length; i++) {
      const prev = aSvc[i - 1] as StoredResult;
      const cur = aSvc[i] as StoredResult;
      assert.ok(cur.message.at > prev.message.at, 'in the order they were checked');
      assert.ok(cur.message.at - prev.message.at < 3000, `no hole between ${new Date(prev.message.at).toISOString()} and ${new Date(cur.message.at).toISOString()}`);
    }
    const aLine = a.lines('cluster-reconnected')[0] ?? '';
    assert.match(aLine, /dropped=0/, aLine);

    // b (a buffer of 10 results, 2 targets a second): the newest 10 kept, the drops counted and said.
    const bLine = b.lines('cluster-reconnected')[0] ?? '';
    const dropped = Number(/dropped=(\d+)/.exec(bLine)?.[1]);
    assert.ok(dropped > 0, `b counted drops: ${bLine}`);
    const bGap = stored.filter((x) => x.message.location === 'b' && x.message.at > killedAt && x.message.at < restartedAt);
    assert.ok(bGap.length <= 12 && bGap.length >= 8, `b sent what fitted its buffer (${bGap.length})`);
  });
});
