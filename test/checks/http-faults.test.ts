import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { HttpCheckResult } from '../../src/checks/http/types.js';
import { NetNs, netnsUnavailable } from '../helpers/system.js';

const CHECK = fileURLToPath(new URL('../../dist/checks/http/check.js', import.meta.url));

/** Runs one API check inside the namespace (the built client, in a node of its own there). */
function checkIn(ns: NetNs, url: string, timeoutMs: number): HttpCheckResult {
  const script = `const { runHttpCheck } = await import(${JSON.stringify(CHECK)}); console.log(JSON.stringify(await runHttpCheck({ url: process.argv[1] }, { timeoutMs: ${timeoutMs} })));`;
  const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, '--input-type=module', '-e', script, url], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as HttpCheckResult;
}

describe('API check faults a loopback listener cannot fake, in a network namespace', { skip: netnsUnavailable() }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  before(async () => {
    ns = new NetNs('phapi');
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', `require('http').createServer((q,s)=>s.end('{"status":"ok"}')).listen(8080,'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '8081', '-j', 'DROP');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '8082', '-j', 'REJECT', '--reject-with', 'icmp-host-unreachable');
    // The server's answers lost on the way back: connected, then nothing.
    ns.iptables('-A', 'OUTPUT', '-p', 'tcp', '--sport', '8080', '-m', 'length', '--length', '100:65535', '-j', 'DROP');
  });
  after(() => {
    server?.kill();
    ns?.remove();
  });

  it('a dropped SYN is a timeout during the TCP handshake', () => {
    const r = checkIn(ns, 'http://127.0.0.1:8081/health', 600);
    assert.equal(r.outcome, 'timeout');
    assert.match(r.detail ?? '', /no answer within the timeout, during the TCP handshake/);
    assert.equal(r.phases?.connectMs, null);
    assert.equal(r.connectMs, null);
  });

  it('an ICMP host-unreachable is unreachable', () => {
    const r = checkIn(ns, 'http://127.0.0.1:8082/health', 2000);
    assert.equal(r.outcome, 'unreachable');
    assert.equal(r.errno, 'EHOSTUNREACH');
  });

  it('a connection whose answer never comes back is a timeout waiting for the response head', () => {
    const r = checkIn(ns, 'http://127.0.0.1:8080/health', 800);
    assert.equal(r.outcome, 'timeout');
    assert.match(r.detail ?? '', /during the response head/);
    assert.ok(r.phases!.connectMs! >= 0, 'the handshake itself completed');
  });
});
