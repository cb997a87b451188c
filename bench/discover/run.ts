// porthole discover vs nmap -sT on the same 10,000 loopback ports, in one run. Prints both wall
// times and the ratio (goal: porthole within 2x of nmap). The range 40000-49999 holds none of the
// machine's shared services; 20 listeners of our own make some ports open.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

const FROM = 40_000;
const TO = 49_999;
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function wall(cmd: string, args: string[]): Promise<{ ms: number; out: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => resolve({ ms: performance.now() - t0, out, code }));
  });
}

if (spawnSync('sh', ['-c', 'command -v nmap']).status !== 0) {
  console.log('skipped: nmap not installed');
  process.exit(0);
}
const servers: Server[] = [];
for (let i = 0; i < 20; i++) {
  const s = createServer((sock) => {
    sock.on('error', () => {});
    sock.resume();
  });
  const port = FROM + 1 + i * 487;
  await new Promise<void>((resolve) => s.once('error', () => resolve()).listen(port, '127.0.0.1', () => resolve()));
  servers.push(s);
}
const rounds = 3;
const ours: number[] = [];
const theirs: number[] = [];
let openOurs = 0;
let openTheirs = 0;
for (let r = 0; r < rounds; r++) {
  const a = await wall(process.execPath, [CLI, 'discover', '127.0.0.1', '--ports', `${FROM}-${TO}`, '--json', '--no-banners', '--concurrency', '1000']);
  ours.push(a.ms);
  openOurs = (JSON.parse(a.out) as { open: unknown[] }).open.length;
  const b = await wall('nmap', ['-sT', '-n', '-Pn', '-p', `${FROM}-${TO}`, '-oG', '-', '127.0.0.1']);
  theirs.push(b.ms);
  openTheirs = (b.out.match(/\d+\/open\//g) ?? []).length;
}
for (const s of servers) s.close();
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const o = median(ours);
const t = median(theirs);
console.log(`ports ${FROM}-${TO} (10,000), ${rounds} rounds, medians; open found: porthole ${openOurs}, nmap ${openTheirs}`);
console.log(`porthole discover: ${o.toFixed(0)} ms (includes node start-up)`);
console.log(`nmap -sT -n -Pn:   ${t.toFixed(0)} ms`);
console.log(`ratio porthole/nmap: ${(o / t).toFixed(2)}x (goal <= 2x)`);
