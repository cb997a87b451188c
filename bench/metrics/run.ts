/**
 * bench/metrics: how long a /metrics scrape takes and how big it is, for fleets of 1,000 and 5,000
 * targets from a fake source of realistic views (no network). Goal from issue 10: 5,000 targets
 * under 100 ms and under 5 MB. Prints the median of several scrapes, the bytes (and gzipped, as
 * Prometheus asks for it), for the handshake histogram labelled by target only (the default) and by
 * all four labels.
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

console.log('targets  histogram-per     wall-median-ms  cpu-median-ms  bytes       MB     gzip-KB  lines');
for (const n of SIZES) {
  for (const handshakeHistogram of ['target', 'location'] as const) {
    const source = new FakeSource(n);
    const m = createMetrics({ source, alerts, history, handshakeHistogram });
    source.feed(10);
    const times: number[] = [];
    const cpu: number[] = [];
    let text = '';
    await m.render(); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      text = await m.render();
      const c = process.cpuUsage(c0);
      times.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    const bytes = Buffer.byteLength(text);
    const gz = gzipSync(text, { level: 1 }).length;
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    console.log(
      `${String(n).padEnd(9)}${handshakeHistogram.padEnd(18)}${fmt(percentile(times, 50)).padEnd(16)}${fmt(percentile(cpu, 50)).padEnd(15)}${String(bytes).padEnd(12)}${fmt(bytes / 1e6, 2).padEnd(7)}${fmt(gz / 1024, 0).padEnd(9)}${lines}`,
    );
    m.close();
  }
}
