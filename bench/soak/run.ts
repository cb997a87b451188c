// Memory across a million checks: the monitor as a front end assembles it (startRuntime from dist/:
// engine, history in a temp data dir, incident log, notifications) checking 2,000 loopback listeners
// of a child process of ours, fast enough to reach 1M checks in minutes. Prints RSS and heap against
// checks done; goal: RSS at 1M checks ≤ RSS at 100k + 10 MB. 2% of the targets are refused, so
// incidents, alerts and the incident log are exercised too.
//   npm run build && node --expose-gc --import tsx bench/soak/run.ts [--targets 2000] [--interval-ms 500]
//     [--checks 1000000] [--max-minutes 15] [--snapshots DIR] [--no-history]   (heap snapshots at 100k and 500k)
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { spawnListeners } from '../lib/spawn-listeners.js';
import { fmt } from '../lib/stats.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg('--targets', 2000);
const INTERVAL_MS = arg('--interval-ms', 500); // the shortest interval a config accepts
const CHECKS = arg('--checks', 1_000_000);
const MAX_MS = arg('--max-minutes', 15) * 60_000;
const snapIdx = process.argv.indexOf('--snapshots');
const SNAP_DIR = snapIdx > 0 ? process.argv[snapIdx + 1] : undefined;
const MARKS = [100_000, 250_000, 500_000, 750_000, 1_000_000].filter((m) => m <= CHECKS);

const { loadConfigFile } = (await import(new URL('../../dist/config/load.js', import.meta.url).href)) as typeof import('../../src/config/load.js');
const { startRuntime } = (await import(new URL('../../dist/runtime/runtime.js', import.meta.url).href)) as typeof import('../../src/runtime/runtime.js');

const listeners = await spawnListeners(N);
const base = mkdtempSync(join(tmpdir(), 'porthole-bench-soak-'));
const config = join(base, 'config.json');
// 2% of targets point at a port nothing listens on (bound once and closed): DOWN, with incidents.
const closed = createServer();
await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
const refusedPort = (closed.address() as AddressInfo).port;
await new Promise<void>((resolve) => closed.close(() => resolve()));
writeFileSync(
  config,
  JSON.stringify({
    defaults: { interval: `${INTERVAL_MS}ms`, timeout: '2s', retries: 1, retryDelay: `${INTERVAL_MS}ms` },
    targets: listeners.ports.map((port, i) => ({ name: `svc-${String(i).padStart(5, '0')}`, host: '127.0.0.1', port: i % 50 === 0 ? refusedPort : port })),
  }),
);
// --no-history: the targets as `porthole watch` runs them (no database, no alerts), to tell the
// history's share of the memory from the rest.
const NO_HISTORY = process.argv.includes('--no-history');
const runtime = NO_HISTORY
  ? startRuntime({ targets: loadConfigFile(config).targets })
  : startRuntime({ config, dataDir: join(base, 'data'), stateIn: 'data-dir', env: { ...process.env, PORTHOLE_CONFIG_DIR: join(base, 'conf') } });
runtime.start();

/** The data dir's files (database, WAL): what the history holds on disk. */
function dbSize(): number {
  const dir = join(base, 'data');
  if (NO_HISTORY) return 0;
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}
/** RSS split: anonymous memory (heaps, malloc) against mapped files and shared memory (the binary, SQLite's WAL index). */
function rssKinds(): { anon: number; file: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
  return { anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number) => b / 1_048_576;
const started = Date.now();
const rows: { checks: number; rss: number; heap: number }[] = [];
console.log(`bench/soak: ${N} targets every ${INTERVAL_MS} ms (${fmt((N * 1000) / INTERVAL_MS, 0)} checks/s planned), until ${CHECKS.toLocaleString('en')} checks or ${MAX_MS / 60_000} min; 2% of targets refused (DOWN)`);
console.log(`${'checks'.padStart(10)} ${'elapsed s'.padStart(9)} ${'checks/s'.padStart(8)} ${'RSS MB'.padStart(7)} ${'heap MB'.padStart(8)} ${'incidents'.padStart(9)} ${'heap total'.padStart(10)} ${'anon MB'.padStart(7)} ${'file+shm'.padStart(8)} ${'external MB'.padStart(11)} ${'history queued'.padStart(14)} ${'db MB'.padStart(6)}`);
let next = 0;
let lastChecks = 0;
let lastAt = Date.now();
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const checks = runtime.engine.totalChecks;
    const elapsed = Date.now() - started;
    if (checks >= (MARKS[next] ?? Infinity) || checks >= CHECKS || elapsed > MAX_MS) {
      gc?.();
      const m = process.memoryUsage();
      rows.push({ checks, rss: mb(m.rss), heap: mb(m.heapUsed) });
      const rate = ((checks - lastChecks) * 1000) / Math.max(1, Date.now() - lastAt);
      lastChecks = checks;
      lastAt = Date.now();
      const queued = runtime.history.stats()?.queued ?? 0;
      console.log(`${checks.toLocaleString('en').padStart(10)} ${fmt(elapsed / 1000, 0).padStart(9)} ${fmt(rate, 0).padStart(8)} ${fmt(mb(m.rss)).padStart(7)} ${fmt(mb(m.heapUsed)).padStart(8)} ${String(runtime.incidents.list().length).padStart(9)} ${fmt(mb(m.heapTotal)).padStart(10)} ${fmt(rssKinds().anon).padStart(7)} ${fmt(rssKinds().file).padStart(8)} ${fmt(mb(m.external)).padStart(11)} ${String(queued).padStart(14)} ${fmt(mb(dbSize())).padStart(6)}`);
      if (SNAP_DIR && (MARKS[next] === 100_000 || MARKS[next] === 500_000)) console.log(`  heap snapshot: ${writeHeapSnapshot(join(SNAP_DIR, `soak-${MARKS[next]}.heapsnapshot`))}`);
      next++;
      if (checks >= CHECKS || elapsed > MAX_MS || next >= MARKS.length) {
        clearInterval(timer);
        resolve();
      }
    }
  }, 200);
});
await runtime.close();
listeners.stop();
rmSync(base, { recursive: true, force: true });
const at100k = rows.find((r) => r.checks >= 100_000);
const last = rows[rows.length - 1];
if (at100k && last && last !== at100k) {
  console.log(`RSS at ${last.checks.toLocaleString('en')} checks ${fmt(last.rss)} MB vs ${fmt(at100k.rss)} MB at 100k: ${last.rss - at100k.rss >= 0 ? '+' : ''}${fmt(last.rss - at100k.rss)} MB (goal ≤ +10 MB); heap ${fmt(at100k.heap)} → ${fmt(last.heap)} MB`);
}
if (!gc) console.log('(run with --expose-gc for heap figures after a full collection)');
