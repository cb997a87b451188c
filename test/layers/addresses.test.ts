import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { conditionOf } from '../../src/engine/monitor.js';
import { probeTcp } from '../../src/probe/tcp.js';
import type { LookupAll } from '../../src/probe/types.js';
import { hasIpv6Loopback, listen, type Listener } from '../helpers/net.js';
import { NetNs, netnsUnavailable } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('every address of a dual-stack name (resolver stub)', () => {
  let v4: Listener;
  const stub: LookupAll = async () => [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ];
  before(async () => {
    v4 = await listen('127.0.0.1');
  });
  after(() => v4?.close());

  it('v4 open / v6 refused: the worst wins by default, each address a sub-row', async (t) => {
    if (!(await hasIpv6Loopback())) return t.skip('no IPv6 loopback here');
    const r = await probeTcp({ host: 'dual.test', port: v4.port, timeoutMs: 2000, family: 0, options: { addresses: 'all' } }, stub);
    assert.equal(r.outcome, 'refused');
    assert.equal(r.address, '::1');
    assert.deepEqual(
      r.addresses?.map((a) => [a.address, a.family, a.outcome]),
      [
        ['127.0.0.1', 4, 'open'],
        ['::1', 6, 'refused'],
      ],
    );
    assert.ok(r.addresses![0]!.connectMs !== null && r.addresses![1]!.connectMs === null);
    assert.match(r.detail ?? '', /127\.0\.0\.1 open, ::1 refused/);
    assert.ok(r.dnsMs !== null, 'the name was resolved once, timed apart');
  });

  it('with quorum 1 the target stays up but warns (partial)', async (t) => {
    if (!(await hasIpv6Loopback())) return t.skip('no IPv6 loopback here');
    const r = await probeTcp({ host: 'dual.test', port: v4.port, timeoutMs: 2000, family: 0, options: { addresses: 'all', quorum: 1 } }, stub);
    assert.equal(r.outcome, 'open');
    const c = conditionOf(r, 1000);
    assert.equal(c.condition, 'SLOW');
    assert.equal(c.cause, 'partial');
    assert.match(c.evidence ?? '', /1 of 2 addresses failing/);
  });

  it('by default (addresses "first") only the first address is dialled', async () => {
    const r = await probeTcp({ host: 'dual.test', port: v4.port, timeoutMs: 2000, family: 0, options: { check: 'tcp', http: undefined, tls: false, addresses: 'first' } }, stub);
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.addresses, undefined);
  });
});

describe('a dual-stack name from /etc/hosts inside our own network namespace', { skip: netnsUnavailable() }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  let dir: string;
  let etc: string;
  before(async () => {
    ns = new NetNs('phaddr');
    etc = `/etc/netns/${ns.name}`;
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'hosts'), '127.0.0.1 dual.test\n::1 dual.test\n');
    dir = mkdtempSync(join(tmpdir(), 'porthole-addr-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ targets: [{ name: 'dual', host: 'dual.test', port: 7100, addresses: 'all', retries: 0 }] }));
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', `require('net').createServer(s=>s.resume()).listen(7100,'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
  });
  after(() => {
    server?.kill();
    ns?.remove();
    rmSync(etc, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('porthole check shows v4 open and v6 refused, CRITICAL overall', () => {
    const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, CLI, 'check', '--json', '--config', join(dir, 'c.json')], { encoding: 'utf8', timeout: 30_000 });
    const res = (JSON.parse(r.stdout) as { results: { outcome: string; addresses?: { address: string; outcome: string }[] }[] }).results[0]!;
    assert.equal(res.outcome, 'refused');
    assert.deepEqual(
      res.addresses?.map((a) => `${a.address} ${a.outcome}`).sort(), // resolver order is the system's (RFC 6724)
      ['127.0.0.1 open', '::1 refused'],
    );
    assert.equal(r.status, 2);
  });
});
