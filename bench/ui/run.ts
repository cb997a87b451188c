// UI frame cost: the console rendering 1,000 and 5,000 targets that receive 1,000 results/s, beside
// the same engine load with no UI (baseline), plus an idle console. Run: npx tsx bench/ui/run.ts
// Probes are synthetic (no network): the load is the engine's results, not sockets.
// Run with NODE_ENV=production (React's production build, as the CLI uses): NODE_ENV=production npx tsx bench/ui/run.ts
// Runs patched and stock Ink in turn (BENCH_INK=patched|stock for one; see ink-mode.ts).
import { createElement } from 'react';
import type { render as inkRender } from 'ink';
import { BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { IncidentLog } from '../../src/feed/incident-log.js';
import type { ProbeFn } from '../../src/probe/types.js';
import { fakeTty, noopCommands } from './fake-terminal.js';
import { inkMode } from './ink-mode.js';
import { incrementalRenderingFixed } from '../../src/ui/ink-patch/status.js';
import { fmt, percentile } from '../lib/stats.js';

// Ink is imported only after inkMode() has (or has not) registered the ink-patch load hook.
inkMode();
const [{ render }, { Console }] = await Promise.all([import('ink'), import('../../src/ui/Console.js')]);
// As the console runs: only changed lines rewritten, when the patched Ink allows it.
const incrementalRendering = await incrementalRenderingFixed();

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
// Narrow a run (profiling): TARGETS=1000 (0: none), SIZE=80x24, IDLE=0 skips the idle runs.
const COUNTS = (process.env.TARGETS ?? '1000,5000').split(',').map(Number).filter((n) => n > 0);
const SIZES = (process.env.SIZE ?? '80x24,200x50').split(',').map((s) => {
  const [columns, rows] = s.split('x').map(Number);
  return { columns: columns ?? 80, rows: rows ?? 24 };
});
const WARMUP_MS = 1500;

function targets(n: number, intervalMs: number): Target[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    name: `svc-${String(i).padStart(5, '0')}`,
    host: '127.0.0.1',
    port: 10_000 + (i % 50_000),
    intervalMs,
    timeoutMs: 1000,
    retries: 1,
    retryDelayMs: 500,
    slowAfterMs: 50,
    tags: [i % 2 ? 'odd' : 'even'],
    internal: false,
    paused: false,
    family: 0 as const,
  }));
}

/** Synthetic handshakes: ~1-20 ms, a share refused (2% under load; none for a quiet, healthy night), answered on the next tick. */
const probeWith = (refusedShare: number): ProbeFn => async (req) => {
  await new Promise((r) => setImmediate(r));
  const refused = Math.random() < refusedShare;
  return refused
    ? { outcome: 'refused', startedAt: Date.now(), dnsMs: null, connectMs: null, totalMs: 0.1, errno: 'ECONNREFUSED', detail: `connect ECONNREFUSED ${req.host}:${req.port}` }
    : { outcome: 'open', startedAt: Date.now(), dnsMs: null, connectMs: 1 + Math.random() * 19, totalMs: 1, address: req.host, family: 4 };
};



interface RunResult {
  resultsPerSec: number;
  cpuShare: number;
  frames?: { count: number; perSec: number; busyShare: number; reactP50: number; reactP95: number; inkP50: number; inkP95: number; totalP95: number };
}

async function measure(n: number, intervalMs: number, withUi: boolean, seconds = SECONDS, size = { columns: 200, rows: 50 }, refusedShare = 0.02): Promise<RunResult> {
  const engine = new Engine({ targets: targets(n, intervalMs), probe: probeWith(refusedShare), startSpreadMs: intervalMs, concurrency: 512 });
  const log = new IncidentLog(500);
  const detach = log.attach(engine);
  const react: number[] = [];
  const ink: number[] = [];
  let measuring = false;
  let app: ReturnType<typeof inkRender> | undefined;
  engine.start();
  if (withUi) {
    const { stdout, stdin } = fakeTty(size.columns, size.rows);
    const tree = createElement(Console, {
      source: engine,
      incidents: log,
      commands: noopCommands,
      defaults: BUILTIN_DEFAULTS,
      configFile: 'bench',
      stateFile: 'bench',
      color: true,
      onFrame: (ms: number) => void (measuring && react.push(ms)),
    });
    app = render(tree, { stdout, stdin, exitOnCtrlC: false, patchConsole: false, incrementalRendering, maxFps: 20, onRender: (m) => void (measuring && ink.push(m.renderTime)) });
    app.waitUntilExit().catch((e: unknown) => console.error("console crashed:", e));
  }
  // Past the first round of checks (spread over one interval), whose UNKNOWN → UP changes are not steady state.
  await new Promise((r) => setTimeout(r, Math.max(WARMUP_MS, intervalMs + 1000)));
  // The previous run's garbage is not this run's cost (with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  measuring = true;
  const checks0 = engine.totalChecks;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  measuring = false;
  const checks = engine.totalChecks - checks0;
  app?.unmount();
  detach();
  await engine.stop();
  const out: RunResult = { resultsPerSec: checks / (wall / 1000), cpuShare: (cpu.user + cpu.system) / 1000 / wall };
  if (withUi) {
    const total = react.map((r, i) => r + (ink[i] ?? 0));
    out.frames = {
      count: ink.length,
      perSec: ink.length / (wall / 1000),
      // Time spent inside frames per second of wall time: the UI's own share, measured directly
      // (the process CPU figures on a shared VM wobble by more than an idle console costs).
      busyShare: react.reduce((a, b) => a + b, 0) / wall,
      reactP50: percentile(react, 50),
      reactP95: percentile(react, 95),
      inkP50: percentile(ink, 50),
      inkP95: percentile(ink, 95),
      totalP95: percentile(total, 95),
    };
  }
  return out;
}

const pct = (x: number): string => `${fmt(x * 100)}%`;

if (process.env.NODE_ENV !== 'production') console.log('note: NODE_ENV is not production: React development build, slower than the CLI');
console.log(`porthole UI bench — ${SECONDS}s per run after ${WARMUP_MS}ms warm-up, maxFps 20, snapshot poll 500 ms, synthetic probes`);
console.log('frame = React render+commit of the console (Ink builds its output inside the commit, so it includes "Ink output")');
console.log('targets  terminal  mode      results/s  CPU     frames/s  frame p50/p95 ms  Ink output p50/p95 ms');
for (const n of COUNTS) {
  const interval = n; // n targets every n ms = 1,000 results/s
  const base = await measure(n, interval, false);
  console.log(`${String(n).padStart(7)}  —         no UI     ${fmt(base.resultsPerSec, 0).padStart(9)}  ${pct(base.cpuShare).padStart(6)}`);
  for (const size of SIZES) {
    const ui = await measure(n, interval, true, SECONDS, size);
    const f = ui.frames!;
    console.log(
      `${String(n).padStart(7)}  ${`${size.columns}x${size.rows}`.padEnd(8)}  console   ${fmt(ui.resultsPerSec, 0).padStart(9)}  ${pct(ui.cpuShare).padStart(6)}  ${fmt(f.perSec).padStart(8)}  ${`${fmt(f.reactP50, 1)} / ${fmt(f.reactP95, 1)}`.padStart(16)}  ${`${fmt(f.inkP50, 1)} / ${fmt(f.inkP95, 1)}`.padStart(21)}`,
    );
    console.log(`                             ratio console/no-UI CPU = ${fmt(ui.cpuShare / base.cpuShare, 2)}× (UI adds ${pct(ui.cpuShare - base.cpuShare)} of a core; inside frames ${pct(f.busyShare)} of the time)`);
  }
}
for (const size of process.env.IDLE === '0' ? [] : SIZES) {
  for (const [label, share] of [['all healthy', 0], ['2% refused', 0.02]] as const) {
    const idle = await measure(100, 5000, true, Math.max(SECONDS, 10), size, share);
    const idleBase = await measure(100, 5000, false, Math.max(SECONDS, 10), size, share);
    console.log(`idle console ${size.columns}x${size.rows} (100 targets, 5 s interval, ${label}): CPU ${pct(idle.cpuShare)} of a core (no UI: ${pct(idleBase.cpuShare)}), ${fmt(idle.frames!.perSec)} frames/s, inside frames ${pct(idle.frames!.busyShare)} of the time`);
  }
}
process.exit(0);
