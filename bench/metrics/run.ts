/**
 * bench/metrics: how long a /metrics scrape takes and how big it is, for fleets of 1,000 and 5,000
 * targets from a fake source of realistic views (no network). Goal from issue 10: 5,000 targets
 * under 100 ms and under 5 MB. For each fleet and each handshake-histogram choice (per target, or
 * one per location) it prints: render() wall and CPU time (median of --rounds), the same samples
 * formatted by prom-client itself (registry.metrics(), the baseline render() replaces: wall/CPU ms), the bytes,
 * the gzipped bytes and gzip time (what writeMetrics sends Prometheus, which asks for gzip), and
 * the number of samples. CPU time is reported because on a shared machine wall time mostly
 * measures the neighbours.
 *
 *   node --import tsx bench/metrics/run.ts [--sizes 1000,5000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createMetrics } from '../../src/metrics/index.js';
import { fmt, percentile } from '../lib/stats.js';
import { FakeSource } from './fake-source.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,5000' }, rounds: { type: 'string', default: '7' } } });
const SIZES = String(values.sizes).split(',').map(Number);
const ROUNDS = Number(values.rounds);

const alerts = () => [{ name: 'ops-webhook', type: 'webhook' as const, destination: 'https://hooks.example.invalid/…', pending: 2, status: 'ok' as const, lastSuccessAt: Date.now() }];
const history = () => ({ queued: 12, droppedSamples: 0, droppedIncidents: 0 });

async function measure(fn: () => Promise<unknown>, rounds: number): Promise<{ wall: number; cpu: number }> {
  await fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: percentile(wall, 50), cpu: percentile(cpu, 50) };
}

const row = (cells: (string | number)[]) => console.log(cells.map((c, i) => String(c).padEnd([8, 10, 11, 10, 13, 12, 8, 9, 9, 8, 9][i] ?? 10)).join(''));
row(['targets', 'histogram', 'wall-ms', 'cpu-ms', 'prom-client', 'bytes', 'MB', 'gzip-KB', 'gzip-ms', 'samples', 'B/label']);
for (const n of SIZES) {
  for (const handshakeHistogram of ['target', 'location'] as const) {
    const source = new FakeSource(n);
    const m = createMetrics({ source, alerts, history, handshakeHistogram });
    source.feed(10);
    const own = await measure(() => m.render(), ROUNDS);
    const baseline = await measure(() => m.registry.metrics(), Math.min(3, ROUNDS));
    const text = await m.render();
    const bytes = Buffer.byteLength(text);
    const t0 = performance.now();
    const gz = gzipSync(text, { level: 1 }).length;
    const gzMs = performance.now() - t0;
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    const blocks = samples.filter((l) => l.startsWith('probe_success{'));
    const labelBytes = blocks.reduce((sum, l) => sum + l.indexOf('}') - l.indexOf('{') - 1, 0) / Math.max(1, blocks.length);
    row([n, handshakeHistogram, fmt(own.wall), fmt(own.cpu), `${fmt(baseline.wall, 0)}/${fmt(baseline.cpu, 0)}`, bytes, fmt(bytes / 1e6, 2), fmt(gz / 1024, 0), fmt(gzMs), samples.length, fmt(labelBytes, 0)]);
    m.close();
  }
}
console.log(`(load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} CPUs)`);
