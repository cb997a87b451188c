import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/agent.js';
import { NetNs, netnsUnavailable } from '../helpers/system.js';

// In a namespace of the test's own: 3,000 ports (enough for the two-thread scan), 5 listeners, 5 ports
// dropped (filtered), the rest refused.
const FROM = 20_001;
const TO = 23_000;
const OPEN = [20_001, 20_500, 21_000, 22_500, 23_000];
const DROPPED = [20_002, 20_777, 21_234, 22_999, 22_998];

interface Report {
  open: { port: number }[];
  closed: number[];
  filtered: number[];
}

describe('the scan: Node TCP handles or plain sockets, and a low open-file limit', { skip: netnsUnavailable() ?? false }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  before(async () => {
    ns = new NetNs('phscan');
    const code = `const net=require('net');let n=0;for(const p of ${JSON.stringify(OPEN)})net.createServer(s=>{s.on('error',()=>{});s.end()}).listen(p,'127.0.0.1',()=>{if(++n===${OPEN.length})console.log('up')})`;
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
    for (const p of DROPPED) ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP');
  });
  after(() => {
    server?.kill();
    ns?.remove();
  });

  const scan = (shell: string, env: Record<string, string> = {}, cli = MAIN) => {
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `${shell} "$0" "$1" discover 127.0.0.1 --ports ${FROM}-${TO} --timeout 400ms --no-banners --json`, process.execPath, cli], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };
  const expectRight = (r: Report) => {
    assert.deepEqual(r.open.map((o) => o.port), OPEN);
    assert.deepEqual(r.filtered, [...DROPPED].sort((a, b) => a - b));
    assert.equal(r.closed.length, TO - FROM + 1 - OPEN.length - DROPPED.length);
  };

  it('Node TCP handles on two threads (the default), on one, and plain net.Sockets find the same', () => {
    expectRight(scan('exec'));
    expectRight(scan('exec', { PORTHOLE_DISCOVER_THREADS: '1' }));
    expectRight(scan('exec', { PORTHOLE_DISCOVER_SOCKETS: 'net' }));
  });

  it('the installed command (the esbuild bundle) finds its helper thread and the same ports', (t) => {
    const bundle = join(ROOT, 'dist', 'bin', 'main.js');
    if (!existsSync(bundle)) return t.skip('no bundle: npm run build makes it');
    expectRight(scan('exec', {}, bundle));
  });

  it('open-file limit 64 with --concurrency 1000: the scan slows down to what fits, every port still right', () => {
    // ulimit -n in sh lowers the hard limit too, so Node cannot raise it back.
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', 'ulimit -n 64 && exec "$0" "$1" discover 127.0.0.1 --ports 20001-23000 --timeout 400ms --no-banners --json --concurrency 1000', process.execPath, MAIN], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    expectRight(JSON.parse(r.stdout) as Report);
  });
});
