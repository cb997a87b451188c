import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import { validateTarget } from '../../src/config/load.js';
import { conditionOf } from '../../src/engine/monitor.js';
import { FpingBatcher } from '../../src/checks/ping/fping.js';
import { parseFpingStderr, pingStats } from '../../src/checks/ping/parse.js';
import { runPing } from '../../src/checks/ping/run.js';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';

const noFping = which('fping') ? false : 'needs fping (Debian package fping)';

function pingTarget(raw: Record<string, unknown>): Target {
  const { target, problems } = validateTarget({ kind: 'ping', ...raw }, BUILTIN_DEFAULTS);
  assert.deepEqual(problems, []);
  return target!;
}

describe('fping output, read', () => {
  it('reads the -C summary lines and the ICMP errors of each address', () => {
    const text = [
      'ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.9',
      'ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.9',
      '127.0.0.1 : 0.05 - 0.04 0.06',
      '::1       : 0.10 0.20',
      '10.0.0.9  : - -',
      '',
    ].join('\n');
    const m = parseFpingStderr(text);
    assert.deepEqual(m.get('127.0.0.1')?.rtts, [0.05, null, 0.04, 0.06]);
    assert.deepEqual(m.get('::1')?.rtts, [0.1, 0.2]);
    assert.equal(m.get('10.0.0.9')?.errors, 2);
    assert.equal(m.get('10.0.0.9')?.firstError, 'ICMP Host Unreachable from 10.0.0.1');
  });

  it('turns round trips into min/median/max, loss and jitter', () => {
    const s = pingStats([1, null, 3, 2, null], 5, 0);
    assert.equal(s.received, 3);
    assert.equal(s.lossPct, 40);
    assert.equal(s.minMs, 1);
    assert.equal(s.medianMs, 2);
    assert.equal(s.maxMs, 3);
    assert.equal(s.jitterMs, 1.5); // |3-1| and |2-3|
    const none = pingStats([], 3, 0);
    assert.deepEqual([none.received, none.lossPct, none.medianMs, none.rtts], [0, 100, null, [null, null, null]]);
  });
});

describe('ping targets in the config', () => {
  it('needs only a host; the port is refused, the block checked', () => {
    const t = pingTarget({ host: '127.0.0.1' });
    assert.equal(t.kind, 'ping');
    assert.equal(t.name, 'ping 127.0.0.1');
    assert.deepEqual(t.ping, { count: 5, periodMs: 200, lossWarnPct: 20 });
    assert.equal(t.timeoutMs, 1000, "the kind's own default: a second per echo");
    const withPort = validateTarget({ kind: 'ping', host: 'db1', port: 22 }, BUILTIN_DEFAULTS);
    assert.match(withPort.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), /port: a ping target has no port/);
    const bad = validateTarget({ kind: 'ping', host: 'db1', ping: { count: 0, lossWarnn: 3 } }, BUILTIN_DEFAULTS);
    const text = bad.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(text, /ping\.count: expected a number of echoes from 1 to 100/);
    assert.match(text, /lossWarnn/);
    const onTcp = validateTarget({ host: 'db1', port: 22, ping: { count: 3 } }, BUILTIN_DEFAULTS);
    assert.match(onTcp.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), /ping: only applies to "kind": "ping"/);
    const tls = validateTarget({ kind: 'ping', host: 'db1', tls: true }, BUILTIN_DEFAULTS);
    assert.match(tls.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), /tls: only applies to tcp targets/);
  });
});

describe('ping through fping on loopback', { skip: noFping }, () => {
  it('answers from 127.0.0.1 and ::1: five echoes, the median as the main time', async () => {
    const batcher = new FpingBatcher({ windowMs: 20 });
    for (const host of ['127.0.0.1', '::1']) {
      const r = await runPing(pingTarget({ host, ping: { period: '20ms' } }), batcher);
      assert.equal(r.outcome, 'open', `${host}: ${r.detail ?? ''}`);
      assert.equal(r.family, host === '::1' ? 6 : 4);
      assert.equal(r.ping?.sent, 5);
      assert.equal(r.ping?.received, 5);
      assert.equal(r.ping?.lossPct, 0);
      assert.equal(r.connectMs, r.ping?.medianMs);
      assert.ok(r.ping!.minMs! <= r.ping!.medianMs! && r.ping!.medianMs! <= r.ping!.maxMs!);
      assert.equal(conditionOf(r, 500).condition, 'UP');
    }
  });

  it('many hosts at once share one fping process', async () => {
    const batcher = new FpingBatcher({ windowMs: 50 });
    const hosts = Array.from({ length: 40 }, (_, i) => `127.0.0.${i + 1}`);
    const results = await Promise.all(hosts.map((host) => runPing(pingTarget({ host, ping: { count: 2, period: '20ms' } }), batcher)));
    assert.deepEqual(new Set(results.map((r) => r.outcome)), new Set(['open']));
    assert.equal(batcher.spawned, 1);
  });

  it('a name under .invalid is a dns failure, with no echo sent', async () => {
    const batcher = new FpingBatcher({ windowMs: 5 });
    const r = await runPing(pingTarget({ host: 'nowhere.invalid' }), batcher);
    assert.equal(r.outcome, 'dns');
    assert.equal(batcher.spawned, 0);
  });

  it('says clearly when fping cannot run, without throwing', async () => {
    const r = await runPing(pingTarget({ host: '127.0.0.1' }), new FpingBatcher({ command: ['/nonexistent/fping'], windowMs: 5 }));
    assert.equal(r.outcome, 'error');
    assert.equal(r.errno, 'ENOENT');
    assert.match(r.detail ?? '', /not installed .*apt install fping/);
  });
});

describe('ping faults in a network namespace', { skip: noFping || netnsUnavailable() }, () => {
  let ns: NetNs;
  let batcher: FpingBatcher;
  before(() => {
    ns = new NetNs('phping');
    batcher = new FpingBatcher({ command: ['ip', 'netns', 'exec', ns.name, 'fping'], windowMs: 5 });
  });
  after(() => ns?.remove());
  const reset = () => {
    ns.iptables('-F', 'INPUT');
    ns.exec('ip6tables', ['-w', '-F', 'INPUT']);
  };

  it('ICMP dropped: every echo lost, DOWN with cause timeout', async () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '-j', 'DROP');
    const r = await runPing(pingTarget({ host: '127.0.0.1', timeout: '300ms', ping: { count: 3, period: '50ms' } }), batcher);
    assert.equal(r.outcome, 'timeout');
    assert.equal(r.errno, 'ETIMEDOUT');
    assert.equal(r.ping?.lossPct, 100);
    assert.match(r.detail ?? '', /no echo reply from 127\.0\.0\.1: 3 of 3 lost/);
    assert.equal(conditionOf(r, 500).condition, 'DOWN');
  });

  it('ICMP host unreachable back: DOWN with cause unreachable (IPv4); IPv6 reads as timeout (fping filters ICMPv6 errors)', async () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'REJECT', '--reject-with', 'icmp-host-unreachable');
    ns.exec('ip6tables', ['-w', '-A', 'INPUT', '-p', 'icmpv6', '--icmpv6-type', 'echo-request', '-j', 'REJECT', '--reject-with', 'icmp6-addr-unreachable']);
    const v4 = await runPing(pingTarget({ host: '127.0.0.1', timeout: '300ms', ping: { count: 3, period: '50ms' } }), batcher);
    assert.equal(v4.outcome, 'unreachable', `${v4.outcome} ${v4.detail ?? ''}`);
    assert.equal(v4.errno, 'EHOSTUNREACH');
    assert.match(v4.detail ?? '', /^ICMP Host Unreachable from 127\.0\.0\.1 \(3 of 3 echoes\)$/);
    assert.equal(v4.ping?.unreachable, 3);
    const v6 = await runPing(pingTarget({ host: '::1', timeout: '300ms', ping: { count: 3, period: '50ms' } }), batcher);
    assert.equal(v6.outcome, 'timeout', 'fping 5.1 does not report ICMPv6 errors: documented in the README');
    assert.equal(v6.ping?.lossPct, 100);
  });

  it('random loss: the loss is measured, and over lossWarn it is SLOW (a warning), not DOWN', async () => {
    reset();
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '-m', 'statistic', '--mode', 'random', '--probability', '0.3', '-j', 'DROP');
    // Requests and replies both cross INPUT on lo: about half the echoes are lost. 30 echoes: all
    // of them answered by chance has a probability far below one in a million.
    const r = await runPing(pingTarget({ host: '127.0.0.1', timeout: '300ms', ping: { count: 30, period: '20ms', lossWarn: 5 } }), batcher);
    assert.equal(r.outcome, 'open', r.detail);
    assert.ok(r.ping!.lossPct > 5 && r.ping!.lossPct < 100, `loss ${r.ping!.lossPct}%`);
    assert.equal(r.warning?.cause, 'loss');
    assert.match(r.warning?.evidence ?? '', /% loss \(\d+ of 30 echoes lost\) > lossWarn 5%/);
    const c = conditionOf(r, 500, 'median RTT');
    assert.equal(c.condition, 'SLOW');
    assert.equal(c.cause, 'loss');
  });
});
