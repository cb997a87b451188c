// bench/cluster: 3 agents × 1,000 loopback targets at 1 s through one NATS server of the bench's own,
// beside the same 3 agents without a cluster (the baseline, same load shape), rounds alternating.
// Prints results/s end to end, the delay from a check's end to a stream consumer having it (what the
// cluster console and the aggregator read; p50/p99), CPU per agent against the baseline, and the
// stream's bytes per result. Run: npm run build && npx tsx bench/cluster/run.ts [--targets 1000]
// [--agents 3] [--seconds 10] [--rounds 2] [--prof DIR] [--main dist/cli/main.js]. Only loopback is used: listeners of a child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { spawnListeners } from '../lib/spawn-listeners.js';
import { fmt, percentile } from '../lib/stats.js';
import { followResults } from '../../src/cluster/read-results.js';
import { RESULTS_STREAM } from '../../src/cluster/names.js';
import { ensureResultsStream } from '../../src/cluster/stream.js';
import { CLUSTER_DEFAULTS } from '../../src/config/cluster-schema.js';
import { cpuTicks, TICKS } from '../lib/proc.js';

const { values } = parseArgs({ options: { targets: { type: 'string', default: '1000' }, agents: { type: 'string', default: '3' }, seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' }, warmup: { type: 'string', default: '6' }, prof: { type: 'string' }, main: { type: 'string' } } });
const N = Number(values.targets);
const AGENTS = Number(values.agents);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const ROOT = resolve(import.meta.dirname, '..', '..');
// --main: another build's dist/cli/main.js for the agents (to compare two builds' figures).
const MAIN = values.main ? resolve(values.main) : join(ROOT, 'dist', 'cli', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function startAgent(config: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  // --prof DIR: every agent (with and without cluster) writes a V8 CPU profile there when it stops.
  const prof = values.prof ? ['--cpu-prof', '--cpu-prof-dir', resolve(values.prof)] : [];
  const child = spawn(process.execPath, [...prof, MAIN, 'agent', '--config', config, '--data-dir', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-10_000)));
  for (let i = 0; i < 300 && !/ started .*url=(\S+)/.test(out); i++) await sleep(50);
  const url = / started .*url=(\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`agent did not start: ${out}`);
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(10_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Round {
  cpuPer1k: number[];
  checksPerSec: number;
}

/** Starts the agents, waits, measures CPU and checks over the window; `during` runs meanwhile. */
async function runAgents(configs: string[], base: string, tag: string, during?: () => Promise<void>): Promise<Round> {
  const agents = await Promise.all(configs.map((c, i) => startAgent(c, join(base, `${tag}-${i}`))));
  try {
    const checks = async () => Promise.all(agents.map(async (a) => ((await (await fetch(`${a.url}/healthz`)).json()) as { checks: number }).checks));
    await sleep(WARMUP * 1000);
    const c0 = await checks();
    const t0 = agents.map((a) => cpuTicks(a.child.pid!));
    const w0 = performance.now();
    await Promise.all([sleep(SECONDS * 1000), during?.()]);
    const c1 = await checks();
    const t1 = agents.map((a) => cpuTicks(a.child.pid!));
    const wall = (performance.now() - w0) / 1000;
    const perSec = c1.map((c, i) => (c - (c0[i] ?? 0)) / wall);
    const cpu = t1.map((t, i) => (t - (t0[i] ?? 0)) / TICKS / wall);
    return { cpuPer1k: cpu.map((c, i) => (c * 100) / ((perSec[i] ?? 1) / 1000)), checksPerSec: perSec.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(agents.map((a) => stop(a.child)));
  }
}

const listeners = await spawnListeners(N);
const base = mkdtempSync(join(tmpdir(), 'porthole-bench-cluster-'));
const natsPort = await freePort();
const nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', join(base, 'nats')], { stdio: 'ignore' });
const url = `nats://127.0.0.1:${natsPort}`;
await sleep(1000);
const targets = listeners.ports.map((port, i) => ({ name: `svc-${String(i).padStart(4, '0')}`, host: '127.0.0.1', port }));
const defaults = { interval: '1s', timeout: '2s', retries: 0 };
const plain: string[] = [];
const clustered: string[] = [];
for (let i = 0; i < AGENTS; i++) {
  const loc = `loc${i}`;
  plain.push(join(base, `plain-${loc}.json`));
  clustered.push(join(base, `cluster-${loc}.json`));
  writeFileSync(plain[i]!, JSON.stringify({ defaults, targets }));
  writeFileSync(clustered[i]!, JSON.stringify({ defaults, targets, cluster: { url, location: loc } }));
}

console.log(`bench/cluster: ${AGENTS} agents × ${N} loopback targets at 1 s through one nats-server (JetStream), ${SECONDS}s windows after ${WARMUP}s warm-up, ${ROUNDS} rounds; machine: ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const nc = await connect({ servers: url });
const baseRounds: Round[] = [];
const clusterRounds: Round[] = [];
const delays: number[] = [];
let windowReceived = 0;
try {
  for (let r = 1; r <= ROUNDS; r++) {
    const b = await runAgents(plain, base, `plain-${r}`);
    const c = await runAgents(clustered, base, `cluster-${r}`);
    baseRounds.push(b);
    clusterRounds.push(c);
    console.log(`round ${r}: without cluster ${fmt(b.checksPerSec, 0)} checks/s, CPU per 1k checks/s ${b.cpuPer1k.map((x) => fmt(x)).join(' / ')}% | with cluster ${fmt(c.checksPerSec, 0)} checks/s, ${c.cpuPer1k.map((x) => fmt(x)).join(' / ')}%`);
  }
  // End to end: the cluster agents again, a consumer in this process timing each result's arrival.
  await ensureResultsStream(nc, { maxAgeMs: CLUSTER_DEFAULTS.streamMaxAgeMs, maxBytes: CLUSTER_DEFAULTS.streamMaxBytes });
  let counting = false;
  const stopFollow = await followResults(nc, {
    from: 'latest',
    onResult: (res) => {
      if (!counting) return;
      windowReceived++;
      delays.push(Date.now() - res.message.at);
    },
  });
  const e2e = await runAgents(clustered, base, 'e2e', async () => {
    counting = true;
    await sleep(SECONDS * 1000);
    counting = false;
  });
  stopFollow();
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(RESULTS_STREAM);
  const med = (xs: number[]) => percentile(xs, 50);
  const baseCpu = med(baseRounds.flatMap((x) => x.cpuPer1k));
  const clusterCpu = med(clusterRounds.flatMap((x) => x.cpuPer1k));
  console.log('\nmedians (indicative: the machine is shared):');
  console.log(`  results/s end to end: ${fmt(windowReceived / SECONDS, 0)} received by a stream consumer, of ${fmt(e2e.checksPerSec, 0)} checks/s made`);
  console.log(`  check end → consumer: p50 ${fmt(percentile(delays, 50))} ms, p99 ${fmt(percentile(delays, 99))} ms (goal p99 < 250 ms; the console redraws within 200 ms more)`);
  console.log(`  CPU per agent per 1,000 checks/s: with cluster ${fmt(clusterCpu)}% of a core, without ${fmt(baseCpu)}% → ${fmt(clusterCpu / baseCpu, 2)}× (goal ≤ 1.2×)`);
  // The aggregator also reads every location's results: the busiest agent of each round is it.
  const busiest = med(clusterRounds.map((x) => Math.max(...x.cpuPer1k)));
  console.log(`  the busiest agent of each round (the aggregator): ${fmt(busiest)}% → ${fmt(busiest / baseCpu, 2)}×`);
  console.log(`  stream: ${info.state.messages} results, ${fmt(info.state.bytes / 1_048_576, 1)} MB → ${fmt(info.state.bytes / Math.max(1, info.state.messages), 0)} bytes per result (payload + subject + headers + JetStream's own)`);
} finally {
  await nc.close();
  listeners.stop();
  nats.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
}
