import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { describeEndpoint } from '../../src/checks/registry.js';
import { configForDisplay, targetToConfig } from '../../src/config/display.js';
import { loadConfigFile, validateTarget } from '../../src/config/load.js';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const DAY = 86_400_000;
const problems = (raw: Record<string, unknown>) => validateTarget(raw, BUILTIN_DEFAULTS).problems.map((p) => `${p.path}: ${p.message}`).join('\n');

describe('http and domain kinds in the config', () => {
  it('an http target takes its host from its URL; "http" stays the tcp layer on a tcp target', () => {
    const api = validateTarget({ kind: 'http', http: { url: 'https://api.example.test:8443/health?key=abc', expectJson: ['$.status == "ok"'] } }, BUILTIN_DEFAULTS).target!;
    assert.equal(api.kind, 'http');
    assert.equal(api.host, 'api.example.test');
    assert.equal(api.port, 0);
    assert.equal(describeEndpoint(api), 'GET https://api.example.test:8443/health?…', 'the query (it may hold a key) is never shown');
    const layer = validateTarget({ host: 'web1', port: 80, http: { path: '/health' } }, BUILTIN_DEFAULTS).target!;
    assert.equal(layer.kind, 'tcp');
    assert.deepEqual(layer.probe?.http, { path: '/health' });
    assert.match(problems({ kind: 'http', http: { path: '/health' } }), /http: .*url|http\.url/);
    assert.match(problems({ host: 'web1', port: 80, http: { url: 'http://x.test/' } }), /http: .*url|path/);
    assert.match(problems({ kind: 'http' }), /kind: "kind": "http" needs a "http" block/);
    assert.match(problems({ kind: 'http', http: { url: 'http://x.test/', methd: 'GET' } }), /methd/);
  });

  it('a domain target: host is the domain, twice a day by default, no port', () => {
    const d = validateTarget({ kind: 'domain', host: 'example.test', domain: { rdapServer: 'https://rdap.test/' } }, BUILTIN_DEFAULTS).target!;
    assert.equal(d.intervalMs, 12 * 3_600_000);
    assert.equal(describeEndpoint(d), 'domain example.test');
    assert.match(problems({ kind: 'domain', host: '10.0.0.1', domain: { rdapServer: 'https://rdap.test/' } }), /host: expected a registered domain name/);
    assert.match(problems({ kind: 'domain', host: 'example.test', port: 43, domain: { rdapServer: 'https://rdap.test/' } }), /port: a domain target has no port/);
    assert.match(problems({ kind: 'domain', host: 'example.test' }), /"kind": "domain" needs a "domain" block/);
  });

  it('config show hides a literal header value; the persisted form keeps ${env:} as written', () => {
    const t = validateTarget({ kind: 'http', http: { url: 'http://127.0.0.1:1/x', headers: { Authorization: 'Bearer s3cr3t-literal', 'X-Key': '${env:API_KEY}' } } }, BUILTIN_DEFAULTS, ).target!;
    const shown = JSON.stringify(configForDisplay(BUILTIN_DEFAULTS, [t]));
    assert.doesNotMatch(shown, /s3cr3t-literal/);
    assert.match(shown, /\$\{env:API_KEY\}/);
    // Loaded from a file, a header's ${env:} stays as written in the target (the console saves it, the agent API serves it).
    const file = join(mkdtempSync(join(tmpdir(), 'porthole-env-')), 'c.json');
    writeFileSync(file, JSON.stringify({ targets: [{ kind: 'http', http: { url: 'http://127.0.0.1:1/x', headers: { 'X-Key': '${env:API_KEY}' } } }] }));
    const loaded = loadConfigFile(file, { API_KEY: 'the-secret-value' }).targets[0]!;
    assert.equal(loaded.http?.headers?.['X-Key'], '${env:API_KEY}');
    assert.doesNotMatch(JSON.stringify(loaded), /the-secret-value/);
    rmSync(dirname(file), { recursive: true, force: true });
    const kept = targetToConfig(t, BUILTIN_DEFAULTS);
    assert.deepEqual(validateTarget(kept, BUILTIN_DEFAULTS).target, t);
  });
});

describe('http and domain kinds through `check`, and the application-error verdict', () => {
  let server: Server;
  let base: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-api-'));
    server = createServer((req, res) => {
      if (req.url === '/auth') {
        res.writeHead(req.headers['x-token'] === 'tok-from-env' ? 200 : 401);
        res.end();
      } else if (req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'degraded', queue: { depth: 3 } }));
      } else if (req.url === '/rdap/domain/example.test') {
        res.writeHead(200, { 'content-type': 'application/rdap+json' });
        res.end(JSON.stringify({ objectClassName: 'domain', ldhName: 'EXAMPLE.TEST', events: [{ eventAction: 'expiration', eventDate: new Date(Date.now() + 200 * DAY).toISOString() }], entities: [], nameservers: [] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('HTTP CRITICAL on a failed JSON condition, DOMAIN OK with days left, and one verdict for the host', async () => {
    const file = join(dir, 'c.json');
    const port = Number(new URL(base).port);
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { name: 'api', kind: 'http', http: { url: `${base}/health`, expectJson: ['$.status == "ok"'] } },
          { name: 'api port', host: '127.0.0.1', port },
          { name: 'reg', kind: 'domain', host: 'example.test', domain: { rdapServer: `${base}/rdap/` } },
          { name: 'auth', kind: 'http', http: { url: `${base}/auth`, headers: { 'X-Token': '${env:PH_TEST_TOKEN}' }, expectStatus: 200 } },
        ],
      }),
    );
    // Not spawnSync: the servers answering live in this process.
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORTHOLE_CACHE_DIR: dir, PH_TEST_TOKEN: 'tok-from-env' } }).then(
      (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ status: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    const r = await run('--retries', '0', '--config', file);
    const lines = r.stdout.trim().split('\n');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(lines[0], 'HTTP CRITICAL - api: $.status == "ok" failed: $.status is "degraded"');
    assert.match(lines[1]!, /^TCP OK - api port:/);
    assert.match(lines[2]!, /^DOMAIN OK - reg: .*registration expires in 200 days/);
    assert.match(lines[3]!, /^HTTP OK - auth: /, 'the header ${env:} is filled in on the request');
    assert.doesNotMatch(r.stdout, /tok-from-env/);
    const j = await run('--json', '--retries', '0', '--config', file);
    const json = JSON.parse(j.stdout) as { diagnosis: { host: string; verdict: string; text: string }[] };
    assert.deepEqual(json.diagnosis.map((d) => [d.host, d.verdict]), [['127.0.0.1', 'application-error']]);
    assert.match(json.diagnosis[0]!.text, /^application error: .*\$\.status is "degraded"/);
  });
});
