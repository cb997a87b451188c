import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { distMissing, runCli, startAgent, type AgentProcess } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { readStoredResults, type StoredResult } from '../../src/cluster/read-results.js';

const skip = distMissing || natsUnavailable();

describe('the shared target list in a KV bucket', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cluster-targets-'));
  let nats: NatsServer;
  let l1: Listener;
  let l2: Listener;
  const agents: AgentProcess[] = [];
  let nc: NatsConnection;
  const sharedFile = join(dir, 'shared.json');

  const results = (): Promise<StoredResult[]> => readStoredResults(nc, 'all', 5000);

  before(async () => {
    nats = await NatsServer.onLoopback();
    [l1, l2] = await Promise.all([listen('127.0.0.1'), listen('127.0.0.1')]);
    for (const location of ['a', 'b']) {
      const file = join(dir, `${location}.json`);
      writeFileSync(file, JSON.stringify({ targets: [], cluster: { url: nats.url, location } }));
      agents.push(await startAgent({ config: file, dataDir: join(dir, location) }));
    }
    nc = await connect({ servers: nats.url });
    // Both agents are connected and follow the bucket before anything is pushed.
    await waitFor('agents connected', () => agents.every((a) => a.lines('cluster-connected').length > 0), 15_000, 50);
  });

  after(async () => {
    await nc?.close().catch(() => undefined);
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled([l1?.close(), l2?.close()]);
    await nats?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('push: every agent of a target\'s locations checks it within a second (seen in the stream)', async () => {
    writeFileSync(
      sharedFile,
      JSON.stringify({
        defaults: { interval: '1s', timeout: '1s', retries: 0 },
        targets: [
          { name: 'everywhere', host: '127.0.0.1', port: l1.port },
          { id: 'only.b', name: 'only b', host: '127.0.0.1', port: l2.port, locations: ['b'] },
        ],
      }),
    );
    const t0 = Date.now();
    const pushed = await runCli(['cluster', 'push', sharedFile, '--cluster', nats.url]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /pushed 2 targets: 2 added \(everywhere, only b\), 0 changed, 0 removed, 0 unchanged/);
    const pushedAt = Date.now();
    const stored = await waitFor('results of both targets', async () => {
      const r = await results();
      const has = (loc: string, id: string) => r.some((x) => x.message.location === loc && x.message.id === id);
      return has('a', 'everywhere') && has('b', 'everywhere') && has('b', 'only.b') ? r : undefined;
    }, 10_000, 100);
    const first = (loc: string, id: string) => Math.min(...stored.filter((x) => x.message.location === loc && x.message.id === id).map((x) => x.message.at));
    const delays = [first('a', 'everywhere') - pushedAt, first('b', 'everywhere') - pushedAt, first('b', 'only.b') - pushedAt];
    // The push itself (a CLI process) took pushedAt - t0; from its end to the first check:
    assert.ok(delays.every((d) => d < 1000), `first checks ${delays.join(', ')} ms after the push ended (push took ${pushedAt - t0} ms)`);
    assert.equal(stored.some((x) => x.message.location === 'a' && x.message.id === 'only.b'), false, 'a does not check a target for b only');
    assert.match(agents[0]?.stdout ?? '', /cluster-targets .*added=everywhere/);
  });

  it('${env:} references stay out of the list: push refuses them, and a value written straight into the bucket is skipped', async () => {
    const f = join(dir, 'refs.json');
    writeFileSync(f, JSON.stringify({ targets: [{ name: 'leaky', host: '127.0.0.1', port: l1.port, send: 'x=${env:HOME}\\n' }] }));
    const pushed = await runCli(['cluster', 'push', f, '--cluster', nats.url]);
    assert.equal(pushed.code, 1, pushed.stdout);
    assert.match(pushed.stderr, /cannot go into the shared list.*leaky: send/);
    const kv = await new Kvm(nc).open('porthole-targets');
    await kv.put('rogue', JSON.stringify({ name: 'rogue', host: '127.0.0.1', port: l1.port, send: 'x=${env:HOME}\\n' }));
    await waitFor('every agent says it refused the value', () => agents.every((a) => /porthole-targets\/rogue: send: \$\{env:\} references are read only from the config file/.test(a.stdout)), 10_000, 50);
    await kv.delete('rogue');
    assert.equal((await results()).some((x) => x.message.id === 'rogue'), false, 'no agent checked it');
  });

  it('pull writes the list back out as a config that validates', async () => {
    const out = join(dir, 'pulled.json');
    const pulled = await runCli(['cluster', 'pull', '--cluster', nats.url, '--write', out]);
    assert.equal(pulled.code, 0, pulled.stderr);
    const cfg = JSON.parse(readFileSync(out, 'utf8')) as { targets: { id: string; name: string; locations?: string[]; interval?: string }[] };
    assert.deepEqual(cfg.targets.map((t) => [t.id, t.locations]), [['everywhere', undefined], ['only.b', ['b']]]);
    assert.equal(cfg.targets[0]?.interval, '1s');
    const again = await runCli(['cluster', 'pull', '--cluster', nats.url, '--write', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists: give --force/);
    const valid = await runCli(['config', 'validate', out]);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
  });

  it('status --cluster shows each target by quorum and per location', async () => {
    const s = await runCli(['status', '--cluster', nats.url]);
    assert.equal(s.code, 0, s.stdout + s.stderr);
    assert.match(s.stdout, /^UP +everywhere +a: UP [\d.]+ms · b: UP [\d.]+ms$/m);
    assert.match(s.stdout, /^UP +only b +b: UP [\d.]+ms$/m);
  });

  it('/metrics carries the location, the link and what was sent; the aggregator exports the quorum', async () => {
    const scrapes = await Promise.all(agents.map(async (a) => (await fetch(`${a.url}/metrics`)).text()));
    for (const [i, text] of scrapes.entries()) {
      const loc = i === 0 ? 'a' : 'b';
      assert.match(text, new RegExp(`^probe_success\\{target="everywhere",host="127\\.0\\.0\\.1",port="\\d+",location="${loc}"\\} 1$`, 'm'));
      assert.match(text, new RegExp(`^porthole_cluster_connected\\{location="${loc}"\\} 1$`, 'm'));
      assert.match(text, new RegExp(`^porthole_cluster_results_published_total\\{location="${loc}"\\} [1-9]\\d*$`, 'm'));
      assert.match(text, new RegExp(`^porthole_cluster_results_dropped_total\\{location="${loc}"\\} 0$`, 'm'));
    }
    const holders = scrapes.filter((t) => /^porthole_cluster_aggregator\{location="[ab]"\} 1$/m.test(t));
    assert.equal(holders.length, 1, 'exactly one aggregator');
    assert.match(holders[0] ?? '', /^porthole_cluster_quorum_state\{target="everywhere",state="UP"\} 1$/m);
    assert.match(holders[0] ?? '', /^porthole_cluster_locations_voting\{target="everywhere"\} 2$/m);
    const standby = scrapes.find((t) => !holders.includes(t)) ?? '';
    assert.doesNotMatch(standby, /^porthole_cluster_quorum_state\{/m);
  });

  it('a target removed from the list stops at every agent', async () => {
    writeFileSync(sharedFile, JSON.stringify({ defaults: { interval: '1s', timeout: '1s', retries: 0 }, targets: [{ id: 'only.b', name: 'only b', host: '127.0.0.1', port: l2.port, locations: ['b'] }] }));
    const pushed = await runCli(['cluster', 'push', sharedFile, '--cluster', nats.url]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /1 removed \(everywhere\), 1 unchanged/);
    const removedAt = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    const stored = await results();
    const late = stored.filter((x) => x.message.id === 'everywhere' && x.message.at > removedAt + 1000);
    assert.equal(late.length, 0, 'no check of a removed target a second after the push');
    assert.ok(stored.some((x) => x.message.id === 'only.b' && x.message.at > removedAt + 1000), 'the other one goes on');
  });

  it('push without a cluster says where to give one', async () => {
    const s = await runCli(['cluster', 'push', join(dir, 'a.json'), '--cluster', 'nats://127.0.0.1:1']);
    assert.equal(s.code, 1);
    assert.match(s.stderr, /cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
    const none = join(dir, 'none.json');
    writeFileSync(none, JSON.stringify({ targets: [] }));
    const n = await runCli(['cluster', 'push', none]);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /no cluster: give --cluster URL or a config with a cluster section/);
  });
});
