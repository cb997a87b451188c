import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/agent.js';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';

// In a namespace of the test's own: 3,000 ports (enough for the two-thread scan), 5 listeners, 5 ports
// dropped (filtered), the rest refused; on 127.0.0.1 and on ::1. Every way of scanning must find the
// same: the native scan (src/native/scan.c) on its threads and on one, and the JS fallback (Node TCP
// handles on two threads and on one, plain net.Sockets); and the native scan must agree with nmap -sT.
const FROM = 20_001;
const TO = 23_000;
const OPEN = [20_001, 20_500, 21_000, 22_500, 23_000];
const DROPPED = [20_002, 20_777, 21_234, 22_999, 22_998];
const SILENT_FROM = 30_001;
const SILENT = 200;

interface Report {
  scan: { engine: 'native' | 'js'; why?: string };
  open: { port: number }[];
  closed: number[];
  filtered: number[];
}

const NATIVE_ADDON = join(ROOT, 'src', 'native', 'build', 'Release', 'porthole_scan.node');
const noAddon = existsSync(NATIVE_ADDON) ? false : 'the scan addon is not built (node src/native/build.mjs)';
const JS = { PORTHOLE_DISCOVER_SCAN: 'js' };

describe('the scan: native or JS (Node TCP handles or plain sockets), IPv4 and IPv6, and a low open-file limit', { skip: netnsUnavailable() ?? false }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  before(async () => {
    ns = new NetNs('phscan');
    const code = `const net=require('net');let n=0;for(const h of ['127.0.0.1','::1'])for(const p of ${JSON.stringify(OPEN)})net.createServer(s=>{s.on('error',()=>{});s.end()}).listen(p,h,()=>{if(++n===${2 * OPEN.length})console.log('up')})`;
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
    // A block of dropped ports for the open-file limit test: handshakes that stay in flight hold descriptors.
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', `${SILENT_FROM}:${SILENT_FROM + SILENT - 1}`, '-j', 'DROP');
    for (const p of DROPPED) {
      ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP');
      ns.exec('ip6tables', ['-w', '-A', 'INPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP']);
    }
  });
  after(() => {
    server?.kill();
    ns?.remove();
  });

  const scan = (shell: string, env: Record<string, string> = {}, cli = MAIN, address = '127.0.0.1', extra = '') => {
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `${shell} "$0" "$1" discover ${address} --ports ${FROM}-${TO} --timeout 400ms --no-banners --json${extra}`, process.execPath, cli], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };
  const expectRight = (r: Report, engine: 'native' | 'js') => {
    assert.equal(r.scan.engine, engine, r.scan.why);
    assert.deepEqual(r.open.map((o) => o.port), OPEN);
    assert.deepEqual(r.filtered, [...DROPPED].sort((a, b) => a - b));
    assert.equal(r.closed.length, TO - FROM + 1 - OPEN.length - DROPPED.length);
  };

  it('the native scan on its threads and on one finds what nmap -sT finds, port by port', { skip: noAddon || (which('nmap') ? false : 'needs nmap') }, () => {
    const ours = scan('exec');
    expectRight(ours, 'native');
    expectRight(scan('exec', { PORTHOLE_DISCOVER_THREADS: '1' }), 'native');
    const xml = ns.exec('nmap', ['-sT', '-n', '-Pn', '-p', `${FROM}-${TO}`, '-oX', '-', '127.0.0.1']);
    const theirs = new Map<number, string>();
    for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="(\w+)"/g)) theirs.set(Number(m[1]), m[2]!);
    // nmap folds the common state (closed) into "extraports": a port it does not list is closed.
    const closed = new Set(ours.closed);
    const filtered = new Set(ours.filtered);
    const open = new Set(ours.open.map((o) => o.port));
    for (let p = FROM; p <= TO; p++) {
      const mine = open.has(p) ? 'open' : filtered.has(p) ? 'filtered' : closed.has(p) ? 'closed' : 'missing';
      assert.equal(mine, theirs.get(p) ?? 'closed', `port ${p}`);
    }
  });

  it('the JS scan: Node TCP handles on two threads, on one, and plain net.Sockets find the same', () => {
    expectRight(scan('exec', JS), 'js');
    expectRight(scan('exec', { ...JS, PORTHOLE_DISCOVER_THREADS: '1' }), 'js');
    expectRight(scan('exec', { ...JS, PORTHOLE_DISCOVER_SOCKETS: 'net' }), 'js');
  });

  it('IPv6 (::1): the native scan and the JS scan find the same', () => {
    if (!noAddon) expectRight(scan('exec', {}, MAIN, '::1'), 'native');
    expectRight(scan('exec', JS, MAIN, '::1'), 'js');
  });

  it('the installed command (the esbuild bundle) finds its addon, its helper thread and the same ports', (t) => {
    const bundle = join(ROOT, 'dist', 'bin', 'main.js');
    if (!existsSync(bundle)) return t.skip('no bundle: npm run build makes it');
    expectRight(scan('exec', {}, bundle), noAddon ? 'js' : 'native');
    expectRight(scan('exec', JS, bundle), 'js');
  });

  it('an install whose addon did not build (a copy of dist without src/native/build) scans with the JS scan and says why', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-noaddon-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const bundle = join(dir, 'dist', 'bin', 'main.js');
    const r = scan('exec', {}, existsSync(bundle) ? bundle : join(dir, 'dist', 'cli', 'main.js'));
    expectRight(r, 'js');
    assert.match(r.scan.why ?? '', /scan addon did not load/);
  });

  it('open-file limit 64 with --concurrency 1000: the scan slows down to what fits, every port still right', () => {
    // ulimit -n in sh lowers the hard limit too, so Node cannot raise it back.
    if (!noAddon) expectRight(scan('ulimit -n 64 && exec', {}, MAIN, '127.0.0.1', ' --concurrency 1000'), 'native');
    expectRight(scan('ulimit -n 64 && exec', JS, MAIN, '127.0.0.1', ' --concurrency 1000'), 'js');
  });

  it('open-file limit 32 and 200 silent ports: the native scan runs out of descriptors, waits for its own, and gets every port right', { skip: noAddon }, () => {
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `ulimit -n 32 && exec "$0" "$1" discover 127.0.0.1 --ports ${SILENT_FROM}-${SILENT_FROM + SILENT + 99} --timeout 200ms --no-banners --json --concurrency 1000`, process.execPath, MAIN], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.scan.engine, 'native');
    assert.deepEqual(report.filtered, Array.from({ length: SILENT }, (_, i) => SILENT_FROM + i));
    assert.equal(report.closed.length, 100);
    assert.equal(report.open.length, 0);
  });
});
