import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const skip = netnsUnavailable() ?? (which('nmap') ? false : 'needs nmap');
const OPEN = [7201, 7202];
const DROPPED = [7203, 7204];
const RANGE = '7201-7210';

interface Discovered {
  open: { port: number; service?: string }[];
  closed: number[];
  filtered: number[];
}

describe('discover agrees with nmap -sT about open, closed and filtered', { skip }, () => {
  let ns: NetNs;
  let server: ChildProcess;
  let dir: string;
  before(async () => {
    ns = new NetNs('phdisc');
    dir = mkdtempSync(join(tmpdir(), 'porthole-disc-'));
    const code = `const net=require('net');let n=0;for(const p of ${JSON.stringify(OPEN)})net.createServer(s=>{s.on('error',()=>{});s.resume()}).listen(p,'127.0.0.1',()=>{if(++n===${OPEN.length})console.log('up')})`;
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
    for (const p of DROPPED) ns.iptables('-A', 'INPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP');
  });
  after(() => {
    server?.kill();
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('same states per port; the written config validates', () => {
    const file = join(dir, 'found.json');
    const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, CLI, 'discover', '127.0.0.1', '--ports', RANGE, '--timeout', '500ms', '--json', '--write', file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const ours = JSON.parse(r.stdout) as Discovered;
    const xml = spawnSync('ip', ['netns', 'exec', ns.name, 'nmap', '-sT', '-n', '-Pn', '-p', RANGE, '-oX', '-', '127.0.0.1'], { encoding: 'utf8', timeout: 60_000 }).stdout;
    const theirs = new Map<number, string>();
    for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="(\w+)"/g)) theirs.set(Number(m[1]), m[2]!);
    // nmap folds the common state into "extraports"; anything not listed is closed here.
    const nmapState = (p: number) => theirs.get(p) ?? 'closed';
    const oursState = (p: number) => (ours.open.some((o) => o.port === p) ? 'open' : ours.filtered.includes(p) ? 'filtered' : ours.closed.includes(p) ? 'closed' : 'missing');
    for (let p = 7201; p <= 7210; p++) assert.equal(oursState(p), nmapState(p), `port ${p}`);
    assert.deepEqual(ours.open.map((o) => o.port), OPEN);
    assert.deepEqual(ours.filtered, DROPPED);
    const cfg = JSON.parse(readFileSync(file, 'utf8')) as { targets: { port: number }[] };
    assert.deepEqual(cfg.targets.map((t) => t.port), OPEN);
    const v = spawnSync(process.execPath, [CLI, 'config', 'validate', file], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });
});
