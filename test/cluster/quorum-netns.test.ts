import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { waitFor } from '../helpers/net.js';
import { AgentProcess, distMissing, runCli, startAgent } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { netnsUnavailable } from '../helpers/system.js';
import { ClusterNetns } from '../helpers/cluster-netns.js';
import { httpReceiver, type HttpReceiver } from '../notify/helpers/receivers.js';
import { readStoredResults } from '../../src/cluster/read-results.js';
import { LEASE_BUCKET, LEASE_KEY } from '../../src/cluster/names.js';
import { Kvm } from '@nats-io/kv';

const skip = distMissing || natsUnavailable() || netnsUnavailable();
const INTERVAL_MS = 1000;
const PORT = 5432;
const LEASE_TTL_MS = 1500;

/**
 * Three locations: a and b on the host, c inside a namespace of the test's own, where the NATS
 * server and the target listen too (a and b dial the namespace's address; c dials it from inside).
 * Faults are iptables rules inside the namespace: DROP of c's own SYNs (OUTPUT on lo), DROP of a's
 * and b's (INPUT on the veth), and a partition of c from NATS (OUTPUT on lo to the NATS port).
 */
describe('three locations, quorum, STALE and exactly one alert', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cluster-quorum-'));
  let net: ClusterNetns;
  let nats: NatsServer;
  let hook: HttpReceiver;
  let nc: NatsConnection;
  const agents = new Map<string, AgentProcess>();

  const configFor = (location: string, aggregate: boolean) => {
    const file = join(dir, `${location}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        targets: [],
        defaults: { notify: ['hook'] },
        notifiers: { hook: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
        alerts: { groupWithin: '0s' },
        cluster: { url: nats.url, location, leaseTtl: `${LEASE_TTL_MS}ms`, aggregate },
      }),
    );
    return file;
  };
  const start = async (location: string) => {
    const inside = location === 'c';
    // c cannot reach the host's loopback (the webhook receiver): it checks and publishes, a and b aggregate.
    const a = await startAgent({ config: configFor(location, !inside), dataDir: join(dir, location), ...(inside ? { prefix: ['ip', 'netns', 'exec', net.ns.name] } : {}) });
    agents.set(location, a);
    return a;
  };
  const status = async () => (await runCli(['status', '--cluster', nats.url])).stdout;
  const svcLine = async () => (await status()).split('\n').find((l) => /\bsvc\b/.test(l)) ?? '';
  const alerts = (event: string) => hook.received.filter((r) => (r.body as { event?: string }).event === event);
  const holder = () => [...agents.entries()].filter(([, a]) => a.running).map(([loc, a]) => ({ loc, a, acquired: a.lines('lease-acquired').length, lost: a.lines('lease-lost').length })).find((h) => h.acquired > h.lost);

  before(async () => {
    net = new ClusterNetns();
    nats = new NatsServer(net.address, 4222, ['ip', 'netns', 'exec', net.ns.name]);
    await nats.start();
    await net.listener(PORT);
    hook = await httpReceiver();
    for (const loc of ['a', 'b', 'c']) await start(loc);
    nc = await connect({ servers: nats.url });
    const shared = join(dir, 'shared.json');
    writeFileSync(shared, JSON.stringify({ defaults: { interval: `${INTERVAL_MS}ms`, timeout: '500ms', retries: 0 }, targets: [{ name: 'svc', host: net.address, port: PORT }] }));
    const pushed = await runCli(['cluster', 'push', shared, '--cluster', nats.url]);
    assert.equal(pushed.code, 0, pushed.stderr);
  });

  after(async () => {
    await nc?.close().catch(() => undefined);
    await Promise.allSettled([...agents.values()].map((a) => a.kill()));
    await hook?.close();
    await nats?.dispose();
    net?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('UP from every location, then PARTIAL 2/3 up when c alone cannot reach it (c: DOWN timeout), no alert', async () => {
    await waitFor('UP from a, b and c', async () => /^UP +svc +a: UP [\d.]+ms · b: UP [\d.]+ms · c: UP [\d.]+ms$/.test(await svcLine()), 20_000, 250);
    net.iptables('-A', 'OUTPUT', '-o', 'lo', '-p', 'tcp', '-d', net.address, '--dport', String(PORT), '-j', 'DROP');
    const line = await waitFor('PARTIAL', async () => {
      const l = await svcLine();
      return /^PARTIAL 2\/3 up/.test(l) ? l : undefined;
    }, 10_000, 250);
    assert.match(line, /c: DOWN timeout/);
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    assert.equal(alerts('down').length, 0, 'one location alone does not page');
    assert.ok(holder(), 'a or b holds the aggregator lease');
  });

  it('DOWN 3/3 when a and b cannot reach it either: one alert, saying which locations see what', async () => {
    net.iptables('-A', 'INPUT', '-i', 'vn', '-p', 'tcp', '--dport', String(PORT), '-j', 'DROP');
    await waitFor('DOWN 3/3', async () => /^DOWN 3\/3 +svc/.test(await svcLine()), 10_000, 250);
    await waitFor('the DOWN alert', () => alerts('down').length > 0, 10_000, 100);
    const body = alerts('down')[0]?.body as { summary: string; evidence: string; location: string; alertId: string };
    // Raised as soon as a majority sees it down (2 of 3, or 3 of 3 if a and b turned at once).
    assert.match(body.summary, /^DOWN svc .*down from [23]\/3 locations/);
    assert.match(body.evidence, /^a: (DOWN timeout|UP [\d.]+ms) · b: (DOWN timeout|UP [\d.]+ms) · c: DOWN timeout$/);
    assert.equal((body.evidence.match(/DOWN timeout/g) ?? []).length >= 2, true);
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    assert.equal(alerts('down').length, 1, 'one alert for the incident, not one per location');
    assert.equal(body.location, 'cluster');
  });

  it('the aggregator killed during the outage: another takes over within 2 intervals of the lease expiring (NATS timestamps); its location goes STALE; still one DOWN', async (t) => {
    const h = holder();
    assert.ok(h, 'someone holds the lease');
    const other = h.loc === 'a' ? 'b' : 'a';
    const otherAgent = agents.get(other) as AgentProcess;
    const before = otherAgent.lines('lease-acquired').length;
    // Every write of the lease key as NATS stored it: the renewals, then the new holder's first act.
    // Measured on the server's own timestamps, not on this (loaded) test process's polling.
    const writes: { created: number; holder: string }[] = [];
    const lease = await new Kvm(nc).open(LEASE_BUCKET);
    const watch = await lease.watch({ key: LEASE_KEY });
    void (async () => {
      for await (const e of watch) if (e.operation === 'PUT') writes.push({ created: e.created.getTime(), holder: (e.json() as { holder: string }).holder });
    })();
    // Let the holder mark the alert delivered first (it does within a tick of the delivery).
    await new Promise((r) => setTimeout(r, 600));
    const killedAt = Date.now();
    await h.a.kill();
    // Dead now: the newest write is its last renewal (the lease outlives it by the TTL).
    const lastRenewal = writes.at(-1);
    assert.ok(lastRenewal, 'the watch saw the holder\'s renewals');
    await waitFor('the other agent to take over', () => otherAgent.lines('lease-acquired').length > before, 10_000, 25);
    const first = await waitFor('the new holder\'s write', () => writes.find((w) => w.created > lastRenewal.created && w.holder !== lastRenewal.holder), 5_000, 25);
    const takeover = { lastRenewal: lastRenewal.created, first: first.created };
    watch.stop();
    const expiry = takeover.lastRenewal + LEASE_TTL_MS;
    t.diagnostic(`takeover: ${takeover.first - expiry} ms after the lease expired, ${takeover.first - takeover.lastRenewal} ms after the last renewal (NATS timestamps)`);
    const staleLine = await waitFor(`${h.loc} STALE`, async () => {
      const l = await svcLine();
      return new RegExp(`${h.loc}: STALE`).test(l) ? l : undefined;
    }, 10_000, 100);
    const staleMs = Date.now() - killedAt;
    assert.match(staleLine, /^DOWN 2\/2 /, 'the quorum is over the two that report');
    assert.ok(takeover.first >= expiry - 1, `no one took the lease before it expired (${takeover.first - takeover.lastRenewal} ms after the last renewal, TTL ${LEASE_TTL_MS} ms)`);
    assert.ok(takeover.first - expiry <= 2 * INTERVAL_MS, `taken over ${takeover.first - expiry} ms after the lease expired (NATS timestamps; ${takeover.first - takeover.lastRenewal} ms after the last renewal)`);
    // STALE is the status command's wall-clock view: 2 intervals, plus the polling of a loaded machine in TTL multiples.
    assert.ok(staleMs <= 2 * INTERVAL_MS + LEASE_TTL_MS, `STALE after ${staleMs} ms`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(alerts('down').length, 1, 'the new aggregator does not send the DOWN again');
  });

  it('recovery: exactly one RECOVERED, and the restarted agent adds nothing twice to the stream', async () => {
    net.iptables('-F', 'INPUT');
    net.iptables('-F', 'OUTPUT');
    await waitFor('the RECOVERED alert', () => alerts('recovery').length > 0, 15_000, 100);
    const killed = [...agents.entries()].find(([, a]) => !a.running)?.[0] as string;
    await start(killed);
    await waitFor('UP everywhere again', async () => /^UP +svc +a: UP [\d.]+ms · b: UP [\d.]+ms · c: UP [\d.]+ms$/.test(await svcLine()), 15_000, 250);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(alerts('down').length, 1);
    assert.equal(alerts('recovery').length, 1);
    const body = alerts('recovery')[0]?.body as { summary: string; incidentId?: string; alertId: string };
    assert.match(body.summary, /^RECOVERED svc/);
    assert.equal((alerts('down')[0]?.body as { alertId: string }).alertId.replace(/^down:/, ''), body.alertId.replace(/^recovery:/, ''), 'one incident id for both');
    const stored = await readStoredResults(nc, 'all', 5000);
    const ids = stored.map((s) => s.msgId);
    assert.equal(new Set(ids).size, ids.length, 'nothing twice in the stream');
  });

  it('a partition between c and NATS: c goes STALE, a and b keep the quorum, no alert', async () => {
    const downs = alerts('down').length;
    net.iptables('-A', 'OUTPUT', '-o', 'lo', '-p', 'tcp', '--dport', '4222', '-j', 'DROP');
    const line = await waitFor('c STALE', async () => {
      const l = await svcLine();
      return /c: STALE/.test(l) ? l : undefined;
    }, 10_000, 250);
    assert.match(line, /^UP +svc +a: UP [\d.]+ms · b: UP [\d.]+ms · c: STALE \d+s$/);
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    assert.equal(alerts('down').length, downs);
    net.iptables('-F', 'OUTPUT');
  });

  it('exposure: a port expected closed from c answers there → incident "exposed" naming c, one alert; closed again → recovery', async () => {
    const alertsFor = (event: string) => alerts(event).filter((r) => (r.body as { target?: string }).target === 'guarded');
    // c cannot reach the port (as a firewall between c and the service would do): closed, as expected.
    net.iptables('-A', 'OUTPUT', '-o', 'lo', '-p', 'tcp', '-d', net.address, '--dport', String(PORT), '-j', 'DROP');
    const shared = join(dir, 'shared2.json');
    writeFileSync(shared, JSON.stringify({ defaults: { interval: `${INTERVAL_MS}ms`, timeout: '500ms', retries: 0 }, targets: [
      { name: 'svc', host: net.address, port: PORT },
      { name: 'guarded', host: net.address, port: PORT, expectState: { c: 'closed' } },
    ] }));
    const pushed = await runCli(['cluster', 'push', shared, '--cluster', nats.url]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const guarded = async () => (await status()).split('\n').find((l) => /\bguarded\b/.test(l)) ?? '';
    await waitFor('guarded UP from a, b and c (closed from c)', async () => /^UP +guarded +a: UP [\d.]+ms · b: UP [\d.]+ms · c: UP$/.test(await guarded()), 20_000, 250);
    net.iptables('-F', 'OUTPUT');
    const line = await waitFor('EXPOSED c', async () => {
      const l = await guarded();
      return /^EXPOSED c /.test(l) ? l : undefined;
    }, 10_000, 250);
    assert.match(line, /c: DOWN exposed/);
    await waitFor('the exposure alert', () => alertsFor('down').length > 0, 10_000, 100);
    const body = alertsFor('down')[0]?.body as { summary: string; evidence: string };
    assert.match(body.summary, /^DOWN guarded .*: exposed: answered from c$/);
    assert.match(body.evidence, /c: DOWN exposed/);
    net.iptables('-A', 'OUTPUT', '-o', 'lo', '-p', 'tcp', '-d', net.address, '--dport', String(PORT), '-j', 'DROP');
    await waitFor('the recovery', () => alertsFor('recovery').length > 0, 10_000, 100);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(alertsFor('down').length, 1);
    assert.equal(alertsFor('recovery').length, 1);
    net.iptables('-F', 'OUTPUT');
  });
});
