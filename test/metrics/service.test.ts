import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics, type OutboxCounts } from '../../src/metrics/index.js';
import { freePort, listen, waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { FAST_TARGET, notifyConfig, runMonitor } from '../notify/helpers/monitor.js';
import { parseSamples, promtoolCheck, value } from './exposition.js';

const SECRETS = { TG_TOKEN: '987654:SECRET-bot-token-zz9', HOOK_KEY: 'SECRET-hook-key-77aa', AUTH: 'SECRET-bearer-31' };

/** Every form a secret could take on the way out: as is, URL-encoded, base64, JSON-escaped. */
function assertNoSecret(text: string): void {
  for (const [name, v] of Object.entries(SECRETS)) {
    for (const form of [v, encodeURIComponent(v), Buffer.from(v).toString('base64'), JSON.stringify(v).slice(1, -1)]) {
      assert.ok(!text.includes(form), `the metrics show ${name}`);
    }
  }
}

describe('alert channels and history in the metrics, with secrets in the same config', () => {
  it('pending and failing channels are counted by name; no secret in any form; promtool accepts it', async () => {
    const hookPort = await freePort();
    const svc = await listen();
    const cfg = notifyConfig(
      {
        defaults: { ...FAST_TARGET, notify: ['team', 'oncall'] },
        alerts: { groupWithin: '100ms' },
        notifiers: {
          team: { type: 'webhook', url: `http://127.0.0.1:${hookPort}/h/\${env:HOOK_KEY}`, headers: { Authorization: 'Bearer ${env:AUTH}' } },
          oncall: { type: 'telegram', token: '${env:TG_TOKEN}', chatId: 1, apiBase: `http://127.0.0.1:${hookPort}` },
        },
        targets: [{ name: 'db', host: '127.0.0.1', port: svc.port }],
      },
      SECRETS,
    );
    const m = runMonitor(cfg);
    // What the agent would wire from the outbox: rows per channel still to send and given up on.
    const outbox = (): OutboxCounts[] =>
      m.history.db!.prepare(`SELECT channel, sum(status = 'pending') AS pending, sum(status = 'failed') AS failed FROM outbox GROUP BY channel`).all() as OutboxCounts[];
    const metrics = createMetrics({ source: m.engine, alerts: () => m.notify.health(), outbox, history: () => m.history.stats() });
    try {
      await waitFor('db UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      let s = parseSamples(await metrics.render());
      assert.equal(value(s, 'porthole_alerts_pending', { channel: 'team', type: 'webhook' }), 0);
      assert.equal(value(s, 'porthole_alert_channel_failing', { channel: 'oncall', type: 'telegram' }), 0);
      assert.equal(typeof value(s, 'porthole_history_queue_depth'), 'number');
      assert.equal(value(s, 'porthole_history_dropped_total', { kind: 'sample' }), 0);
      assert.equal(value(s, 'porthole_history_dropped_total', { kind: 'incident' }), 0);

      await svc.close();
      await waitFor('both channels failing', () => m.notify.health().every((h) => h.status === 'failing'), 15_000);
      const text = await metrics.render();
      s = parseSamples(text);
      assert.equal(value(s, 'porthole_alert_channel_failing', { channel: 'team' }), 1);
      assert.equal(value(s, 'porthole_alert_channel_failing', { channel: 'oncall' }), 1);
      assert.ok(value(s, 'porthole_alerts_pending', { channel: 'team' })! >= 1, 'the DOWN alert waits for the webhook');
      assert.equal(value(s, 'porthole_alerts_failed', { channel: 'team' }), 0, 'not given up yet');
      assert.equal(value(s, 'porthole_alert_last_success_timestamp_seconds', { channel: 'team' }), undefined, 'never delivered');
      assert.equal(value(s, 'porthole_target_state', { target: 'db', state: 'DOWN' }), 1);
      assertNoSecret(text);
      assertNoSecret(await metrics.registry.metrics());
      assertNoSecret(JSON.stringify(await metrics.registry.getMetricsAsJSON()));
      if (which('promtool')) assert.deepEqual(promtoolCheck(text), { status: 0, output: '' });
    } finally {
      metrics.close();
      await m.stop();
    }
  });
});
