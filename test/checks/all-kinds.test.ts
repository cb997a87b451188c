import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { TestPki } from '../layers/tls-certs.js';
import { DNSMASQ, startDnsmasq } from '../helpers/dnsmasq.js';
import { freePort } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const DAY = 86_400_000;
const missing = [which('fping') ? '' : 'fping', DNSMASQ ? '' : 'dnsmasq', which('openssl') ? '' : 'openssl'].filter(Boolean);

interface CheckJson {
  status: string;
  results: { name: string; kind: string; status: string; state: string }[];
  diagnosis: { host: string; verdict: string; text: string }[];
}

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

/** The "done when": one host's ping, its TCP port, an HTTPS API check with a JSON condition, its DNS and its domain. */
describe('every kind for one host, through check', { skip: missing.length ? `needs ${missing.join(', ')}` : false }, () => {
  let pki: TestPki;
  let api: Server;
  let rdap: Server;
  let dnsmasq: ChildProcess | undefined;
  let dir: string;
  let config: string;
  let health = 'ok';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-all-'));
    pki = new TestPki();
    api = createHttpsServer(pki.leaf('api', 'localhost', 1, 200), (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: health, queue: { depth: 12 }, items: [1, 2] }));
    });
    rdap = createHttpServer((req, res) => {
      const found = req.url === '/rdap/domain/example.test';
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/rdap+json' });
      res.end(found ? JSON.stringify({ objectClassName: 'domain', ldhName: 'example.test', events: [{ eventAction: 'expiration', eventDate: new Date(Date.now() + 90 * DAY).toISOString() }], entities: [], nameservers: [{ objectClassName: 'nameserver', ldhName: 'ns1.example.test' }] }) : '{}');
    });
    const apiPort = await listen(api);
    const rdapPort = await listen(rdap);
    const dnsPort = await freePort();
    dnsmasq = await startDnsmasq(dnsPort, dir, ['--address=/www.example.test/127.0.0.1']);
    config = join(dir, 'host.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { retries: 0, timeout: '3s' },
        targets: [
          { name: 'ping', kind: 'ping', host: '127.0.0.1', ping: { count: 3, period: '20ms' } },
          { name: 'https port', host: '127.0.0.1', port: apiPort },
          { name: 'api', kind: 'http', host: '127.0.0.1', http: { url: `https://127.0.0.1:${apiPort}/health`, sni: 'localhost', tlsCa: pki.caFile, expectJson: ['$.status == "ok"', '$.queue.depth < 1000', '$.items.length > 0'] } },
          { name: 'dns', kind: 'dns', host: '127.0.0.1', port: dnsPort, dns: { query: 'www.example.test', expect: ['127.0.0.1'] } },
          { name: 'domain', kind: 'domain', host: 'example.test', domain: { rdapServer: `http://127.0.0.1:${rdapPort}/rdap/` } },
        ],
      }),
    );
  });
  after(() => {
    dnsmasq?.kill();
    api?.close();
    rdap?.close();
    pki?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  // Not spawnSync: the servers answering live in this process.
  const check = async (): Promise<{ code: number; json: CheckJson }> => {
    const r = await promisify(execFile)(process.execPath, [CLI, 'check', '--json', '--config', config], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PORTHOLE_CACHE_DIR: dir } }).then(
      (x) => ({ code: 0, stdout: x.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    return { code: r.code, json: JSON.parse(r.stdout) as CheckJson };
  };

  it('all five kinds OK: exit 0, no verdict', async () => {
    const { code, json } = await check();
    assert.deepEqual(json.results.map((r) => [r.name, r.kind, r.status]), [
      ['ping', 'ping', 'OK'],
      ['https port', 'tcp', 'OK'],
      ['api', 'http', 'OK'],
      ['dns', 'dns', 'OK'],
      ['domain', 'domain', 'OK'],
    ]);
    assert.equal(code, 0);
    assert.deepEqual(json.diagnosis, []);
  });

  it('the API answers "degraded": application error for the host, everything else still OK', async () => {
    health = 'degraded';
    try {
      const { code, json } = await check();
      assert.equal(code, 2);
      assert.deepEqual(json.results.filter((r) => r.status !== 'OK').map((r) => r.name), ['api']);
      assert.equal(json.diagnosis.length, 1);
      assert.equal(json.diagnosis[0]!.verdict, 'application-error');
      assert.match(json.diagnosis[0]!.text, /^application error: .*\$\.status is "degraded"/);
    } finally {
      health = 'ok';
    }
  });

  it('the DNS server killed: DNS CRITICAL, service down (host up)', async () => {
    dnsmasq!.kill();
    await new Promise((r) => dnsmasq!.once('exit', r));
    dnsmasq = undefined;
    const { json } = await check();
    assert.deepEqual(json.results.filter((r) => r.status !== 'OK').map((r) => [r.name, r.status]), [['dns', 'CRITICAL']]);
    assert.equal(json.diagnosis[0]?.text, 'service down: dns refused (host up)');
  });
});
