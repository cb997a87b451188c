import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DomainChecker, parseRetryAfter } from '../../src/checks/domain/check.js';
import { domainDetailLines } from '../../src/checks/domain/detail.js';
import { parseBootstrap, serverFor } from '../../src/checks/domain/bootstrap.js';
import { normalizeDomain } from '../../src/checks/domain/domain-name.js';
import { userCacheDir } from '../../src/checks/domain/shared.js';
import { domainCheckSchema, domainNameSchema, type DomainCheckConfig } from '../../src/checks/domain/schema.js';
import { zodProblems } from '../../src/config/zod-problems.js';
import { which } from '../helpers/system.js';

const DAY = 86_400_000;

/** An RFC 9083 domain object expiring `days` from now. */
function domainDoc(name: string, days: number, registrar = 'Example Registrar, Inc.'): unknown {
  return {
    objectClassName: 'domain',
    rdapConformance: ['rdap_level_0'],
    ldhName: name.toUpperCase(),
    status: ['client transfer prohibited', 'active'],
    events: [
      { eventAction: 'registration', eventDate: new Date(Date.now() - 400 * DAY).toISOString() },
      { eventAction: 'expiration', eventDate: new Date(Date.now() + days * DAY + 3_600_000).toISOString() },
    ],
    entities: [
      { objectClassName: 'entity', handle: 'ABUSE-1', roles: ['abuse'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Abuse desk']]] },
      {
        objectClassName: 'entity',
        handle: '9999',
        roles: ['registrar'],
        publicIds: [{ type: 'IANA Registrar ID', identifier: '9999' }],
        vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', registrar]]],
      },
    ],
    nameservers: [
      { objectClassName: 'nameserver', ldhName: 'NS1.EXAMPLE.TEST' },
      { objectClassName: 'nameserver', ldhName: 'ns2.example.test' },
    ],
  };
}

/** The test's own RDAP registry and bootstrap file, over HTTPS on loopback. */
class Registry {
  bootstrapFetches = 0;
  rdapRequests = 0;
  busy = false;
  bootstrapBroken = false;
  server!: Server;
  base = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'porthole-rdap-'));
  readonly caFile = join(this.dir, 'cert.pem');

  async start(): Promise<void> {
    const key = join(this.dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', this.caFile, '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    this.server = createServer({ key: readFileSync(key), cert: readFileSync(this.caFile) }, (req, res) => this.route(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): void {
    this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, v: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/rdap+json', ...headers });
      res.end(typeof v === 'string' ? v : JSON.stringify(v));
    };
    const path = req.url ?? '/';
    if (path === '/bootstrap/dns.json') {
      this.bootstrapFetches++;
      if (this.bootstrapBroken) return json(500, { error: 'down' });
      return json(200, {
        version: '1.0',
        publication: '2026-11-30T18:00:01Z',
        description: 'RDAP bootstrap file for Domain Name System registrations',
        services: [
          [['example'], ['http://127.0.0.1:1/unused/']],
          [['test', 'co.test'], [`http://127.0.0.1:1/plain-http-not-preferred/`, `${this.base}/rdap/`]],
        ],
      });
    }
    if (path.startsWith('/moved/')) {
      res.writeHead(301, { location: path.replace('/moved/', '/rdap/') });
      return void res.end();
    }
    const m = /^\/(rdap|other)\/domain\/([^/]+)$/.exec(path);
    if (!m) return json(404, {});
    this.rdapRequests++;
    if (this.busy) return json(429, { errorCode: 429, title: 'Too many requests' }, { 'retry-after': '120' });
    const name = decodeURIComponent(m[2]!);
    switch (name) {
      case 'ok.test':
        return json(200, domainDoc(name, 200));
      case 'soon.test':
        return json(200, domainDoc(name, 10));
      case 'gone.test':
        return json(200, domainDoc(name, -4));
      case 'nodate.test': {
        const d = domainDoc(name, 1) as { events: unknown[] };
        d.events = d.events.slice(0, 1);
        return json(200, d);
      }
      case 'broken.test':
        return json(200, '{"objectClassName": "domain", "ldhName": ');
      case 'entity.test':
        return json(200, { objectClassName: 'entity', handle: 'X' });
      case 'hostile.test': {
        const d = domainDoc(name, 100, 'Evil\x1b]0;owned\x07 Registrar\x1b[2J\u202e') as { nameservers: { ldhName: string }[] };
        d.nameservers[0]!.ldhName = 'ns1.\x1b[31mevil.test';
        return json(200, d);
      }
      default:
        return json(404, { errorCode: 404, title: 'Not Found' });
    }
  }
}

function config(raw: Record<string, unknown>): DomainCheckConfig {
  const p = domainCheckSchema.safeParse(raw);
  if (!p.success) throw new Error(JSON.stringify(p.error.issues));
  return p.data;
}

describe('RDAP pieces', () => {
  it('finds the longest matching TLD entry, preferring https', () => {
    const doc = parseBootstrap({ services: [[['uk'], ['https://a/']], [['co.uk'], ['http://b/', 'https://c/']]] }, 'test');
    assert.deepEqual(serverFor(doc, 'shop.co.uk'), { server: 'https://c/', matched: 'co.uk' });
    assert.deepEqual(serverFor(doc, 'example.uk'), { server: 'https://a/', matched: 'uk' });
    assert.equal(serverFor(doc, 'example.com'), undefined);
    assert.throws(() => parseBootstrap({ services: [['com']] }, 'file X'), /bootstrap file from file X: services\[0\]: expected \[\[TLDs\], \[URLs\]\]/);
  });

  it('keeps the bootstrap file in the cache dir', () => {
    assert.equal(userCacheDir({ PORTHOLE_CACHE_DIR: '/tmp/x' }), '/tmp/x');
    if (process.platform === 'linux') assert.equal(userCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }), '/var/cache/me/porthole');
  });

  it('reads Retry-After as seconds or a date, bounded', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter('Wed, 02 Dec 2026 10:05:00 GMT', now), 300);
    assert.equal(parseRetryAfter('99999999', now), 86_400);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  it('checks the config: a domain name, one way to find the server', () => {
    const problems = (raw: Record<string, unknown>) => {
      const p = domainCheckSchema.safeParse(raw);
      return p.success ? [] : zodProblems(p.error.issues, raw).map((x) => `${x.path}: ${x.message}`);
    };
    assert.deepEqual(problems({ domainWarnDays: 14, rdapServer: 'https://rdap.test/' }), []);
    assert.deepEqual(problems({ bootstrapUrl: 'https://rdap.test/dns.json' }), []);
    // No registry is asked unless the config names one: no default bootstrap URL.
    assert.match(problems({ domainWarnDays: 14 }).join(), /^bootstrapUrl: expected "bootstrapUrl" .* or "rdapServer"/);
    assert.match(problems({ rdapServer: 'ftp://x/' }).join(), /^rdapServer: expected the base URL of an RDAP server .*not ftp:/);
    assert.match(problems({ rdapServer: 'https://x/', bootstrapUrl: 'https://y/' }).join(), /^bootstrapUrl: expected either "rdapServer"/);
    assert.match(problems({ domainWarnDays: -1 }).join(), /^domainWarnDays: /);
    assert.equal(domainNameSchema.safeParse('bücher.test').success, true);
    assert.equal(normalizeDomain('Bücher.Test.'), 'xn--bcher-kva.test');
    for (const bad of ['localhost', '127.0.0.1', '-a.test', 'a..test']) assert.equal(domainNameSchema.safeParse(bad).success, false, bad);
  });
});

describe('domain expiry against a local RDAP registry', { skip: which('openssl') ? false : 'needs the openssl CLI to make a test certificate' }, () => {
  const registry = new Registry();
  let cacheDir: string;
  let clock = Date.now();
  let checker: DomainChecker;
  const opts = { timeoutMs: 5000 };
  const viaBootstrap = (extra: Record<string, unknown> = {}) => config({ bootstrapUrl: `${registry.base}/bootstrap/dns.json`, tlsCa: registry.caFile, ...extra });

  before(() => registry.start());
  after(() => registry.stop());
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'porthole-rdap-cache-'));
    clock = Date.now();
    checker = new DomainChecker(cacheDir, () => clock);
    registry.busy = false;
    registry.bootstrapBroken = false;
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('reports days to expiry, the registrar, the nameservers and the status', async () => {
    const r = await checker.check('ok.test', viaBootstrap(), opts);
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.domain.verdict, 'ok');
    assert.equal(r.domain.daysLeft, 200);
    assert.equal(r.domain.registrar, 'Example Registrar, Inc. (IANA 9999)');
    assert.deepEqual(r.domain.nameservers, ['ns1.example.test', 'ns2.example.test']);
    assert.deepEqual(r.domain.status, ['client transfer prohibited', 'active']);
    assert.equal(r.domain.server, `${registry.base}/rdap/`, 'the https URL of the bootstrap entry');
    assert.ok(r.phases!.tlsMs! > 0);
    assert.ok(r.connectMs! >= r.phases!.tlsMs!, 'the main figure is the whole RDAP query');
    const lines = domainDetailLines(r);
    assert.match(lines[0]!, /^ok\.test: expires in 200 day\(s\) \(\d{4}-\d\d-\d\dT[\d:.]+Z; warn under 30 days\)$/);
    assert.ok(lines.includes('registrar: Example Registrar, Inc. (IANA 9999)'));
    assert.ok(lines.includes('nameservers: ns1.example.test, ns2.example.test'));
  });

  it('warns near expiry, goes down when expired or unknown to the registry', async () => {
    const soon = await checker.check('soon.test', viaBootstrap(), opts);
    assert.equal(soon.outcome, 'mismatch');
    assert.equal(soon.severity, 'warning');
    assert.equal(soon.domain.verdict, 'expiring');
    assert.match(soon.detail ?? '', /^registration of soon\.test expires in 10 day\(s\) \(.*; warn under 30\)$/);
    const relaxed = await checker.check('soon.test', viaBootstrap({ domainWarnDays: 7 }), opts);
    assert.equal(relaxed.outcome, 'open');
    const gone = await checker.check('gone.test', viaBootstrap(), opts);
    assert.equal(gone.outcome, 'mismatch');
    assert.equal(gone.severity, 'critical');
    assert.equal(gone.domain.verdict, 'expired');
    assert.match(gone.detail ?? '', /expired 4 day\(s\) ago/);
    const missing = await checker.check('missing.test', viaBootstrap(), opts);
    assert.equal(missing.outcome, 'mismatch');
    assert.equal(missing.severity, 'critical');
    assert.equal(missing.domain.verdict, 'not-found');
    assert.match(missing.detail ?? '', /the registry has no domain missing\.test \(HTTP 404 from https:\/\/127\.0\.0\.1:\d+\/rdap\/\)/);
    const nodate = await checker.check('nodate.test', viaBootstrap(), opts);
    assert.equal(nodate.outcome, 'open');
    assert.equal(nodate.domain.verdict, 'no-expiry');
    assert.match(domainDetailLines(nodate)[0]!, /publishes no expiration date/);
  });

  it('says clearly when the answer is not JSON or not a domain', async () => {
    const broken = await checker.check('broken.test', viaBootstrap(), opts);
    assert.equal(broken.outcome, 'error');
    assert.match(broken.detail ?? '', /^RDAP answer from https:\/\/127\.0\.0\.1:\d+\/rdap\/ for broken\.test is not JSON \(/);
    const entity = await checker.check('entity.test', viaBootstrap(), opts);
    assert.equal(entity.outcome, 'error');
    assert.match(entity.detail ?? '', /expected an RDAP domain object, got objectClassName "entity"/);
  });

  it('keeps control characters in RDAP fields off the terminal', async () => {
    const r = await checker.check('hostile.test', viaBootstrap(), opts);
    assert.equal(r.outcome, 'open', r.detail);
    const all = JSON.stringify(r.domain) + domainDetailLines(r).join('\n');
    assert.ok(!/\\u001b|\\u0007|\u202e|\x1b/.test(all), all);
    assert.equal(r.domain.registrar, 'Evil Registrar\\u202e (IANA 9999)');
    assert.equal(r.domain.nameservers[0], 'ns1.evil.test');
  });

  it('honours 429 Retry-After: the registry is not asked again before it, and says so', async () => {
    const first = await checker.check('ok.test', viaBootstrap(), opts);
    assert.equal(first.domain.verdict, 'ok');
    registry.busy = true;
    const before429 = registry.rdapRequests;
    const limited = await checker.check('ok.test', viaBootstrap(), opts);
    assert.equal(registry.rdapRequests, before429 + 1);
    assert.equal(limited.outcome, 'open', 'the last answer stands while waiting');
    assert.equal(limited.domain.retryAfter?.seconds, 120);
    assert.equal(limited.domain.answeredAt, first.startedAt);
    assert.match(domainDetailLines(limited).join('\n'), /rate-limited \(HTTP 429\): not asked again before .*; answer from /);
    clock += 60_000;
    const other = await checker.check('soon.test', viaBootstrap(), opts);
    assert.equal(registry.rdapRequests, before429 + 1, 'the same registry is not asked for another domain either');
    assert.equal(other.domain.verdict, 'rate-limited');
    assert.equal(other.severity, 'warning');
    assert.equal(other.domain.retryAfter?.seconds, 60);
    assert.match(other.detail ?? '', /rate-limits \(HTTP 429\): not asked again before \d{4}-/);
    registry.busy = false;
    clock += 61_000;
    const later = await checker.check('soon.test', viaBootstrap(), opts);
    assert.equal(registry.rdapRequests, before429 + 2);
    assert.equal(later.domain.verdict, 'expiring');
    assert.equal(later.domain.retryAfter, undefined);
  });

  it('caches the bootstrap file on disk and fetches it at most once a day', async () => {
    const start = registry.bootstrapFetches;
    const a = await checker.check('ok.test', viaBootstrap(), opts);
    assert.equal(a.domain.bootstrap?.fetched, true);
    const b = await checker.check('soon.test', viaBootstrap(), opts);
    assert.equal(b.domain.bootstrap?.fetched, false);
    assert.equal(registry.bootstrapFetches, start + 1);
    const cached = JSON.parse(readFileSync(join(cacheDir, 'rdap-bootstrap-dns.json'), 'utf8')) as { fetchedAt: number; url: string };
    assert.equal(cached.fetchedAt, clock);
    // A new process reads the file on disk instead of fetching.
    const restarted = new DomainChecker(cacheDir, () => clock + 3_600_000);
    const c = await restarted.check('ok.test', viaBootstrap(), opts);
    assert.equal(c.outcome, 'open');
    assert.equal(registry.bootstrapFetches, start + 1);
    // A day later it is fetched again; when that fails, the old file still answers, and it says so.
    registry.bootstrapBroken = true;
    const dayLater = new DomainChecker(cacheDir, () => clock + DAY + 1000);
    const d = await dayLater.check('ok.test', viaBootstrap(), opts);
    assert.equal(registry.bootstrapFetches, start + 2);
    assert.equal(d.outcome, 'open');
    assert.match(d.domain.bootstrap?.stale ?? '', /HTTP 500/);
    assert.match(domainDetailLines(d).join('\n'), /bootstrap file from .* \(refresh failed: bootstrap file from .*: HTTP 500\)/);
    await dayLater.check('soon.test', viaBootstrap(), opts);
    assert.equal(registry.bootstrapFetches, start + 2, 'a failed refresh is not retried at once');
  });

  it('asks rdapServer directly when given, without the bootstrap file', async () => {
    const start = registry.bootstrapFetches;
    const r = await checker.check('OK.Test.', config({ rdapServer: `${registry.base}/other`, tlsCa: registry.caFile }), opts);
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.domain.server, `${registry.base}/other`);
    assert.equal(r.domain.domain, 'ok.test', 'asked as a lower-case name without the final dot');
    assert.equal(registry.bootstrapFetches, start);
  });

  it('follows a registry that redirects (RFC 7480)', async () => {
    const r = await checker.check('soon.test', config({ rdapServer: `${registry.base}/moved/`, tlsCa: registry.caFile }), opts);
    assert.equal(r.domain.verdict, 'expiring', r.detail);
    assert.equal(r.domain.daysLeft, 10);
  });

  it('reports a TLD the bootstrap file does not cover, and an untrusted certificate', async () => {
    const none = await checker.check('example.invalid', viaBootstrap(), opts);
    assert.equal(none.outcome, 'error');
    assert.match(none.detail ?? '', /no RDAP server for \.invalid in the bootstrap file .*; set "rdapServer"/);
    const untrusted = await new DomainChecker(cacheDir, () => clock).check('ok.test', config({ rdapServer: `${registry.base}/rdap/` }), opts);
    assert.equal(untrusted.outcome, 'tls');
  });
});
