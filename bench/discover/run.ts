// porthole discover --no-banners against nmap -sT on the same 10,000 ports, in one run, rounds
// alternating which goes first. Prints every round, then best-of-N and the median of the rounds
// (nmap has a slow mode on loopback, ~1.1 s instead of ~0.1 s some runs), and `node -e 0` as the floor
// that Node's own start-up sets. Both must find the same open ports in every round.
//
// As root it runs inside a network namespace of its own (its loopback holds only the bench's 20
// listeners, and other work's listeners neither add to nor suffer from the scan); otherwise on the
// host's loopback, ports 40000-49999, which hold none of the machine's shared services.
//
//   npm run build && npx tsx bench/discover/run.ts [--rounds 9]
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const FROM = 40_000;
const TO = 49_999;
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' }, inside: { type: 'boolean', default: false } } });
const rounds = Math.max(1, Math.min(50, Number(values.rounds)));

function have(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

if (!have('nmap')) {
  console.log('skipped: nmap not installed');
  process.exit(0);
}

if (!values.inside && process.getuid?.() === 0 && have('ip')) {
  const ns = `phbench-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns], { stdio: 'inherit' });
  try {
    spawnSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'inherit' });
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, self, '--inside', '--rounds', String(rounds)], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
  process.exit();
}

function wall(cmd: string, args: string[]): Promise<{ ms: number; out: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => resolve({ ms: performance.now() - t0, out, code }));
  });
}

const servers: Server[] = [];
const listening: number[] = [];
for (let i = 0; i < 20; i++) {
  const s = createServer((sock) => {
    sock.on('error', () => {});
    sock.resume();
    sock.end();
  });
  const port = FROM + 1 + i * 487;
  const ok = await new Promise<boolean>((resolve) => s.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
  if (ok) {
    servers.push(s);
    listening.push(port);
  }
}

const where = values.inside ? 'a network namespace of its own' : "the host's loopback";
console.log(`ports ${FROM}-${TO} (10,000) on 127.0.0.1 in ${where}; ${listening.length} listeners; ${rounds} rounds; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const ours: number[] = [];
const theirs: number[] = [];
const floor: number[] = [];
let disagreements = 0;
for (let r = 0; r < rounds; r++) {
  const runOurs = () => wall(process.execPath, [CLI, 'discover', '127.0.0.1', '--ports', `${FROM}-${TO}`, '--json', '--no-banners']);
  const runTheirs = () => wall('nmap', ['-sT', '-n', '-Pn', '-p', `${FROM}-${TO}`, '-oG', '-', '127.0.0.1']);
  const [a, b] = r % 2 === 0 ? [await runOurs(), await runTheirs()] : await (async () => {
    const t = await runTheirs();
    return [await runOurs(), t] as const;
  })();
  const n = await wall(process.execPath, ['-e', '0']);
  ours.push(a.ms);
  theirs.push(b.ms);
  floor.push(n.ms);
  const openOurs = (JSON.parse(a.out) as { open: { port: number }[] }).open.map((o) => o.port).sort((x, y) => x - y);
  const openTheirs = [...b.out.matchAll(/(\d+)\/open\//g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  const agree = JSON.stringify(openOurs) === JSON.stringify(openTheirs);
  if (!agree) disagreements++;
  console.log(`round ${r + 1}: porthole ${a.ms.toFixed(0)} ms, nmap ${b.ms.toFixed(0)} ms, ratio ${(a.ms / b.ms).toFixed(2)}x; node -e 0 ${n.ms.toFixed(0)} ms; open ${openOurs.length}/${openTheirs.length}${agree ? ' (same ports)' : ' (DIFFERENT ports)'}`);
}
for (const s of servers) s.close();

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const best = (xs: number[]) => Math.min(...xs);
const slow = theirs.filter((t) => t > 3 * best(theirs)).length;
console.log(`best of ${rounds}:  porthole ${best(ours).toFixed(0)} ms, nmap ${best(theirs).toFixed(0)} ms: ratio ${(best(ours) / best(theirs)).toFixed(2)}x (goal <= 1.5x); node -e 0 ${best(floor).toFixed(0)} ms`);
console.log(`median:      porthole ${median(ours).toFixed(0)} ms, nmap ${median(theirs).toFixed(0)} ms: ratio ${(median(ours) / median(theirs)).toFixed(2)}x; node -e 0 ${median(floor).toFixed(0)} ms`);
console.log(`median of per-round ratios: ${median(ours.map((o, i) => o / theirs[i]!)).toFixed(2)}x; nmap slow-mode rounds (over 3x its best): ${slow}; rounds where the open ports differed: ${disagreements}`);
if (disagreements > 0) process.exitCode = 1;
