// An idle console as on-call panes run it: 5 loopback targets every 5 s, the real `porthole` in tmux
// at 80×24 (CI unset), its process CPU over a window and RSS at the end; in the same run, in the same
// tmux size, `top -d 5` (the reference a sysadmin leaves open) and a quiet `porthole agent` on the same
// config; and the console again with V8 flags that can only be given at start-up
// (--max-semi-space-size=1 --single-threaded-gc: see the README for why the bin does not set them).
// The console's CPU is split into its main thread and the rest (V8 workers, libuv, the Ink patch's
// hooks thread), its RSS into the node binary's shared pages, anonymous memory and the C heap.
// The four run side by side, measured over the same window; medians printed with every round.
//   npm run build && npx tsx bench/ui/idle.ts [--seconds 30] [--rounds 3] [--warmup 60]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnListeners } from '../lib/spawn-listeners.js';
import { fmt, percentile } from '../lib/stats.js';
import { cpuTicks, rssMb, TICKS } from '../lib/proc.js';
import { rssParts, splitTicks, threadTicks, type RssParts } from './process-detail.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('--seconds', 30);
const ROUNDS = arg('--rounds', 3);
const WARMUP = arg('--warmup', 60);
const MAIN = join(resolve(import.meta.dirname, '..', '..'), 'dist', 'cli', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured {
  cpuPct: number;
  rssMb: number;
  mainPct?: number;
  parts?: RssParts;
}

/** A process being measured: its pid, and how to stop it. */
interface Running {
  pid: number;
  stop(): Promise<void>;
}

/** Starts argv in a fresh tmux session at 80×24 (CI unset: the console draws as on a real terminal). */
function inTmux(name: string, argv: string[]): Running {
  const session = `bench-idle-${name}-${process.pid}`;
  const r = spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'env', '-u', 'CI', ...argv]);
  if (r.status !== 0) throw new Error(`tmux: ${r.stderr.toString()}`);
  const pid = Number(spawnSync('tmux', ['list-panes', '-t', session, '-F', '#{pane_pid}'], { encoding: 'utf8' }).stdout.trim());
  return { pid, stop: async () => void spawnSync('tmux', ['kill-session', '-t', session]) };
}

/** The agent without a terminal. */
function agent(config: string, dir: string): Running {
  const child = spawn(process.execPath, [MAIN, 'agent', '--config', config, '--data-dir', dir, '--listen', '127.0.0.1:0'], { stdio: 'ignore' });
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * Measures every process over the same window, after the same warm-up: V8 keeps optimizing the
 * frame's code on its worker threads for the first minute or so (a 5 s warm-up measured that, ≈2×
 * the settled figure), and a pane on call runs for hours.
 */
async function measureTogether(procs: Record<string, Running>): Promise<Record<string, Measured>> {
  await sleep(WARMUP * 1000);
  const before = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, { cpu: cpuTicks(p.pid), threads: threadTicks(p.pid) }]));
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const pct = (ticks: number) => (ticks / TICKS / seconds) * 100;
  const out: Record<string, Measured> = {};
  for (const [k, p] of Object.entries(procs)) {
    const b = before[k]!;
    const split = splitTicks(p.pid, b.threads, threadTicks(p.pid));
    out[k] = { cpuPct: pct(cpuTicks(p.pid) - b.cpu), rssMb: rssMb(p.pid), mainPct: pct(split.main), parts: rssParts(p.pid) };
  }
  return out;
}

if (spawnSync('sh', ['-c', 'command -v tmux && command -v top']).status !== 0) {
  console.log('skipped: needs tmux and top');
  process.exit(0);
}
const listeners = await spawnListeners(5);
const base = mkdtempSync(join(tmpdir(), 'porthole-bench-idle-'));
const config = join(base, 'config.json');
writeFileSync(config, JSON.stringify({ defaults: { interval: '5s' }, targets: listeners.ports.map((port, i) => ({ name: `svc-${i}`, host: '127.0.0.1', port })) }));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`bench/ui idle: 5 loopback targets every 5 s, tmux 80×24, all four started together, measured over the same ${SECONDS} s after ${WARMUP} s, ${ROUNDS} rounds (load average ${load()})`);
const rows: Record<'console' | 'flags' | 'top' | 'agent', Measured[]> = { console: [], flags: [], top: [], agent: [] };
const FLAGS = ['--max-semi-space-size=1', '--single-threaded-gc'];
const detail = (m: Measured) =>
  `main thread ${fmt(m.mainPct ?? NaN, 2)}%; RSS ${fmt(m.rssMb)} MB = node binary ${fmt(m.parts?.nodeBinary ?? NaN)} + anon ${fmt(m.parts?.anon ?? NaN)} + C heap ${fmt(m.parts?.cHeap ?? NaN)} + other ${fmt(m.parts?.other ?? NaN)}`;
try {
  for (let r = 1; r <= ROUNDS; r++) {
    const dir = join(base, `r${r}`);
    const procs = {
      console: inTmux('console', [`PORTHOLE_CONFIG_DIR=${dir}`, process.execPath, MAIN, '--local', '--config', config, '--data-dir', dir]),
      top: inTmux('top', ['top', '-d', '5']),
      agent: agent(config, join(base, `a${r}`)),
      flags: inTmux('flags', [`PORTHOLE_CONFIG_DIR=${dir}f`, process.execPath, ...FLAGS, MAIN, '--local', '--config', config, '--data-dir', `${dir}f`]),
    };
    let m: Record<string, Measured>;
    try {
      m = await measureTogether(procs);
    } finally {
      for (const p of Object.values(procs)) await p.stop();
    }
    const [c, t, a, f] = [m.console!, m.top!, m.agent!, m.flags!];
    rows.console.push(c);
    rows.flags.push(f);
    rows.top.push(t);
    rows.agent.push(a);
    console.log(`round ${r}: console ${fmt(c.cpuPct, 2)}% of a core, RSS ${fmt(c.rssMb)} MB | top -d 5 ${fmt(t.cpuPct, 2)}%, RSS ${fmt(t.rssMb)} MB | agent ${fmt(a.cpuPct, 2)}%, RSS ${fmt(a.rssMb)} MB | console ${FLAGS.join(' ')} ${fmt(f.cpuPct, 2)}%, RSS ${fmt(f.rssMb)} MB (load ${load()})`);
    console.log(`  console: ${detail(c)}`);
    console.log(`  console ${FLAGS.join(' ')}: ${detail(f)}`);
  }
} finally {
  listeners.stop();
  rmSync(base, { recursive: true, force: true });
}
const med = (xs: Measured[], k: keyof Measured) => percentile(xs.map((x) => x[k]), 50);
console.log(
  `medians: console ${fmt(med(rows.console, 'cpuPct'), 2)}% of a core (goal < 1%), RSS ${fmt(med(rows.console, 'rssMb'))} MB (goal < 80 MB); ` +
    `top -d 5 ${fmt(med(rows.top, 'cpuPct'), 2)}%; agent ${fmt(med(rows.agent, 'cpuPct'), 2)}%, RSS ${fmt(med(rows.agent, 'rssMb'))} MB; ` +
    `console ${FLAGS.join(' ')} ${fmt(med(rows.flags, 'cpuPct'), 2)}%, RSS ${fmt(med(rows.flags, 'rssMb'))} MB`,
);
