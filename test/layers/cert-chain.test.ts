import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { pluginLine } from '../../src/check/plugin-output.js';
import { BUILTIN_DEFAULTS, resolveTarget } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { probeLayered } from '../../src/probe/layered.js';
import type { ProbeOptions, ProbeResult } from '../../src/probe/types.js';
import { layerLines } from '../../src/checks/tcp/detail-lines.js';
import { whyText } from '../../src/ui/model/rows.js';
import { parseSamples, value } from '../metrics/exposition.js';
import { waitFor } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { TestPki } from './tls-certs.js';

const DAY_MS = 86_400_000;
const skip = which('openssl') ? false : 'needs the openssl CLI to make test certificates';

describe('certificate expiry over the chain the server presents', { skip }, () => {
  let pki: TestPki;
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  /** Notional notAfter of the short-lived intermediate, for the metric. */
  let intermediateNotAfter = 0;

  const serveTls = async (label: string, cred: { key: string; cert: string }) => {
    const s = createServer(cred, (sock) => {
      sock.on('error', () => {});
      sock.end();
    });
    servers.push(s);
    ports[label] = await new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
  };

  before(async () => {
    pki = new TestPki(); // the root: 30 days
    // root → intermediate (2 days) → leaf (90 days); the server presents leaf + intermediate.
    const short = pki.intermediate('int-short', 'porthole short intermediate', 1, 2);
    intermediateNotAfter = Date.now() + 2 * DAY_MS;
    const leaf = pki.leaf('leaf-90', 'localhost', 1, 90, false, short);
    await serveTls('short', { key: leaf.key, cert: leaf.cert + short.cert });
    // root → intermediate (365 days) → leaf (5 days): the leaf decides.
    const long = pki.intermediate('int-long', 'porthole long intermediate', 1, 365);
    const leaf5 = pki.leaf('leaf-5', 'localhost', 1, 5, false, long);
    await serveTls('long', { key: leaf5.key, cert: leaf5.cert + long.cert });
    // root → upper intermediate (10 days) → lower intermediate (300 days) → leaf (90 days): the walk goes past the first intermediate.
    const upper = pki.intermediate('int-upper', 'porthole upper intermediate', 1, 10);
    const lower = pki.intermediate('int-lower', 'porthole lower intermediate', 1, 300, upper);
    const leafDeep = pki.leaf('leaf-deep', 'localhost', 1, 90, false, lower);
    await serveTls('deep', { key: leafDeep.key, cert: leafDeep.cert + lower.cert + upper.cert });
    // The intermediate left out by the server: the chain does not verify.
    await serveTls('missing', leaf);
  });
  after(() => {
    for (const s of servers) s.close();
    pki?.dispose();
  });

  const options = (): ProbeOptions => ({ tls: true, sni: 'localhost', tlsCa: pki.caFile });
  const check = (label: string, more: ProbeOptions = {}): Promise<ProbeResult> => probeLayered({ host: '127.0.0.1', port: ports[label]!, timeoutMs: 3000, family: 0 }, { ...options(), ...more });

  it('an intermediate that lapses before the leaf is the earliest, with the leaf date beside it', async () => {
    const r = await check('short');
    assert.equal(r.outcome, 'open', r.detail);
    const tls = r.tls!;
    assert.equal(tls.authorized, true);
    assert.ok(tls.daysToExpiry >= 88 && tls.daysToExpiry <= 90, `leaf ${tls.daysToExpiry}`);
    assert.equal(tls.earliest?.role, 'intermediate');
    assert.equal(tls.earliest?.subject, 'CN=porthole short intermediate');
    assert.ok(tls.earliest.daysToExpiry >= 1 && tls.earliest.daysToExpiry <= 2, `intermediate ${tls.earliest.daysToExpiry}`);
    // Node adds the trusted root it chains to; it is listed but not counted (it is not what the server presents).
    assert.deepEqual(tls.chain?.map((c) => c.role), ['leaf', 'intermediate', 'root']);
    assert.equal(tls.chain?.[2]?.subject, 'CN=porthole test CA');
    assert.equal(r.warning?.cause, 'cert');
    assert.match(r.warning?.evidence ?? '', /^intermediate CN=porthole short intermediate expires in [12]d \(leaf in (88|89|90)d\) \(.+ GMT; warn under 14 days\)$/);
  });

  it('walks every intermediate up to the root: the upper one of two lapses first', async () => {
    const r = await check('deep');
    assert.equal(r.outcome, 'open', r.detail);
    assert.deepEqual(r.tls?.chain?.map((c) => `${c.role} ${c.subject}`), ['leaf CN=localhost', 'intermediate CN=porthole lower intermediate', 'intermediate CN=porthole upper intermediate', 'root CN=porthole test CA']);
    assert.equal(r.tls?.earliest?.subject, 'CN=porthole upper intermediate');
    assert.ok(r.tls!.earliest!.daysToExpiry >= 9 && r.tls!.earliest!.daysToExpiry <= 10);
    assert.match(r.warning?.evidence ?? '', /^intermediate CN=porthole upper intermediate expires in (9|10)d \(leaf in (88|89|90)d\)/);
  });

  it('when the leaf lapses first it speaks, as before', async () => {
    const r = await check('long');
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.tls?.earliest?.role, 'leaf');
    assert.deepEqual(r.tls?.chain?.map((c) => c.role), ['leaf', 'intermediate', 'root']);
    assert.match(r.warning?.evidence ?? '', /^certificate CN=localhost expires in [45]d \(/);
    assert.equal((await check('long', { certWarnDays: 3 })).warning, undefined);
  });

  it('a chain the server sends incomplete does not verify (cause tls); accepted on purpose it still reports the leaf', async () => {
    const r = await check('missing');
    assert.equal(r.outcome, 'tls');
    assert.match(r.detail ?? '', /certificate not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);
    const loose = await check('missing', { tlsVerify: false });
    assert.equal(loose.outcome, 'open', loose.detail);
    assert.equal(loose.tls?.earliest?.role, 'leaf');
    assert.equal(loose.warning, undefined);
  });

  describe('through the engine: /metrics, the WHY column, the detail pane and the plugin line', () => {
    let engine: Engine;
    let metrics: Metrics;
    before(() => {
      const base = { host: '127.0.0.1', interval: 200, timeout: 2000, retries: 0, tls: true, tlsCa: pki.caFile, sni: 'localhost' };
      engine = new Engine({ targets: [resolveTarget({ name: 'short', port: ports.short!, ...base }, BUILTIN_DEFAULTS), resolveTarget({ name: 'long', port: ports.long!, ...base }, BUILTIN_DEFAULTS)], startSpreadMs: 0 });
      metrics = createMetrics({ source: engine });
      engine.start();
    });
    after(async () => {
      metrics.close();
      await engine.stop();
    });

    it('probe_ssl_earliest_cert_expiry is the intermediate notAfter, like blackbox_exporter', async () => {
      const s = await waitFor('both checked', async () => {
        const s = parseSamples(await metrics.render());
        return value(s, 'probe_success', { target: 'short' }) === 1 && value(s, 'probe_success', { target: 'long' }) === 1 && s;
      }, 15_000);
      const short = value(s, 'probe_ssl_earliest_cert_expiry', { target: 'short' })!;
      assert.ok(Math.abs(short * 1000 - intermediateNotAfter) < 120_000, `short ${short}, expected about ${intermediateNotAfter / 1000}`);
      const long = value(s, 'probe_ssl_earliest_cert_expiry', { target: 'long' })!;
      assert.ok(Math.abs(long * 1000 - (Date.now() + 5 * DAY_MS)) < 120_000, `long ${long}`);
    });

    it('the console and check name the intermediate', async () => {
      const v = await waitFor('short SLOW with cause cert', () => {
        const v = engine.get(engine.snapshot().find((x) => x.target.name === 'short')!.target.id);
        return v?.monitor.cause === 'cert' && v;
      }, 15_000);
      assert.match(whyText(v, 60), /^intermediate expires in [12]d$/);
      const tlsLine = layerLines(v.lastResult!).find((l) => l.startsWith('tls:'))!;
      assert.match(tlsLine, /expires in (88|89|90) days · intermediate CN=porthole short intermediate expires in [12]d$/);
      const plugin = pluginLine(v, {});
      assert.equal(plugin.status, 'WARNING');
      assert.match(plugin.line, /^TCP WARNING - intermediate CN=porthole short intermediate expires in [12]d \(leaf in (88|89|90)d\) /);
    });
  });
});
