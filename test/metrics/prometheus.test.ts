import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { writeMetrics } from '../../src/metrics/http.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const skip = which('prometheus') ? false : 'prometheus missing (Debian package prometheus)';

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe('a real prometheus server scrapes the metrics', { skip }, () => {
  let svc: Listener;
  let engine: Engine;
  let metrics: Metrics;
  let server: Server;
  let prom: ChildProcess | undefined;
  let dir: string;
  let promPort: number;
  let promLog = '';
  let scrapes = 0;
  const gzipScrapes: boolean[] = [];

  before(async () => {
    svc = await listen();
    const closed = await freePort();
    const target = (name: string, port: number) => resolveTarget({ name, host: '127.0.0.1', port, interval: 200, timeout: 1000, retries: 0, retryDelay: 50 }, BUILTIN_DEFAULTS);
    engine = new Engine({ targets: [target('svc', svc.port), target('refused', closed), target('odd "name"\\ \n', closed)], startSpreadMs: 0 });
    metrics = createMetrics({ source: engine, location: 'ci' });
    engine.start();

    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      scrapes++;
      gzipScrapes.push(/gzip/.test(String(req.headers['accept-encoding'])));
      void writeMetrics(metrics, req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const metricsPort = (server.address() as { port: number }).port;

    dir = mkdtempSync(join(tmpdir(), 'porthole-prometheus-'));
    promPort = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: porthole', '    static_configs:', `      - targets: ['127.0.0.1:${metricsPort}']`, ''].join('\n'),
    );
    prom = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout?.on('data', (d: Buffer) => (promLog += d.toString()));
    prom.stderr?.on('data', (d: Buffer) => (promLog += d.toString()));
  });

  after(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((resolve) => prom!.once('exit', resolve));
      prom.kill('SIGTERM');
      const timer = setTimeout(() => prom!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    metrics.close();
    await engine.stop();
    await new Promise((resolve) => server.close(resolve));
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string): Promise<QueryResult[]> => {
    const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
    if (!r?.ok) return [];
    const body = (await r.json()) as { status: string; data?: { result?: QueryResult[] } };
    return body.status === 'success' ? (body.data?.result ?? []) : [];
  };

  it('up == 1, probe_success per target, the state enum and counters queried from its HTTP API', async () => {
    await waitFor(`up == 1 (prometheus log: ${promLog.slice(-500)})`, async () => (await query('up{job="porthole"}'))[0]?.value[1] === '1', 30_000, 250);
    const success = await waitFor('probe_success for svc and refused', async () => {
      const r = await query('probe_success');
      return r.some((x) => x.metric.target === 'svc') && r.some((x) => x.metric.target === 'refused') && r;
    }, 30_000, 250);
    assert.equal(success.find((x) => x.metric.target === 'svc')!.value[1], '1');
    assert.equal(success.find((x) => x.metric.target === 'refused')!.value[1], '0');
    const svcLabels = success.find((x) => x.metric.target === 'svc')!.metric;
    assert.equal(svcLabels.host, '127.0.0.1');
    assert.equal(svcLabels.port, String(svc.port));
    assert.equal(svcLabels.location, 'ci');
    assert.ok(success.some((x) => x.metric.target === 'odd "name"\\ \\n'), 'the escaped name arrives as sanitized');

    const down = await waitFor('state DOWN of refused', async () => {
      const r = await query('porthole_target_state{target="refused",state="DOWN"} == 1');
      return r.length === 1 && r;
    }, 30_000, 250);
    assert.equal(down[0]!.metric.job, 'porthole');
    const checks = await query('sum by (outcome) (porthole_checks_total{target="refused"})');
    assert.equal(checks.find((x) => x.metric.outcome === 'refused')?.metric.outcome, 'refused');
    const scrapeErrors = await query('scrape_samples_scraped{job="porthole"}');
    assert.ok(Number(scrapeErrors[0]?.value[1]) > 10, 'samples were ingested');
    assert.ok(scrapes >= 1);
    assert.ok(gzipScrapes.every(Boolean), 'prometheus asks for gzip, and got it');
  });
});
