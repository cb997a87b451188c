// Cold start of a one-shot check: `porthole check -H 127.0.0.1 -p P --retries 0` against `node -e 0`
// (the floor any Node program pays) and check_tcp (a C plugin), rounds interleaved in one run, medians.
// Two targets: a refused port (nothing listens) and an open port whose listener closes at once.
// Every round is printed, as the machine is shared and a single slow round says little.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

// The installed command (package.json's bin, the bundle: see src/build/bundle.mjs), the bundle's ES
// module entry, and the same code unbundled.
const ROOT = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin: { porthole: string } };
const CLI = fileURLToPath(new URL(pkg.bin.porthole, ROOT));
const MAIN = fileURLToPath(new URL('dist/bin/main.js', ROOT));
const UNBUNDLED = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CHECK_TCP = '/usr/lib/nagios/plugins/check_tcp';
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;

function wall(cmd: string, args: string[]): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ ms: performance.now() - t0, code }));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (!existsSync(CLI)) {
  console.error('build first: npm run build');
  process.exit(1);
}
const closer = createServer((sock) => sock.destroy());
await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', resolve));
const openPort = (closer.address() as AddressInfo).port;
// A refused port, taken afresh before each run: bind one, note it, close it. On a shared machine
// another program may listen on it a moment later (a check that connects then lingers for its polite
// close): such runs, told by their exit code, are left out of the figures and marked "!".
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// The least a program can do for the same answer: load net, connect once, print. What Node itself
// costs for a one-shot TCP check, whatever the program: as an ES module, and as CommonJS (as the
// installed command is: an ES module entry first loads Node's ES module loader).
const floorDir = mkdtempSync(join(tmpdir(), 'porthole-coldstart-'));
const FLOOR = join(floorDir, 'floor.mjs');
const FLOOR_CJS = join(floorDir, 'floor.cjs');
const floorBody =
  "const s = new Socket();\ns.once('error', (e) => { process.stdout.write(`CRITICAL ${e.code}\\n`); process.exitCode = 2; });\ns.once('connect', () => { process.stdout.write('OK\\n'); s.destroy(); });\ns.connect({ host: '127.0.0.1', port: Number(process.argv[2]) });\n";
writeFileSync(FLOOR, `import { Socket } from 'node:net';\n${floorBody}`);
writeFileSync(FLOOR_CJS, `const { Socket } = require('node:net');\n${floorBody}`);
const haveCheckTcp = existsSync(CHECK_TCP);
// Each row: its arguments for a refused port, and the exit code that says the port was refused.
type Row = { name: string; cmd: string; args: (refused: number) => string[]; refusedExit?: number; ms: number[] };
const check = (main: string) => (p: number) => [main, 'check', '-H', '127.0.0.1', '-p', String(p), '--retries', '0'];
const rows: Row[] = [
  { name: 'node -e 0', cmd: process.execPath, args: () => ['-e', '0'], ms: [] },
  { name: 'porthole check, refused', cmd: process.execPath, args: check(CLI), refusedExit: 2, ms: [] },
  { name: 'porthole check, open+close', cmd: process.execPath, args: () => check(CLI)(openPort), ms: [] },
  { name: 'main.js (ES entry), refused', cmd: process.execPath, args: check(MAIN), refusedExit: 2, ms: [] },
  { name: 'unbundled (dist/cli), refused', cmd: process.execPath, args: check(UNBUNDLED), refusedExit: 2, ms: [] },
  { name: 'floor: net.connect .mjs, refused', cmd: process.execPath, args: (p) => [FLOOR, String(p)], refusedExit: 2, ms: [] },
  { name: 'floor: net.connect .cjs, refused', cmd: process.execPath, args: (p) => [FLOOR_CJS, String(p)], refusedExit: 2, ms: [] },
];
if (haveCheckTcp) {
  rows.push({ name: 'check_tcp, refused', cmd: CHECK_TCP, args: (p) => ['-H', '127.0.0.1', '-p', String(p)], refusedExit: 2, ms: [] });
  rows.push({ name: 'check_tcp, open+close', cmd: CHECK_TCP, args: () => ['-H', '127.0.0.1', '-p', String(openPort)], ms: [] });
}
/** One timed run; NaN when a "refused" port was not refused. */
async function timed(r: Row): Promise<number> {
  const { ms, code } = await wall(r.cmd, r.args(await refusedPort()));
  return r.refusedExit === undefined || code === r.refusedExit ? ms : NaN;
}
const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = loadAvg();
// One warm-up of each (page cache), not counted.
for (const r of rows) await timed(r);
for (let i = 0; i < ROUNDS; i++) {
  for (const r of rows) r.ms.push(await timed(r));
}
closer.close();
rmSync(floorDir, { recursive: true, force: true });

console.log(`cold start, ${ROUNDS} rounds interleaved, wall ms (load average ${loadBefore} before, ${loadAvg()} after)`);
const base = median(rows[0]!.ms);
const counted = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));
for (const r of rows) {
  const ms = counted(r.ms);
  const m = median(ms);
  const best = Math.min(...ms);
  // Each round against the `node -e 0` of the same round (run just before it, under the same load).
  const perRound = median(counted(r.ms.map((x, i) => x / rows[0]!.ms[i]!)));
  const notRefused = r.ms.length - ms.length;
  console.log(
    `${r.name.padEnd(32)} median ${m.toFixed(1).padStart(6)} ms ${(m / base).toFixed(2)}x, best ${best.toFixed(1).padStart(6)} ms ${(best / Math.min(...rows[0]!.ms)).toFixed(2)}x, per round ${perRound.toFixed(2)}x node -e 0   rounds: ${r.ms.map((x) => (Number.isNaN(x) ? '!' : x.toFixed(0))).join(' ')}${notRefused ? `  (${notRefused} not refused, left out)` : ''}`,
  );
}
if (!haveCheckTcp) console.log('check_tcp: not installed (monitoring-plugins-basic), skipped');
console.log('goal: porthole check <= 1.30x node -e 0 (medians; "best" compares the fastest rounds and "per round" is the median of each round\'s ratio, both less sensitive to a loaded machine)');
