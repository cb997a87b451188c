// porthole discover --no-banners against nmap -sT on the same 10,000 ports, in one run, rounds
// alternating which goes first. Prints every round, then best-of-N and the median of the rounds
// (nmap has a slow mode on loopback, ~1.1 s instead of ~0.1 s some runs), and `node -e 0` as the floor
// that Node's own start-up sets. porthole runs three times a round: as it ships (the native scan on
// one thread per core), on one thread (PORTHOLE_DISCOVER_THREADS=1), and with the JS scan that is the
// fallback without the addon (PORTHOLE_DISCOVER_SCAN=js). All must find the same open ports every round.
// Where NODE_EXTRA_CA_CERTS is set, Node parses that bundle at every start, before any of porthole's
// code: `node -e 0` is then timed without it too, to show what the variable costs.
//
// As root it runs inside a network namespace of its own (its loopback holds only the bench's 20
// listeners, and other work's listeners neither add to nor suffer from the scan); otherwise on the
// host's loopback, ports 40000-49999, which hold none of the machine's shared services.
//
//   npm run build && npx tsx bench/discover/run.ts [--rounds 9]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const FROM = 40_000;
const TO = 49_999;
// The installed command (the esbuild bundle) where it was built, else the compiled CLI.
const BUNDLE = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));
const CLI = existsSync(BUNDLE) ? BUNDLE : fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
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

// CPU time (user + system, 10 ms resolution) through /usr/bin/time where it exists: on a loaded
// machine it says more than wall time about the work each tool does.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(tmpdir(), `porthole-bench-cpu-${process.pid}`);

interface Run {
  ms: number;
  cpuMs: number;
  out: string;
}

function wall(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const [bin, argv] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args]] : [cmd, args];
    const p = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', () => {
      const ms = performance.now() - t0;
      const cpu = TIME ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN];
      resolve({ ms, cpuMs: 1000 * (cpu[0]! + cpu[1]!), out });
    });
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
const oursCpu: number[] = [];
const theirsCpu: number[] = [];
const oneThread: number[] = [];
const jsScan: number[] = [];
const bareFloor: number[] = [];
const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
const theirs: number[] = [];
const floor: number[] = [];
let disagreements = 0;
const openIn = (out: string) => (JSON.parse(out) as { open: { port: number }[] }).open.map((o) => o.port).sort((x, y) => x - y);
for (let r = 0; r < rounds; r++) {
  const args = [CLI, 'discover', '127.0.0.1', '--ports', `${FROM}-${TO}`, '--json', '--no-banners'];
  // Each round in a different order, so none of the three always runs right after another.
  const runs = [
    () => wall(process.execPath, args),
    () => wall(process.execPath, args, { PORTHOLE_DISCOVER_THREADS: '1' }),
    () => wall('nmap', ['-sT', '-n', '-Pn', '-p', `${FROM}-${TO}`, '-oG', '-', '127.0.0.1']),
    () => wall(process.execPath, args, { PORTHOLE_DISCOVER_SCAN: 'js' }),
  ];
  const order = [[0, 1, 2, 3], [2, 3, 0, 1], [1, 2, 3, 0], [3, 0, 1, 2]][r % 4]!;
  const got: Run[] = [];
  for (const k of order) got[k] = await runs[k]!();
  const [a, one, b, js] = got as [Run, Run, Run, Run];
  oursCpu.push(a.cpuMs);
  theirsCpu.push(b.cpuMs);
  const n = await wall(process.execPath, ['-e', '0']);
  const bare = extraCa ? (await wall('env', ['-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0'])).ms : NaN;
  ours.push(a.ms);
  oneThread.push(one.ms);
  jsScan.push(js.ms);
  theirs.push(b.ms);
  floor.push(n.ms);
  bareFloor.push(bare);
  const openTheirs = [...b.out.matchAll(/(\d+)\/open\//g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  const agree = [a, one, js].every((x) => JSON.stringify(openIn(x.out)) === JSON.stringify(openTheirs));
  if (!agree) disagreements++;
  const engine = (JSON.parse(a.out) as { scan?: { engine: string } }).scan?.engine ?? '?';
  console.log(`round ${r + 1}: porthole ${a.ms.toFixed(0)} ms (${engine}; one thread ${one.ms.toFixed(0)} ms; JS scan ${js.ms.toFixed(0)} ms), nmap ${b.ms.toFixed(0)} ms, ratio ${(a.ms / b.ms).toFixed(2)}x; CPU ${a.cpuMs.toFixed(0)} vs ${b.cpuMs.toFixed(0)} ms; node -e 0 ${n.ms.toFixed(0)} ms${extraCa ? ` (${bare.toFixed(0)} ms without NODE_EXTRA_CA_CERTS)` : ''}; open ${openIn(a.out).length}/${openTheirs.length}${agree ? ' (same ports)' : ' (DIFFERENT ports)'}`);
}
for (const s of servers) s.close();
rmSync(cpuFile, { force: true });

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const best = (xs: number[]) => Math.min(...xs);
const slow = theirs.filter((t) => t > 3 * best(theirs)).length;
const bareNote = (f: (xs: number[]) => number) => (extraCa ? ` (${f(bareFloor).toFixed(0)} ms without NODE_EXTRA_CA_CERTS)` : '');
console.log(`best of ${rounds}:  porthole ${best(ours).toFixed(0)} ms (one thread ${best(oneThread).toFixed(0)} ms; JS scan ${best(jsScan).toFixed(0)} ms), nmap ${best(theirs).toFixed(0)} ms: ratio ${(best(ours) / best(theirs)).toFixed(2)}x (one thread ${(best(oneThread) / best(theirs)).toFixed(2)}x; JS scan ${(best(jsScan) / best(theirs)).toFixed(2)}x; goal <= 1.5x); node -e 0 ${best(floor).toFixed(0)} ms${bareNote(best)}`);
console.log(`median:      porthole ${median(ours).toFixed(0)} ms (one thread ${median(oneThread).toFixed(0)} ms; JS scan ${median(jsScan).toFixed(0)} ms), nmap ${median(theirs).toFixed(0)} ms: ratio ${(median(ours) / median(theirs)).toFixed(2)}x (one thread ${(median(oneThread) / median(theirs)).toFixed(2)}x; JS scan ${(median(jsScan) / median(theirs)).toFixed(2)}x); node -e 0 ${median(floor).toFixed(0)} ms${bareNote(median)}`);
if (TIME) console.log(`CPU (user+system), medians: porthole ${median(oursCpu).toFixed(0)} ms, nmap ${median(theirsCpu).toFixed(0)} ms: ratio ${(median(oursCpu) / median(theirsCpu)).toFixed(2)}x`);
console.log(`median of per-round ratios: ${median(ours.map((o, i) => o / theirs[i]!)).toFixed(2)}x; nmap slow-mode rounds (over 3x its best): ${slow}; rounds where the open ports differed: ${disagreements}`);
if (disagreements > 0) process.exitCode = 1;
