import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_DEFAULTS, resolveTarget, type Target } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { createMetrics, HANDSHAKE_BUCKETS, type Metrics } from '../../src/metrics/index.js';
import { sanitize } from '../../src/text/sanitize.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { find, parseSamples, promtoolCheck, value, type Sample } from './exposition.js';

const t = (name: string, port: number, extra: Record<string, unknown> = {}): Target =>
  resolveTarget({ name, host: '127.0.0.1', port, interval: 200, timeout: 1000, retries: 1, retryDelay: 50, ...extra }, BUILTIN_DEFAULTS);

const noPromtool = which('promtool') ? false : 'promtool missing (Debian package prometheus)';

describe('metrics of a real engine checking loopback listeners', () => {
  let svc: Listener;
  let closed: number;
  let engine: Engine;
  let metrics: Metrics;
  const scrape = async (): Promise<Sample[]> => parseSamples(await metrics.render());

  before(async () => {
    svc = await listen();
    closed = await freePort();
    engine = new Engine({ targets: [t('svc', svc.port), t('refused', closed, { retries: 0 }), t('doomed', closed, { retries: 0 })], startSpreadMs: 0 });
    metrics = createMetrics({ source: engine, location: 'lab-1', handshakeHistogram: 'target' });
    engine.start();
  });
  after(async () => {
    metrics.close();
    await engine.stop();
    await svc.close();
  });

  it('an open port: probe_success 1, state UP, labels target/host/port/location, a handshake in the histogram', async () => {
    const s = await waitFor('svc UP in /metrics', async () => {
      const s = await scrape();
      return value(s, 'porthole_target_state', { target: 'svc', state: 'UP' }) === 1 && value(s, 'probe_success', { target: 'svc' }) === 1 && s;
    });
    assert.deepEqual(find(s, 'probe_success', { target: 'svc' })[0]!.labels, { target: 'svc', host: '127.0.0.1', port: String(svc.port), location: 'lab-1' });
    assert.equal(value(s, 'probe_ip_protocol', { target: 'svc' }), 4);
    assert.equal(value(s, 'probe_dns_lookup_time_seconds', { target: 'svc' }), 0, 'an IP address needs no lookup');
    const duration = value(s, 'probe_duration_seconds', { target: 'svc' })!;
    assert.ok(duration > 0 && duration < 1, `duration ${duration}s`);
    assert.deepEqual(
      find(s, 'porthole_target_state', { target: 'svc' }).map((x) => [x.labels.state, x.value]),
      [['UP', 1]],
      'one series: the current state, value 1',
    );
    assert.equal(value(s, 'porthole_retries_total', { target: 'svc' }), undefined, 'no retry yet: no retries series (absent counts as 0)');
    const last = value(s, 'porthole_last_check_timestamp_seconds', { target: 'svc' })!;
    assert.ok(Math.abs(last - Date.now() / 1000) < 10, `last check ${last}`);
    assert.ok(value(s, 'porthole_checks_total', { target: 'svc', outcome: 'open' })! >= 1);
    const count = value(s, 'porthole_handshake_seconds_count', { target: 'svc' })!;
    assert.ok(count >= 1);
    assert.equal(value(s, 'porthole_handshake_seconds_bucket', { target: 'svc', le: '+Inf' }), count);
    assert.equal(find(s, 'porthole_handshake_seconds_bucket', { target: 'svc' }).length, HANDSHAKE_BUCKETS.length + 1);
    assert.equal(find(s, 'probe_ssl_earliest_cert_expiry').length, 0, 'no TLS target, no certificate series');
    assert.equal(typeof value(s, 'porthole_checks_in_flight', { location: 'lab-1' }), 'number');
    assert.ok(value(s, 'porthole_check_delay_p99_seconds')! >= 0);
    assert.equal(value(s, 'process_resident_memory_bytes'), undefined, 'process metrics only when asked for');
  });

  it('a refused port: probe_success 0, state DOWN, checks_total by outcome and one incident by cause', async () => {
    const s = await waitFor('refused DOWN', async () => {
      const s = await scrape();
      return value(s, 'porthole_target_state', { target: 'refused', state: 'DOWN' }) === 1 && s;
    });
    assert.equal(value(s, 'probe_success', { target: 'refused' }), 0);
    assert.ok(value(s, 'porthole_checks_total', { target: 'refused', outcome: 'refused' })! >= 1);
    assert.equal(value(s, 'porthole_incidents_total', { target: 'refused', cause: 'refused' }), 1);
    assert.equal(value(s, 'porthole_handshake_seconds_count', { target: 'refused' }), undefined, 'no handshake, no histogram');
  });

  it('the listener closes: svc goes RETRYING then DOWN, probe_success 0, retries and the incident counted', async () => {
    const before = await scrape();
    const checksBefore = value(before, 'porthole_checks_total', { target: 'svc', outcome: 'open' })!;
    await svc.close();
    const s = await waitFor('svc DOWN', async () => {
      const s = await scrape();
      return value(s, 'porthole_target_state', { target: 'svc', state: 'DOWN' }) === 1 && s;
    });
    assert.equal(value(s, 'porthole_target_state', { target: 'svc', state: 'UP' }), undefined, 'the previous state has no series');
    assert.equal(find(s, 'porthole_target_state', { target: 'svc' }).length, 1, 'one state series per target');
    assert.equal(value(s, 'probe_success', { target: 'svc' }), 0);
    assert.ok(value(s, 'porthole_checks_total', { target: 'svc', outcome: 'refused' })! >= 2, 'retries 1: two refused checks confirm it');
    assert.ok(value(s, 'porthole_checks_total', { target: 'svc', outcome: 'open' })! >= checksBefore, 'a counter never goes down');
    assert.ok(value(s, 'porthole_retries_total', { target: 'svc' })! >= 1);
    assert.equal(value(s, 'porthole_incidents_total', { target: 'svc', cause: 'refused' }), 1);
  });

  it("a removed target's series go, all of them; an added one appears", async () => {
    await waitFor('doomed checked', async () => value(await scrape(), 'porthole_checks_total', { target: 'doomed', outcome: 'refused' }));
    assert.ok(engine.remove('doomed'));
    engine.add(t('newcomer', closed, { retries: 0 }));
    const text = await metrics.render();
    assert.doesNotMatch(text, /target="doomed"/);
    assert.match(text, /porthole_target_state\{state="UNKNOWN",target="newcomer"/);
    await waitFor('newcomer checked', async () => value(await scrape(), 'probe_success', { target: 'newcomer' }) === 0);
  });

  it("registry.metrics() (prom-client's own formatting) says exactly what render() says", async () => {
    await engine.stop(); // nothing may change between the two
    const lines = (text: string) => text.split('\n').filter((l) => l !== '');
    const fast = lines(await metrics.render());
    const slow = lines(await metrics.registry.metrics());
    assert.ok(fast.length > 50);
    assert.deepEqual(fast, slow);
    const json = await metrics.registry.getMetricsAsJSON();
    const success = json.find((m) => m.name === 'probe_success');
    assert.ok(success && success.values.some((v) => v.labels.target === 'svc' && v.labels.port === String(svc.port)));
  });

  it('promtool check metrics passes on a scrape', { skip: noPromtool }, async () => {
    const r = promtoolCheck(await metrics.render());
    assert.equal(r.output, '');
    assert.equal(r.status, 0);
  });
});

describe('label values from a config', () => {
  it('quotes, backslashes, newlines and escape sequences in names are escaped, and promtool accepts them', async () => {
    const closed = await freePort();
    const nasty = 'we"ird\\name\nnext line \x1b[31mred\x1b[0m \u202eevil';
    const engine = new Engine({ targets: [t(nasty, closed, { retries: 0 })], startSpreadMs: 0 });
    const metrics = createMetrics({ source: engine, location: 'rack "7"\\b' });
    engine.start();
    try {
      const text = await waitFor('checked', async () => {
        const text = await metrics.render();
        return /^probe_success\{/m.test(text) && text;
      });
      assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f\u202e]/, 'no control character reaches the exposition');
      const s = parseSamples(text);
      const labels = find(s, 'probe_success')[0]!.labels;
      assert.equal(labels.target, sanitize(nasty, 256));
      assert.equal(labels.location, 'rack "7"\\b');
      if (!noPromtool) assert.deepEqual(promtoolCheck(text), { status: 0, output: '' });
      await engine.stop();
      const lines = (x: string) => x.split('\n').filter((l) => l !== '');
      assert.deepEqual(lines(await metrics.render()), lines(await metrics.registry.metrics()), "escaped as prom-client's own formatter escapes");
    } finally {
      metrics.close();
      await engine.stop();
    }
  });
});

describe('one handshake histogram for the whole agent', () => {
  it("handshakeHistogram 'location': a single series set labelled by location, counting every target's handshakes", async () => {
    const a = await listen();
    const b = await listen();
    const engine = new Engine({ targets: [t('a', a.port), t('b', b.port)], startSpreadMs: 0 });
    const metrics = createMetrics({ source: engine, location: 'edge', handshakeHistogram: 'location' });
    engine.start();
    try {
      const s = await waitFor('both checked', async () => {
        const s = parseSamples(await metrics.render());
        return value(s, 'probe_success', { target: 'a' }) === 1 && value(s, 'probe_success', { target: 'b' }) === 1 && s;
      });
      const counts = find(s, 'porthole_handshake_seconds_count');
      assert.equal(counts.length, 1);
      assert.deepEqual(counts[0]!.labels, { location: 'edge' });
      assert.ok(counts[0]!.value >= 2);
      assert.equal(find(s, 'porthole_handshake_seconds_bucket').length, HANDSHAKE_BUCKETS.length + 1);
    } finally {
      metrics.close();
      await engine.stop();
      await a.close();
      await b.close();
    }
  });
});
