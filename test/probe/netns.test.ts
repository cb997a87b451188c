import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CHECK_TCP = ['/usr/lib/nagios/plugins/check_tcp', '/usr/lib/monitoring-plugins/check_tcp'].find((p) => which(p));
const skip = netnsUnavailable();

interface CliResult {
  code: number | null;
  json: { status: string; results: { outcome: string; errno: string | null; connectMs: number | null; state: string; cause: string | null }[] };
}

function porthole(ns: NetNs, args: string[]): CliResult {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, CLI, 'check', '--json', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, json: JSON.parse(r.stdout) as CliResult['json'] };
}

function checkTcp(ns: NetNs, port: number): { code: number | null; out: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, CHECK_TCP!, '-H', '127.0.0.1', '-p', String(port), '-t', '2'], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout };
}

describe('faults a loopback listener cannot fake, in a network namespace', { skip }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  const OPEN = 7001;
  before(async () => {
    ns = new NetNs();
    // A listener inside the namespace: the one port that should stay open.
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', `require('net').createServer(s=>s.resume()).listen(${OPEN},'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '7002', '-j', 'DROP');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '7003', '-j', 'REJECT', '--reject-with', 'tcp-reset');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '7004', '-j', 'REJECT', '--reject-with', 'icmp-host-unreachable');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '7005', '-j', 'REJECT', '--reject-with', 'icmp-net-unreachable');
  });
  after(() => {
    server?.kill();
    ns?.remove();
  });

  const cases: [number, string, string | null, string][] = [
    [OPEN, 'open', null, 'OK'],
    [7002, 'timeout', 'ETIMEDOUT', 'CRITICAL'],
    [7003, 'refused', 'ECONNREFUSED', 'CRITICAL'],
    [7004, 'unreachable', 'EHOSTUNREACH', 'CRITICAL'],
    [7005, 'unreachable', 'ENETUNREACH', 'CRITICAL'],
    [7006, 'refused', 'ECONNREFUSED', 'CRITICAL'], // nothing listens, no rule
  ];

  for (const [port, outcome, errno, status] of cases) {
    it(`port ${port} → ${outcome}${errno ? ` (${errno})` : ''}, Nagios ${status}`, () => {
      const r = porthole(ns, ['--retries', '0', '-t', '1.5', `127.0.0.1:${port}`]);
      const res = r.json.results[0]!;
      assert.equal(res.outcome, outcome);
      assert.equal(res.errno, errno);
      assert.equal(r.json.status, status);
      assert.equal(r.code, status === 'OK' ? 0 : 2);
      if (outcome !== 'open') assert.equal(res.cause, outcome);
    });
  }

  it('retries before confirming: a dropped port is RETRYING first and DOWN after the retries', () => {
    const started = Date.now();
    const r = porthole(ns, ['--retries', '1', '--retry-delay', '200ms', '-t', '0.5', '127.0.0.1:7002']);
    const res = r.json.results[0]!;
    assert.equal(res.state, 'DOWN');
    assert.equal(res.cause, 'timeout');
    assert.ok(Date.now() - started >= 2 * 500 + 200, 'two attempts and one retry delay were spent');
  });

  it('exits with the same codes as check_tcp for every case', { skip: CHECK_TCP ? false : 'check_tcp (monitoring-plugins-basic) not installed' }, () => {
    for (const [port] of cases) {
      const ours = porthole(ns, ['--retries', '0', '-t', '2', `127.0.0.1:${port}`]);
      const theirs = checkTcp(ns, port);
      assert.equal(ours.code, theirs.code, `port ${port}: porthole ${ours.code}, check_tcp ${theirs.code} (${theirs.out.trim()})`);
    }
  });
});
