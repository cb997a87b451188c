import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { tlsVersionLabel } from '../../src/metrics/blackbox.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { TestPki } from '../layers/tls-certs.js';
import { find, parseSamples, value } from './exposition.js';

const skip = which('openssl') ? false : 'needs the openssl CLI to make test certificates';
const DAY_S = 86_400;

describe('TLS targets: blackbox certificate and version series', { skip }, () => {
  let pki: TestPki;
  let server: Server;
  let engine: Engine;
  let metrics: Metrics;
  let port: number;

  before(async () => {
    pki = new TestPki();
    const cred = pki.leaf('valid', 'localhost', 1, 200);
    server = createServer({ ...cred, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, (sock) => {
      sock.on('error', () => {});
      sock.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    const base = { host: '127.0.0.1', port, interval: 200, timeout: 2000, retries: 0 };
    engine = new Engine({
      targets: [resolveTarget({ name: 'secure', ...base, tls: true, tlsCa: pki.caFile, sni: 'localhost' }, BUILTIN_DEFAULTS), resolveTarget({ name: 'plain', ...base }, BUILTIN_DEFAULTS)],
      startSpreadMs: 0,
    });
    metrics = createMetrics({ source: engine });
    engine.start();
  });
  after(async () => {
    metrics.close();
    await engine.stop();
    await new Promise((resolve) => server.close(resolve));
    pki.dispose();
  });

  it('probe_ssl_earliest_cert_expiry is the leaf notAfter in unix seconds; probe_tls_version_info names the version', async () => {
    const s = await waitFor('secure checked', async () => {
      const s = parseSamples(await metrics.render());
      return value(s, 'probe_success', { target: 'secure' }) === 1 && s;
    }, 15_000);
    const expiry = value(s, 'probe_ssl_earliest_cert_expiry', { target: 'secure' })!;
    const expected = Date.now() / 1000 + 200 * DAY_S;
    assert.ok(Math.abs(expiry - expected) < DAY_S, `expiry ${expiry}, expected about ${expected}`);
    assert.ok(Number.isInteger(expiry));
    assert.deepEqual(find(s, 'probe_tls_version_info', { target: 'secure' }).map((x) => [x.labels.version, x.value]), [['TLS 1.2', 1]]);
    assert.equal(value(s, 'probe_ssl_earliest_cert_expiry', { target: 'plain' }), undefined, 'only TLS targets');
    assert.equal(find(s, 'probe_tls_version_info', { target: 'plain' }).length, 0);
  });

  it("node's protocol names map to blackbox_exporter's", () => {
    assert.equal(tlsVersionLabel('TLSv1.3'), 'TLS 1.3');
    assert.equal(tlsVersionLabel('TLSv1.2'), 'TLS 1.2');
    assert.equal(tlsVersionLabel('TLSv1.1'), 'TLS 1.1');
    assert.equal(tlsVersionLabel('TLSv1'), 'TLS 1.0');
    assert.equal(tlsVersionLabel(null), 'unknown');
  });
});
