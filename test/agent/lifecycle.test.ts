import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { httpReceiver, type HttpReceiver } from '../notify/helpers/receivers.js';
import { distMissing, startAgent, type AgentProcess } from '../helpers/agent.js';

/** A metric's value for a target, from an exposition text; undefined when the series is absent. */
function metric(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('porthole agent as a service: a listener dies and comes back', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-agent-life-'));
  const dataDir = join(dir, 'data');
  const config = join(dir, 'config.json');
  let svc: Listener;
  let hook: HttpReceiver;
  let agent: AgentProcess;
  let url = '';
  const out = () => agent.stdout + agent.stderr;
  const INTERVAL_MS = 1000;
  const RETRIES = 1;
  const RETRY_DELAY_MS = 500;

  before(async () => {
    svc = await listen('127.0.0.1');
    hook = await httpReceiver();
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { interval: `${INTERVAL_MS}ms`, timeout: '1s', retries: RETRIES, retryDelay: `${RETRY_DELAY_MS}ms`, notify: ['team'] },
        targets: [{ name: 'svc', host: '127.0.0.1', port: svc.port }],
        notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
        alerts: { groupWithin: '0s' },
      }),
    );
    // As a service manager runs it: no terminal, stdin closed, output to a pipe.
    agent = await startAgent({ config, dataDir });
    url = agent.url;
  });

  after(async () => {
    await agent?.kill();
    await Promise.allSettled([svc?.close(), hook?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = async () => (await fetch(`${url}/metrics`)).text();

  it('shows probe_success 1 and UP while the listener answers', async () => {
    await waitFor('probe_success 1', async () => metric(await scrape(), 'probe_success', { target: 'svc' }) === 1, 10_000, 100);
    const text = await scrape();
    assert.equal(metric(text, 'porthole_target_state', { target: 'svc', state: 'UP' }), 1);
  });

  it('a dead listener: probe_success 0 and DOWN within interval × (retries + 1) + 1 s, exactly one DOWN alert', async () => {
    const closedAt = Date.now();
    await svc.close();
    const limit = INTERVAL_MS * (RETRIES + 1) + RETRY_DELAY_MS * RETRIES + 1000;
    await waitFor('DOWN in /metrics', async () => {
      const text = await scrape();
      return metric(text, 'probe_success', { target: 'svc' }) === 0 && metric(text, 'porthole_target_state', { target: 'svc', state: 'DOWN' }) === 1;
    }, limit + 2000, 50);
    const took = Date.now() - closedAt;
    assert.ok(took <= limit + 250, `DOWN after ${took}ms, limit ${limit}ms`);
    await waitFor('the DOWN alert', () => hook.received.length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    const kinds = hook.received.map((r) => (r.body as { event?: string }).event);
    assert.deepEqual(kinds, ['down'], `one DOWN alert, got ${JSON.stringify(kinds)}`);
    assert.match(out(), /state target=svc from=RETRYING to=DOWN cause=refused/);
    assert.match(out(), /alert-sent channel=team kind=down/);
  });

  it('the listener comes back: RECOVERED, then SIGTERM exits 0 with nothing left in the outbox', async () => {
    svc = await listen('127.0.0.1', svc.port);
    await waitFor('the RECOVERED alert', () => hook.received.some((r) => (r.body as { event?: string }).event === 'recovery'), 15_000);
    assert.equal(metric(await scrape(), 'probe_success', { target: 'svc' }), 1);
    const stopped = await agent.stop('SIGTERM');
    assert.equal(stopped.code, 0, out());
    assert.ok(stopped.ms < 3000, `stopped in ${stopped.ms}ms`);
    assert.match(out(), /stopped pendingAlerts=0/);
    const db = new Database(join(dataDir, 'history.sqlite'), { readonly: true });
    try {
      assert.equal((db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n, 0);
      assert.equal((db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").get() as { n: number }).n, 2);
    } finally {
      db.close();
    }
    assert.equal(existsSync(join(dataDir, 'agent.json')), false, 'agent.json removed at exit');
    const kinds = hook.received.map((r) => (r.body as { event?: string }).event);
    assert.deepEqual(kinds, ['down', 'recovery']);
  });
});
