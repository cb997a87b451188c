/**
 * bench/engine: the engine's throughput against a bare net.connect loop at the same concurrency, on
 * loopback listeners in another process; then scheduling drift and event-loop lag at a steady
 * 1,000 checks/s. Prints ratios against the baseline measured in the same run, and every round.
 *
 * The engine comes from dist/ (compiled by tsc, as porthole runs): through tsx every named closure the
 * probe makes per check would also pay esbuild's keepNames `__name` call (≈5 µs a check), a cost
 * porthole itself never has.
 *
 *   npm run build && npx tsx bench/engine/run.ts [--seconds 5] [--sizes 1000,5000] [--rounds 3] [--concurrency 256]
 */
import { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Target } from '../../src/config/target.js';
import { cpuTicks, TICKS } from '../lib/proc.js';
import { spawnListeners } from '../lib/spawn-listeners.js';
import { fmt, percentile } from '../lib/stats.js';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { BUILTIN_DEFAULTS, resolveTarget } = (await import(dist('config/target.js'))) as typeof import('../../src/config/target.js');
const { Engine } = (await import(dist('engine/engine.js'))) as typeof import('../../src/engine/engine.js');
const { socketsClosing } = (await import(dist('probe/tcp.js'))) as typeof import('../../src/probe/tcp.js');
const { listenWindowMs } = (await import(dist('probe/mysql-farewell.js'))) as typeof import('../../src/probe/mysql-farewell.js');

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, sizes: { type: 'string', default: '1000,5000' }, concurrency: { type: 'string', default: '256' }, rounds: { type: 'string', default: '3' } } });
const SECONDS = Number(values.seconds);
const SIZES = String(values.sizes).split(',').map(Number);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
/** The plain check's listen window on loopback (listenWindowMs's floor). */
const LINGER_MS = listenWindowMs(0);

/**
 * What a check does at the socket level: connect, then close politely while the next one starts;
 * with `lingerMs`, after listening that long for a server that speaks first, as porthole's plain
 * check does (src/probe/linger.ts) so that a MySQL greeting gets its answer.
 */
function connectOnce(port: number, lingerMs = 0): Promise<void> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.on('error', () => {});
      s.resume();
      if (lingerMs > 0) setTimeout(() => s.end(), lingerMs);
      else s.end();
      resolve();
    });
    s.once('error', () => {
      s.destroy();
      resolve();
    });
    s.connect({ host: '127.0.0.1', port });
  });
}

/** Checks per second, and this process's CPU per check (µs): the second holds up better on a loaded machine. */
interface Run {
  rate: number;
  cpuUs: number;
  /** The listeners' process, share of one core over the run: near 100% would make it the bottleneck. */
  listenerShare?: number;
}

/** Runs `f` and adds the listeners' process CPU share over the same time. */
async function withListenerCpu(pid: number, f: () => Promise<Run>): Promise<Run> {
  const ticks0 = cpuTicks(pid);
  const t0 = performance.now();
  const r = await f();
  return { ...r, listenerShare: (cpuTicks(pid) - ticks0) / TICKS / ((performance.now() - t0) / 1000) };
}

function roundLine(name: string, r: Run): string {
  return `${name} ${fmt(r.rate, 0)}/s ${fmt(r.cpuUs, 1)}µs/check (listeners ${fmt((r.listenerShare ?? NaN) * 100, 0)}% of a core)`;
}

/** The Node limit: `concurrency` workers connecting and closing politely, back to back. */
async function bareLoop(ports: number[], seconds: number, lingerMs = 0): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await connectOnce(ports[next++ % ports.length]!, lingerMs);
      n++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { rate: n / seconds, cpuUs: (cpu.user + cpu.system) / Math.max(1, n) };
}

async function settle(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (socketsClosing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
}

function targets(ports: number[], intervalMs: number): Target[] {
  return ports.map((port, i) => resolveTarget({ name: `t${i}`, host: '127.0.0.1', port, interval: intervalMs, timeout: 5000, retries: 1, retryDelay: 100 }, BUILTIN_DEFAULTS));
}

async function engineFlatOut(ports: number[], seconds: number): Promise<Run> {
  // Interval 0: every target is due again the moment its check ends, so the concurrency bound is the limit.
  const e = new Engine({ targets: targets(ports, 0), concurrency: CONCURRENCY, startSpreadMs: 0 });
  const cpu0 = process.cpuUsage();
  e.start();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const checks = e.totalChecks;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await e.stop();
  return { rate: checks / elapsed, cpuUs: (cpu.user + cpu.system) / Math.max(1, checks) };
}

async function engineSteady(ports: number[], checksPerSecond: number, seconds: number) {
  const interval = (ports.length / checksPerSecond) * 1000;
  const e = new Engine({ targets: targets(ports, interval), concurrency: CONCURRENCY });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  e.start();
  // Warm-up: the first cycle has its start spread; measure after it.
  await new Promise((r) => setTimeout(r, 2 * interval + 1000));
  const before = e.totalChecks;
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  const drifts = e.schedulerStats().drifts;
  const rate = (e.totalChecks - before) / elapsed;
  await e.stop();
  return {
    rate,
    driftP50: percentile(drifts, 50),
    driftP99: percentile(drifts, 99),
    lagP99: lag.percentile(99) / 1e6,
    cpuShare: (cpu.user + cpu.system) / 1000 / (elapsed * 1000),
  };
}

console.log(`bench/engine: ${SECONDS}s per run, concurrency ${CONCURRENCY}, node ${process.version}`);
for (const n of SIZES) {
  const l = await spawnListeners(n);
  try {
    // Alternating rounds, medians compared: the machine is shared and noisy.
    const bares: Run[] = [];
    const lingers: Run[] = [];
    const engs: Run[] = [];
    const pid = l.child.pid!;
    for (let round = 0; round < ROUNDS; round++) {
      bares.push(await withListenerCpu(pid, () => bareLoop(l.ports, SECONDS)));
      await settle();
      engs.push(await withListenerCpu(pid, () => engineFlatOut(l.ports, SECONDS)));
      await settle();
      lingers.push(await withListenerCpu(pid, () => bareLoop(l.ports, SECONDS, LINGER_MS)));
      await settle();
      const [b, e, g] = [bares[round]!, engs[round]!, lingers[round]!];
      console.log(`${n} targets  round ${round + 1}: ${roundLine('bare', b)}; ${roundLine('engine', e)}; ${roundLine('bare+linger', g)}; engine/bare ${fmt(e.rate / b.rate, 2)}× checks/s, ${fmt(e.cpuUs / b.cpuUs, 2)}× CPU per check`);
    }
    const bare = percentile(bares.map((r) => r.rate), 50);
    const eng = percentile(engs.map((r) => r.rate), 50);
    // Each round's own ratio too: a round's two runs are seconds apart, medians of separate runs are not.
    const ratios = bares.map((b, i) => engs[i]!.rate / b.rate);
    console.log(
      `${n} targets  throughput (median of ${ROUNDS}): bare net.connect ${fmt(bare, 0)}/s [${bares.map((x) => fmt(x.rate, 0)).join(' ')}], engine ${fmt(eng, 0)}/s [${engs.map((x) => fmt(x.rate, 0)).join(' ')}], ratio ${fmt(eng / bare, 2)}× (per round ${ratios.map((r) => fmt(r, 2)).join(' ')}; goal ≥ 0.95)`,
    );
    const bareCpu = percentile(bares.map((r) => r.cpuUs), 50);
    const engCpu = percentile(engs.map((r) => r.cpuUs), 50);
    console.log(`${n} targets  CPU per check (median): bare ${fmt(bareCpu, 1)}µs, engine ${fmt(engCpu, 1)}µs, ${fmt(engCpu / bareCpu, 2)}× the bare loop's`);
    // The same loop keeping each socket for the plain check's listen window: what the engine adds on its own.
    const linger = percentile(lingers.map((r) => r.rate), 50);
    const lingerCpu = percentile(lingers.map((r) => r.cpuUs), 50);
    console.log(
      `${n} targets  against a bare loop that also listens ${LINGER_MS}ms before its FIN: ${fmt(linger, 0)}/s [${lingers.map((x) => fmt(x.rate, 0)).join(' ')}], engine ${fmt(eng / linger, 2)}× its throughput; CPU per check ${fmt(lingerCpu, 1)}µs, engine ${fmt(engCpu / lingerCpu, 2)}×`,
    );
    const s = await engineSteady(l.ports, 1000, SECONDS * 2);
    console.log(
      `${n} targets  steady 1,000 checks/s: achieved ${fmt(s.rate, 0)}/s, drift p50 ${fmt(s.driftP50, 2)}ms p99 ${fmt(s.driftP99, 2)}ms (goal p99 < 50), event-loop lag p99 ${fmt(s.lagP99, 2)}ms, CPU ${fmt(s.cpuShare * 100, 1)}% of a core`,
    );
    await settle();
  } finally {
    l.stop();
  }
}
process.exit(0);
