import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { HistoryQueries, HistoryRecorder } from '../../src/history/index.js';
import { openStore } from '../../src/store/index.js';
import { runReport } from '../../src/cli/report-cmd.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { Capture, loopbackTarget, tempDir } from './helpers/fixtures.js';

describe('history across a restart (real engine, loopback listeners)', () => {
  const tmp = tempDir();
  let steady: Listener;
  let flaky: Listener;
  let flakyPort: number;

  before(async () => {
    steady = await listen();
    flaky = await listen();
    flakyPort = flaky.port;
  });
  after(async () => {
    await steady.close();
    await flaky.close();
    tmp.remove();
  });

  it('records samples and an outage, and a reopened history reports them', async () => {
    const opened = openStore({ dataDir: tmp.dir });
    assert.ok(opened.ok, opened.ok ? '' : opened.problem.message);
    const recorder = new HistoryRecorder(opened.history, { flushIntervalMs: 50 });
    const engine = new Engine({ targets: [loopbackTarget('steady', steady.port), loopbackTarget('flaky', flakyPort, { name: 'Flaky DB' })], startSpreadMs: 0 });
    const incidents: string[] = [];
    engine.subscribe((e) => {
      if (e.type === 'incident') incidents.push(`${e.phase}:${e.incident.targetId}`);
    });
    recorder.attach(engine);
    engine.start();
    try {
      await waitFor('flaky UP', () => engine.get('flaky')?.monitor.state === 'UP');
      await flaky.close();
      await waitFor('outage opened', () => incidents.includes('opened:flaky'));
      await new Promise((r) => setTimeout(r, 600));
      flaky = await listen('127.0.0.1', flakyPort);
      await waitFor('outage closed', () => incidents.includes('closed:flaky'));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await engine.stop();
    }
    const stats = recorder.close();
    assert.equal(stats.droppedSamples, 0);
    assert.equal(stats.failedFlushes, 0);
    assert.ok(stats.written > 10, `wrote ${stats.written}`);
    opened.history.close();

    // "Restart": a new process would open the same file.
    const again = openStore({ dataDir: tmp.dir });
    assert.ok(again.ok);
    const q = new HistoryQueries(again.history.db);
    const recent = q.recentIncidents({ limit: 10 });
    const outage = recent.find((i) => i.targetId === 'flaky' && i.to === 'DOWN');
    assert.ok(outage, `no outage among ${JSON.stringify(recent)}`);
    assert.equal(outage.cause, 'refused');
    assert.equal(outage.targetName, 'Flaky DB');
    assert.equal(outage.endedBy, 'recovered');
    assert.ok(outage.durationMs !== null && outage.durationMs >= 500, `duration ${outage.durationMs}`);
    assert.deepEqual(q.openIncidents(), []);

    const sparkline = q.recentConnectTimes(50).get('steady');
    assert.ok(sparkline && sparkline.length > 5 && sparkline.every((v) => v !== null && v >= 0));
    const flakySamples = q.recentSamples('flaky', { limit: 500 });
    assert.ok(flakySamples.some((s) => s.outcome === 'refused' && s.state === 'DOWN'));

    const now = Date.now();
    const figures = q.figures(now - 3_600_000, now);
    const flakyF = figures.find((f) => f.targetId === 'flaky')!;
    const steadyF = figures.find((f) => f.targetId === 'steady')!;
    assert.equal(flakyF.incidents, 1);
    assert.ok(flakyF.downMs > 0 && flakyF.uptime !== null && flakyF.uptime < 1, JSON.stringify(flakyF));
    assert.equal(steadyF.uptime, 1);
    assert.equal(steadyF.downMs, 0);
    assert.ok(steadyF.p50Ms !== null && steadyF.p95Ms !== null && steadyF.p95Ms >= steadyF.p50Ms);
    // Time-weighted: the down time is close to the incident's duration, not one sample's worth.
    assert.ok(Math.abs(flakyF.downMs - outage.durationMs!) < 500, `down ${flakyF.downMs}ms vs incident ${outage.durationMs}ms`);
    again.history.close();

    const out = new Capture();
    const err = new Capture();
    const code = runReport(['--since', '24h', '--json', '--data-dir', tmp.dir], { out: out as unknown as NodeJS.WritableStream, err: err as unknown as NodeJS.WritableStream });
    assert.equal(code, 0, err.text);
    const report = JSON.parse(out.text) as { targets: { targetId: string; incidents: number; uptime: number }[] };
    assert.equal(report.targets.find((t) => t.targetId === 'flaky')?.incidents, 1);
    assert.equal(report.targets.find((t) => t.targetId === 'steady')?.uptime, 1);

    const text = new Capture();
    assert.equal(runReport(['--data-dir', tmp.dir], { out: text as unknown as NodeJS.WritableStream, err: err as unknown as NodeJS.WritableStream }), 0);
    assert.match(text.text, /Flaky DB\s+\d+\.\d{3}%\s+1\s/);
  });
});
