import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { validateTarget } from '../../src/config/load.js';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { diagnose, whyByTarget } from '../../src/diagnosis/diagnose.js';
import { initialMonitorState } from '../../src/engine/monitor.js';
import type { Cause, State, TargetView } from '../../src/engine/types.js';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';
import { summaryLine } from '../../src/notify/format.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function view(raw: Record<string, unknown>, state: State, cause?: Cause, evidence?: string, rising = false): TargetView {
  const target = validateTarget(raw, BUILTIN_DEFAULTS).target!;
  const m = initialMonitorState(0);
  return {
    target,
    monitor: { ...m, state, confirmed: state === 'UP' || state === 'SLOW' || state === 'DOWN' ? state : 'UNKNOWN', ...(cause ? { cause } : {}), ...(evidence ? { evidence } : {}), trend: { ...m.trend, rising } },
    recent: [],
    checks: 1,
    failures: 0,
    inFlight: false,
  };
}

const ping = (host: string, state: State, cause?: Cause) => view({ name: `ping ${host}`, kind: 'ping', host }, state, cause);
const tcp = (host: string, name: string, port: number, state: State, cause?: Cause, rising = false) => view({ name, host, port }, state, cause, cause ? `${cause} evidence` : undefined, rising);

describe('the diagnosis rules, one by one', () => {
  it('ping fails and every port times out: host unreachable, one verdict covering every target', () => {
    const d = diagnose([ping('db1', 'DOWN', 'timeout'), tcp('db1', 'pg', 5432, 'DOWN', 'timeout'), tcp('db1', 'ssh', 22, 'DOWN', 'unreachable'), tcp('web1', 'http', 80, 'UP')]);
    assert.equal(d.length, 1);
    assert.equal(d[0]!.host, 'db1');
    assert.equal(d[0]!.text, 'host unreachable (ping fails too)');
    assert.deepEqual(d[0]!.targetIds.sort(), ['pg', 'ping db1', 'ssh']);
    assert.equal(d[0]!.evidence.length, 3);
    assert.equal(whyByTarget(d).get('pg'), 'host unreachable');
    assert.equal(whyByTarget(diagnose([ping('db1', 'UP'), tcp('db1', 'pg', 5432, 'DOWN', 'refused')])).get('pg'), 'host up');
  });

  it('without a ping target, every port silent is a host unreachable that says it is unconfirmed', () => {
    const d = diagnose([tcp('db1', 'pg', 5432, 'DOWN', 'timeout'), tcp('db1', 'ssh', 22, 'DOWN', 'timeout')]);
    assert.match(d[0]!.text, /^host unreachable\? all 2 checks get no answer/);
  });

  it('ping answers, one port refused: service down (host up)', () => {
    const d = diagnose([ping('db1', 'UP'), tcp('db1', 'postgres', 5432, 'DOWN', 'refused'), tcp('db1', 'ssh', 22, 'UP')]);
    assert.equal(d[0]!.verdict, 'service-down');
    assert.equal(d[0]!.text, 'service down: postgres refused (host up)');
    assert.deepEqual(d[0]!.targetIds, ['postgres']);
    // A refused port while ping also fails is not "host unreachable": something answered with a RST.
    const mixed = diagnose([ping('db1', 'DOWN', 'timeout'), tcp('db1', 'pg', 5432, 'DOWN', 'refused')]);
    assert.notEqual(mixed[0]?.verdict, 'host-unreachable');
  });

  it('every check of the host slower than usual at once: host slow, not N SLOWs', () => {
    const d = diagnose([view({ name: 'ping db1', kind: 'ping', host: 'db1' }, 'SLOW', 'slow'), tcp('db1', 'pg', 5432, 'SLOW', 'slow'), tcp('db1', 'ssh', 22, 'UP', undefined, true)]);
    assert.equal(d[0]!.verdict, 'host-slow');
    assert.equal(d[0]!.text, 'host slow: all 3 checks slower than usual (load, network)');
    assert.deepEqual(diagnose([tcp('db1', 'pg', 5432, 'SLOW', 'slow'), tcp('db1', 'ssh', 22, 'UP')]), [], 'one slow service is that service');
  });

  it('ping losing echoes while it answers: packet loss, whatever the ports say', () => {
    const lossy = view({ name: 'ping db1', kind: 'ping', host: 'db1' }, 'SLOW', 'loss', '40% loss (2 of 5 echoes lost) > lossWarn 20%');
    const d = diagnose([lossy, tcp('db1', 'pg', 5432, 'UP')]);
    assert.equal(d[0]!.text, 'packet loss on the way to the host: 40% loss (2 of 5 echoes lost) > lossWarn 20%');
    assert.deepEqual(d[0]!.targetIds, ['ping db1']);
  });

  it('all well, or nothing that fits: no verdict', () => {
    assert.deepEqual(diagnose([ping('db1', 'UP'), tcp('db1', 'pg', 5432, 'UP')]), []);
    assert.deepEqual(diagnose([tcp('db1', 'pg', 5432, 'DOWN', 'refused')]), [], 'one port alone says nothing about the host');
  });
});

describe('an alert carries the verdict', () => {
  it('one message for the host, saying which layer broke', () => {
    const base = { kind: 'down' as const, host: 'db1', from: 'UP', to: 'DOWN', cause: 'timeout', evidence: '', started: 1, at: 2, location: 'local' };
    const line = summaryLine({
      id: 'a1',
      kind: 'down',
      items: [
        { ...base, alertId: 'a1', targetId: 'p', name: 'ping db1', port: 0, check: 'ping db1' },
        { ...base, alertId: 'a2', targetId: 'pg', name: 'pg', port: 5432, diagnosis: 'host unreachable (ping fails too)' },
      ],
    });
    assert.equal(line, '2 checks on db1 down — host unreachable (ping fails too): ping db1 timeout, 5432 timeout');
  });
});

describe('the diagnosis with real faults in a network namespace', { skip: netnsUnavailable() || (which('fping') ? false : 'needs fping') }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  let dir: string;
  let config: string;
  before(async () => {
    ns = new NetNs('phdiag');
    dir = mkdtempSync(join(tmpdir(), 'porthole-diag-'));
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', `const n=require('net');for(const p of [7001,7002])n.createServer(s=>s.resume()).listen(p,'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => {
      let n = 0;
      server.stdout!.on('data', (d: Buffer) => {
        n += d.toString().split('up').length - 1;
        if (n >= 2) resolve();
      });
    });
    config = join(dir, 'host.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { timeout: '400ms', retries: 0, slowAfter: '150ms' },
        targets: [
          { name: 'ping lo', kind: 'ping', host: '127.0.0.1', timeout: '300ms', slowAfter: '150ms', ping: { count: 2, period: '20ms' } },
          { name: 'postgres', host: '127.0.0.1', port: 7001 },
          { name: 'api', host: '127.0.0.1', port: 7002 },
        ],
      }),
    );
  });
  after(() => {
    server?.kill();
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (file = config) => {
    const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, CLI, 'check', '--json', '--config', file], { encoding: 'utf8', timeout: 30_000 });
    return JSON.parse(r.stdout) as { diagnosis: { host: string; verdict: string; text: string; evidence: string[] }[] };
  };
  const reset = () => {
    ns.iptables('-F', 'INPUT');
    spawnSync('ip', ['netns', 'exec', ns.name, 'tc', 'qdisc', 'del', 'dev', 'lo', 'root']);
  };

  it('ICMP and TCP dropped: host unreachable (ping fails too)', () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '-j', 'DROP');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--syn', '-j', 'DROP');
    const d = run().diagnosis;
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0]!.text, 'host unreachable (ping fails too)');
    assert.equal(d[0]!.evidence.length, 3);
  });

  it('one port rejected with a reset while ping answers: service down (host up)', () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '7001', '-j', 'REJECT', '--reject-with', 'tcp-reset');
    const d = run().diagnosis;
    assert.equal(d[0]?.text, 'service down: postgres refused (host up)', JSON.stringify(d));
  });

  it('a third of ICMP dropped at random: packet loss on the way to the host, the ports fine', () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '-m', 'statistic', '--mode', 'random', '--probability', '0.3', '-j', 'DROP');
    // 20 echoes, each request and reply crossing INPUT: all answered by chance is about one in a million.
    const lossy = JSON.parse(readFileSync(config, 'utf8')) as { targets: Record<string, unknown>[] };
    lossy.targets[0] = { ...lossy.targets[0], ping: { count: 20, period: '20ms', lossWarn: 5 } };
    const file = join(dir, 'lossy.json');
    writeFileSync(file, JSON.stringify(lossy));
    const d = run(file).diagnosis;
    assert.equal(d[0]?.verdict, 'packet-loss', JSON.stringify(d));
    assert.match(d[0]!.text, /^packet loss on the way to the host: \d+(\.\d)?% loss \(\d+ of 20 echoes lost\) > lossWarn 5%$/);
  });

  it('every packet delayed (netem): host slow', { skip: which('tc') ? false : 'needs tc (iproute2)' }, (t) => {
    reset();
    const added = spawnSync('ip', ['netns', 'exec', ns.name, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '100ms'], { encoding: 'utf8' });
    if (added.status !== 0) {
      t.skip(`needs the kernel's netem qdisc: ${added.stderr.trim()}`);
      return;
    }
    try {
      const d = run().diagnosis;
      assert.equal(d[0]?.verdict, 'host-slow', JSON.stringify(d));
      assert.equal(d[0]?.text, 'host slow: all 3 checks slower than usual (load, network)');
    } finally {
      reset();
    }
  });
});
