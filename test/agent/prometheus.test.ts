import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { distMissing, startAgent, type AgentProcess } from '../helpers/agent.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const skip = distMissing || (which('prometheus') ? false : 'prometheus missing (Debian package prometheus)');

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe('a real prometheus server scrapes the agent', { skip }, () => {
  let svc: Listener;
  let agent: AgentProcess;
  let prom: ChildProcess | undefined;
  let dir: string;
  let promPort: number;
  let promLog = '';

  before(async () => {
    svc = await listen();
    const closed = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'porthole-prometheus-'));
    const config = join(dir, 'porthole.json');
    const target = (name: string, port: number) => ({ name, host: '127.0.0.1', port });
    writeFileSync(config, JSON.stringify({ defaults: { interval: '500ms', timeout: '1s', retries: 0 }, targets: [target('svc', svc.port), target('refused', closed), target('odd "name"\\ \n', closed)] }));
    agent = await startAgent({ config, dataDir: join(dir, 'agent') });
    const metricsPort = Number(new URL(agent.url).port);

    promPort = await freePort();
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(
      promConfig,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: porthole', '    static_configs:', `      - targets: ['127.0.0.1:${metricsPort}']`, ''].join('\n'),
    );
    prom = spawn('prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    await agent?.kill();
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
    assert.equal(svcLabels.location, 'local');
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
    const gz = await fetch(`${agent.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip', 'gzip, as prometheus asks for');
  });

  it('promtool check metrics passes on a scrape of the agent', { skip: which('promtool') ? false : 'promtool missing (Debian package prometheus)' }, async () => {
    const text = await (await fetch(`${agent.url}/metrics`)).text();
    assert.match(text, /probe_success\{/);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
    assert.ok(!text.includes(agent.token), 'the token is not in /metrics');
  });
});
