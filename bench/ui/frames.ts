// Deterministic frame cost and heap growth of the console: no engine, no timers racing the clock.
// Each frame advances a fake clock by 1 s (the console shows ms-only changes at most once a second) and gives `changing` visible rows a new result, the way a
// busy console sees it. Run: NODE_ENV=production node --expose-gc --import tsx bench/ui/frames.ts
// Env: FRAMES (default 300), TARGETS (1000), SIZE (80x24,200x50), GAP_MS (0), CHANGING (60). Runs patched and stock Ink (see ink-mode.ts).
import { createElement } from 'react';
import { BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import type { Incident, TargetView } from '../../src/engine/types.js';
import { countStates } from '../../src/ui/model/summary.js';
import { fakeTty, noopCommands } from './fake-terminal.js';
import { inkMode } from './ink-mode.js';
import { incrementalRenderingFixed } from '../../src/ui/ink-patch/status.js';
import { fmt, percentile } from '../lib/stats.js';

// Ink is imported only after inkMode() has (or has not) registered the ink-patch load hook.
inkMode();
const [{ render }, { Console }] = await Promise.all([import('ink'), import('../../src/ui/Console.js')]);
// As the console runs: only changed lines rewritten, when the patched Ink allows it.
const incrementalRendering = await incrementalRenderingFixed();

const FRAMES = Number(process.env.FRAMES ?? 300);
// Idle time between frames (a live console renders 1-2 a second; back-to-back frames run with hot caches).
const GAP_MS = Number(process.env.GAP_MS ?? 0);
// Rows (from the top) that get a new result each frame: 60 covers every visible row.
const CHANGING = Number(process.env.CHANGING ?? 60);
const TARGETS = Number(process.env.TARGETS ?? 1000);
const SIZES = (process.env.SIZE ?? '80x24,200x50').split(',').map((s) => {
  const [c, r] = s.split('x').map(Number);
  return { columns: c ?? 80, rows: r ?? 24 };
});
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

// One Target object per target, as the engine keeps them (a new one only when the target is edited).
const targetsMade = new Map<number, Target>();
function target(i: number): Target {
  const made = targetsMade.get(i);
  if (made) return made;
  const t: Target = {
    id: `t${i}`,
    name: `svc-${String(i).padStart(5, '0')}`,
    host: '127.0.0.1',
    port: 10_000 + i,
    intervalMs: 1000,
    timeoutMs: 1000,
    retries: 2,
    retryDelayMs: 500,
    slowAfterMs: 50,
    tags: [],
    internal: false,
    paused: false,
    family: 0,
  };
  targetsMade.set(i, t);
  return t;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run renders the same frames. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(42);

// Like the engine's: a rolling window of the last 60 handshake times, a new sample per result. The
// values are random, as real ones are, so row strings rarely repeat and Ink's text caches miss the way
// they do on a live console (a periodic pattern would let them hit and flatter the figures).
const recents = new Map<number, (number | null)[]>();

function view(i: number, frame: number, now: number): TargetView {
  const down = i % 37 === 0;
  const ms = 0.3 + random() * 19.7;
  let recent = recents.get(i);
  if (!recent) recents.set(i, (recent = Array.from({ length: 60 }, () => 0.3 + random() * 19.7)));
  else recent = [...recent.slice(1), down ? null : ms];
  recents.set(i, recent);
  return {
    target: target(i),
    monitor: { state: down ? 'DOWN' : 'UP', since: T0 - 3_600_000 + i * 1000, confirmed: down ? 'DOWN' : 'UP', trend: { samples: [], rising: false }, ...(down ? { cause: 'refused' as const } : {}) },
    lastResult: down
      ? { outcome: 'refused', startedAt: now, dnsMs: null, connectMs: null, totalMs: 0.1, errno: 'ECONNREFUSED', detail: 'connect ECONNREFUSED' }
      : { outcome: 'open', startedAt: now, dnsMs: null, connectMs: ms, totalMs: ms, address: '127.0.0.1', family: 4 },
    recent,
    checks: frame,
    failures: 0,
    inFlight: false,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

async function run(size: { columns: number; rows: number }, frames: number) {
  let now = T0;
  let frame = 0;
  const views = Array.from({ length: TARGETS }, (_, i) => view(i, 0, now));
  const incidents: Incident[] = [];
  const source = {
    version: 1,
    stateVersion: 1,
    lastCheckAt: now as number | undefined,
    snapshot: () => views.slice(),
    get: (id: string) => views.find((v) => v.target.id === id),
    stateCounts: () => countStates(views),
    subscribe: () => () => {},
  };
  const feed = { version: 1, list: () => incidents };
  const times: number[] = [];
  let framed: (() => void) | undefined;
  const { stdout, stdin } = fakeTty(size.columns, size.rows);
  const app = render(
    createElement(Console, {
      source,
      incidents: feed,
      commands: noopCommands,
      defaults: BUILTIN_DEFAULTS,
      configFile: 'bench',
      stateFile: 'bench',
      color: true,
      pollMs: 1,
      now: () => now,
      onFrame: (ms: number) => {
        times.push(ms);
        framed?.();
      },
    }),
    { stdout, stdin, exitOnCtrlC: false, patchConsole: false, incrementalRendering, maxFps: 1000 },
  );
  const step = async (): Promise<void> => {
    frame++;
    now += 1000;
    // The rows on screen get new results (ms, sparkline); the clock moves every "since".
    for (let i = 0; i < CHANGING; i++) views[i] = view(i, frame, now);
    source.version++;
    source.lastCheckAt = now;
    await new Promise<void>((r) => (framed = r));
    if (GAP_MS > 0) await new Promise((r) => setTimeout(r, GAP_MS));
  };
  for (let i = 0; i < 50; i++) await step();
  times.length = 0;
  const heap0 = heapMb();
  for (let i = 0; i < frames; i++) await step();
  const heap1 = heapMb();
  app.unmount();
  return { p50: percentile(times, 50), p95: percentile(times, 95), heapGrowthMb: heap1 - heap0 };
}

if (process.env.NODE_ENV !== 'production') console.log('note: NODE_ENV is not production: React development build');
if (!gc) console.log('note: run with --expose-gc for stable heap figures');
console.log(`frames: ${TARGETS} targets, ${FRAMES} frames, ${CHANGING} rows change per frame, clock +1 s per frame, ${GAP_MS} ms between frames`);
for (const size of SIZES) {
  const r = await run(size, FRAMES);
  console.log(`${`${size.columns}x${size.rows}`.padEnd(8)} frame p50/p95 ${fmt(r.p50, 1)} / ${fmt(r.p95, 1)} ms   heap growth ${fmt(r.heapGrowthMb, 2)} MB over ${FRAMES} frames`);
}
process.exit(0);
