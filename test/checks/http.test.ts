import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { runHttpCheck } from '../../src/checks/http/check.js';
import { httpDetailLines } from '../../src/checks/http/detail.js';
import { httpConfigForDisplay } from '../../src/checks/http/display.js';
import { evaluateJsonCondition, parseJsonCondition, type JsonValue } from '../../src/checks/http/json-condition.js';
import { httpCheckSchema, type HttpCheckConfig } from '../../src/checks/http/schema.js';
import { zodProblems } from '../../src/config/zod-problems.js';
import { freePort, hasIpv6Loopback } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { TestPki } from '../layers/tls-certs.js';

const SECRET = 'tok-5f1e2d3c4b5a69788796a5b4';
const env = { API_TOKEN: SECRET };

function config(raw: Record<string, unknown>): HttpCheckConfig {
  const parsed = httpCheckSchema.safeParse(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const HEALTHY = { status: 'ok', queue: { depth: 5 }, items: [1, 2], version: '2.4.1', tags: ['eu', 'blue'] };

/** What the big answer's server managed to write before the client went away. */
const big = { written: 0, closedEarly: false };

function routes(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-version': '2.4.1' });
    res.end(JSON.stringify(v));
  };
  switch (url.pathname) {
    case '/ok':
      return json(200, HEALTHY);
    case '/degraded':
      return json(200, { ...HEALTHY, status: 'degraded', queue: { depth: 5000 }, items: [] });
    case '/unavailable':
      return json(503, { status: 'down' });
    case '/text':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('hello world, all systems nominal');
    case '/not-json':
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('<html>oops</html>');
    case '/echo':
      // Reflects what it was sent (as some debug endpoints do): a secret header must not come back out.
      return json(500, { got: req.headers });
    case '/post': {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => json(req.method === 'POST' ? 201 : 405, { method: req.method, contentType: req.headers['content-type'], body }));
      return;
    }
    case '/slow':
      setTimeout(() => json(200, HEALTHY), Number(url.searchParams.get('ms') ?? '300'));
      return;
    case '/big': {
      big.written = 0;
      big.closedEarly = false;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const total = 8 * 1024 * 1024;
      res.on('close', () => (big.closedEarly = !res.writableFinished));
      const pump = () => {
        while (big.written < total) {
          big.written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    default: {
      const m = /^\/redirect\/(\d+)$/.exec(url.pathname);
      if (m) {
        const n = Number(m[1]);
        res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/ok' });
        return void res.end();
      }
      if (url.pathname === '/elsewhere') {
        res.writeHead(307, { location: url.searchParams.get('to') ?? '/' });
        return void res.end();
      }
      if (url.pathname === '/see-other') {
        res.writeHead(303, { location: '/post' });
        return void res.end();
      }
      res.writeHead(404);
      res.end();
    }
  }
}

describe('JSON conditions', () => {
  const doc = HEALTHY as unknown as JsonValue;
  const check = (text: string) => evaluateJsonCondition(parseJsonCondition(text), doc);

  it('evaluates paths, lengths and every operator', () => {
    assert.equal(check('$.status == "ok"').ok, true);
    assert.equal(check('$.status != "ok"').ok, false);
    assert.equal(check('$.queue.depth < 1000').ok, true);
    assert.equal(check('$.queue.depth >= 6').ok, false);
    assert.equal(check('$.items.length > 0').ok, true);
    assert.equal(check('$.items[-1] == 2').ok, true);
    assert.equal(check('$["queue"]["depth"] <= 5').ok, true);
    assert.equal(check('$.tags contains "eu"').ok, true);
    assert.equal(check('$.version matches "^2\\\\.4\\\\."').ok, true);
    assert.equal(check('$.queue exists').ok, true);
    assert.equal(check('$.queue == {"depth": 5}'.replace('{"depth": 5}', '5')).ok, false);
  });

  it('says what it found when a condition fails', () => {
    assert.deepEqual(check('$.missing.key == 1'), { ok: false, found: '$.missing.key is missing' });
    assert.deepEqual(check('$.status > 3'), { ok: false, found: '$.status is "ok", not a number' });
  });

  it('describes a huge or deeply nested value without walking all of it', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as JsonValue;
    const found = evaluateJsonCondition(parseJsonCondition('$ == 1'), deep).found;
    assert.equal(found, `$ is ${'['.repeat(79)}…`);
    const wide = { a: 'x'.repeat(1_000_000) } as JsonValue;
    assert.equal(evaluateJsonCondition(parseJsonCondition('$.a == "y"'), wide).found, `$.a is "${'x'.repeat(78)}…`);
    assert.equal(evaluateJsonCondition(parseJsonCondition('$.q == 1'), { q: { b: [1, 'two', null] } }).found, '$.q is {"b":[1,"two",null]}');
  });

  it('rejects bad syntax with the column', () => {
    assert.throws(() => parseJsonCondition('status == "ok"'), /path starting with "\$" at column 1/);
    assert.throws(() => parseJsonCondition('$.depth < "x"'), /expected a number after < at column 11/);
    assert.throws(() => parseJsonCondition('$.a === 1'), /expected a value/);
    assert.throws(() => parseJsonCondition('$.a == 1 and'), /unexpected text after the condition at column 10/);
    assert.throws(() => parseJsonCondition('$.a matches "("'), /not a valid regular expression/);
  });
});

describe('API check config', () => {
  it('names the JSON path of a bad condition', () => {
    const raw = { url: 'http://127.0.0.1:1/x', expectJson: ['$.status == "ok"', '$.queue.depth << 1000'] };
    const parsed = httpCheckSchema.safeParse(raw);
    assert.equal(parsed.success, false);
    const problems = zodProblems(parsed.error!.issues, raw);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, 'expectJson[1]');
    assert.match(problems[0]!.message, /not a valid JSON condition: expected a value: .* at column 16 \(near "< 1000"\)/);
  });

  it('rejects what cannot work, saying why', () => {
    const issues = (raw: Record<string, unknown>) => {
      const p = httpCheckSchema.safeParse(raw);
      return p.success ? [] : zodProblems(p.error.issues, raw).map((x) => `${x.path}: ${x.message}`);
    };
    assert.match(issues({ url: 'ftp://127.0.0.1/' }).join(), /^url: expected an http:\/\/ or https:\/\/ URL, not ftp:/);
    assert.match(issues({ url: 'http://u:p@127.0.0.1/' }).join(), /credentials in "headers"/);
    assert.match(issues({ url: 'http://127.0.0.1/', body: 'x' }).join(), /^body: expected a method that sends a body/);
    assert.match(issues({ url: 'http://127.0.0.1/', expectStatus: ['2xx', '600'] }).join(), /^expectStatus\[1\]: expected a status/);
    assert.match(issues({ url: 'http://127.0.0.1/', tlsVerify: false }).join(), /^tlsVerify: only applies to an https:\/\/ URL/);
    assert.match(issues({ url: 'http://127.0.0.1/', headers: { Host: 'x' } }).join(), /^headers\.Host: "Host" is set by porthole/);
    assert.match(issues({ url: 'http://127.0.0.1/', headers: { Accept: 'a', accept: 'b' } }).join(), /^headers\.accept: "accept" is given twice/);
  });

  it('shows header values only as ${env:NAME} in config show', () => {
    const shown = httpConfigForDisplay({ url: `http://127.0.0.1/x?key=${SECRET}`, headers: { Authorization: 'Bearer ${env:API_TOKEN}', 'X-Key': SECRET } });
    assert.deepEqual(shown, { url: 'http://127.0.0.1/x?…', headers: { Authorization: 'Bearer ${env:API_TOKEN}', 'X-Key': '<hidden: write it as ${env:NAME}>' } });
  });

  it('never quotes a header value back, even a broken one', () => {
    // As in a whole config: the header is secret under targets[i].headers.
    const raw = { targets: [{ url: 'http://127.0.0.1/', headers: { Authorization: `Bearer ${SECRET}\r\nX: y`, 'X-Key': 42 } }] };
    const p = z.strictObject({ targets: z.array(httpCheckSchema) }).safeParse(raw);
    assert.equal(p.success, false);
    const problems = zodProblems(p.error!.issues, raw);
    assert.deepEqual(problems.map((x) => x.path), ['targets[0].headers.Authorization', 'targets[0].headers["X-Key"]']);
    const text = JSON.stringify(problems);
    assert.match(text, /without line breaks/);
    assert.ok(!text.includes(SECRET));
  });
});

describe('API checks against a local HTTP server', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer(routes);
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => server.close());
  const run = (raw: Record<string, unknown>, timeoutMs = 5000, slowAfterMs?: number) => runHttpCheck(config(raw), { timeoutMs, env, ...(slowAfterMs !== undefined ? { slowAfterMs } : {}) });

  it('passes with status, header, body and JSON conditions, timing each phase', async () => {
    const r = await run({
      url: `${base}/ok`,
      expectStatus: [200, '201-204'],
      expectHeaders: { 'Content-Type': 'application/json', 'X-Version': { matches: '^2\\.' } },
      expectBody: '"status"',
      expectBodyRegex: '"depth":\\s*\\d+',
      expectJson: ['$.status == "ok"', '$.queue.depth < 1000', '$.items.length > 0'],
    });
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.api.status, 200);
    assert.equal(r.api.conditions, 8);
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.phases?.dnsMs, null, 'an IP literal needs no lookup');
    assert.ok(r.phases!.connectMs! > 0 && r.phases!.firstByteMs! > 0);
    assert.ok(r.phases!.totalMs >= r.phases!.connectMs! + r.phases!.firstByteMs!);
    assert.equal(r.phases?.tlsMs, null);
    const lines = httpDetailLines(r);
    assert.match(lines[0]!, /^GET http:\/\/127\.0\.0\.1:\d+\/ok → HTTP 200 OK · \d+ B · application\/json$/);
    assert.match(lines[1]!, /^timings: connect [\d.]+ms · first byte [\d.]+ms · total [\d.]+ms$/);
    assert.ok(lines.includes('8 condition(s) held'));
  });

  it('reports an answer "degraded" as a mismatch naming the condition and what came back', async () => {
    const r = await run({ url: `${base}/degraded`, expectJson: ['$.status == "ok"', '$.queue.depth < 1000'] });
    assert.equal(r.outcome, 'mismatch');
    assert.equal(r.severity, 'critical');
    assert.deepEqual(r.api.failed, { condition: '$.status == "ok"', found: '$.status is "degraded"' });
    assert.equal(r.detail, '$.status == "ok" failed: $.status is "degraded"');
    assert.match(r.api.excerpt ?? '', /^\{"status":"degraded"/);
    const second = await run({ url: `${base}/degraded`, expectJson: '$.queue.depth < 1000', mismatch: 'warning' });
    assert.deepEqual(second.api.failed, { condition: '$.queue.depth < 1000', found: '$.queue.depth is 5000' });
    assert.equal(second.severity, 'warning');
    const empty = await run({ url: `${base}/degraded`, expectJson: '$.items.length > 0' });
    assert.equal(empty.api.failed?.found, '$.items.length is 0');
  });

  it('fails on status, header, body text and regex, and a body that is not JSON', async () => {
    const status = await run({ url: `${base}/unavailable` });
    assert.deepEqual(status.api.failed, { condition: 'status in 2xx', found: 'HTTP 503' });
    const listed = await run({ url: `${base}/unavailable`, expectStatus: ['5xx'] });
    assert.equal(listed.outcome, 'open');
    const header = await run({ url: `${base}/text`, expectHeaders: { 'content-type': 'json' } });
    assert.deepEqual(header.api.failed, { condition: 'header content-type contains "json"', found: 'header content-type is "text/plain"' });
    const absent = await run({ url: `${base}/text`, expectHeaders: { 'x-version': '2' } });
    assert.equal(absent.api.failed?.found, 'header x-version is missing');
    const text = await run({ url: `${base}/text`, expectBody: 'all systems go' });
    assert.deepEqual(text.api.failed, { condition: 'body contains "all systems go"', found: 'not in the body' });
    assert.equal(text.api.excerpt, 'hello world, all systems nominal');
    const regex = await run({ url: `${base}/text`, expectBodyRegex: '^hello \\w+, all' });
    assert.equal(regex.outcome, 'open');
    const notJson = await run({ url: `${base}/not-json`, expectJson: '$.status == "ok"' });
    assert.equal(notJson.outcome, 'mismatch');
    assert.match(notJson.api.failed!.found, /^the body is not JSON \(/);
  });

  it('resolves ${env:} in the body and hides it if the server echoes it', async () => {
    const r = await run({ url: `${base}/post`, method: 'POST', body: { user: 'probe', password: '${env:API_TOKEN}' }, expectJson: '$.body contains "nothing like this"', expectStatus: 201 });
    assert.equal(r.outcome, 'mismatch');
    assert.match(r.api.excerpt ?? '', /\\"password\\":\\"\[hidden\]\\"/, 'the server got the value, the excerpt hides it');
    assert.ok(!JSON.stringify(r).includes(SECRET));
  });

  it('sends the method, body and a JSON content type; a 303 becomes a GET', async () => {
    const r = await run({ url: `${base}/post`, method: 'POST', body: { ping: 1 }, expectStatus: 201, expectJson: ['$.body == "{\\"ping\\":1}"', '$.contentType == "application/json"'] });
    assert.equal(r.outcome, 'open', r.detail);
    const seeOther = await run({ url: `${base}/see-other`, method: 'POST', body: 'x', expectStatus: 405, expectJson: '$.method == "GET"' });
    assert.equal(seeOther.outcome, 'open', seeOther.detail);
    assert.deepEqual(seeOther.api.redirects.map((h) => h.status), [303]);
  });

  it('follows redirects up to the limit, or not at all', async () => {
    const followed = await run({ url: `${base}/redirect/3`, expectJson: '$.status == "ok"' });
    assert.equal(followed.outcome, 'open', followed.detail);
    assert.deepEqual(followed.api.redirects.map((h) => h.location), [`${base}/redirect/2`, `${base}/redirect/1`, `${base}/ok`]);
    assert.equal(followed.api.finalUrl, `${base}/ok`);
    assert.match(httpDetailLines(followed).join('\n'), /redirects: 302 → http:\/\/127\.0\.0\.1:\d+\/redirect\/2, 302/);
    const limited = await run({ url: `${base}/redirect/3`, maxRedirects: 2 });
    assert.equal(limited.outcome, 'mismatch');
    assert.equal(limited.detail, 'more than 2 redirect(s)');
    assert.equal(limited.api.redirects.length, 3);
    const notFollowed = await run({ url: `${base}/redirect/3`, followRedirects: false });
    assert.equal(notFollowed.outcome, 'open', 'a 3xx is a good answer when redirects are not followed');
    assert.equal(notFollowed.api.status, 302);
    assert.equal(notFollowed.api.redirects.length, 0);
    const strict = await run({ url: `${base}/redirect/3`, followRedirects: false, expectStatus: 200 });
    assert.equal(strict.api.failed?.found, 'HTTP 302');
  });

  it('sends the configured headers to the configured origin only', async () => {
    const other = createServer(routes);
    const otherBase = `http://127.0.0.1:${await listen(other)}`;
    try {
      const headers = { Authorization: 'Bearer ${env:API_TOKEN}' };
      const same = await run({ url: `${base}/elsewhere?to=${encodeURIComponent('/echo')}`, headers, expectStatus: 500, expectJson: '$.got.authorization exists' });
      assert.equal(same.outcome, 'open', same.detail);
      const cross = await run({ url: `${base}/elsewhere?to=${encodeURIComponent(`${otherBase}/echo`)}`, headers, expectStatus: 500, expectJson: '$.got.authorization exists' });
      assert.equal(cross.outcome, 'mismatch');
      assert.equal(cross.api.failed?.found, '$.got.authorization is missing');
      assert.equal(cross.api.finalUrl, `${otherBase}/echo`);
    } finally {
      other.close();
    }
  });

  it('checks over IPv6 too', async (t) => {
    if (!(await hasIpv6Loopback())) return t.skip('no ::1 on this machine');
    const v6 = createServer(routes);
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      const r = await run({ url: `http://[::1]:${(v6.address() as AddressInfo).port}/ok`, expectJson: '$.status == "ok"' });
      assert.equal(r.outcome, 'open', r.detail);
      assert.equal(r.address, '::1');
      assert.equal(r.family, 6);
      assert.match(r.api.url, /^http:\/\/\[::1\]:\d+\/ok$/);
    } finally {
      v6.close();
    }
  });

  it('reads no more than the body cap', async () => {
    const r = await run({ url: `${base}/big`, maxBodyBytes: 4096, expectBody: 'aaaa' });
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.api.bytes, 4096);
    assert.equal(r.api.truncated, true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(big.closedEarly, true, 'the connection was closed before the server could send it all');
    assert.ok(big.written < 8 * 1024 * 1024);
    const json = await run({ url: `${base}/big`, expectJson: '$.a exists' });
    assert.equal(json.api.bytes, 64 * 1024, 'the default cap is 64 KiB');
    assert.match(json.api.failed?.found ?? '', /longer than the 65536-byte cap: JSON not complete/);
  });

  it('flags an answer over the response-time limit as slow, and a timeout as such', async () => {
    const slow = await run({ url: `${base}/slow?ms=300` }, 5000, 100);
    assert.equal(slow.outcome, 'open');
    assert.equal(slow.api.slow?.limitMs, 100);
    assert.match(slow.api.slow!.evidence, /^response \d+ms > 100ms$/);
    assert.ok(slow.phases!.firstByteMs! >= 290);
    assert.ok(slow.connectMs! >= slow.phases!.firstByteMs!, 'the main figure is the whole response time');
    assert.equal(slow.connectMs, slow.phases!.totalMs);
    assert.match(httpDetailLines(slow).join('\n'), /slow: response \d+ms > 100ms/);
    const fast = await run({ url: `${base}/ok` }, 5000, 5000);
    assert.equal(fast.api.slow, undefined);
    const late = await run({ url: `${base}/slow?ms=2000` }, 300);
    assert.equal(late.outcome, 'timeout');
    assert.match(late.detail ?? '', /no answer within the timeout, during the response head/);
    assert.ok(late.totalMs < 1500);
  });

  it('keeps control characters from the server out of the result', async () => {
    // node's own server will not send these; a raw one will.
    const hostile = createTcpServer((sock) => {
      sock.on('error', () => {});
      sock.once('data', () => {
        const body = '\x1b[2J\x1b]0;title\x07error:\r\nfake line \u202eevil';
        // The head may only carry 8-bit bytes (node's parser refuses C0 controls there): an 8-bit CSI.
        const head = `HTTP/1.1 500 Bad\x9b31m red\r\nContent-Type: text/\x9b2Jplain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        sock.end(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]));
      });
    });
    const port = await listen(hostile as unknown as Server);
    const r = await run({ url: `http://127.0.0.1:${port}/` }).finally(() => hostile.close());
    assert.equal(r.outcome, 'mismatch');
    const all = JSON.stringify(r) + httpDetailLines(r).join('\n');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]|\\u001b|\\u0007|\u202e/.test(all.replace(/\\[nrt"\\]/g, '')), all);
    assert.match(r.api.excerpt ?? '', /error:\\r\\nfake line \\u202eevil/);
    assert.equal(r.api.statusText, 'Bad red');
    assert.equal(r.api.contentType, 'text/plain');
  });

  it('never shows a secret header value: not in the result, its error or its detail lines', async () => {
    const headers = { Authorization: 'Bearer ${env:API_TOKEN}', 'X-Api-Key': SECRET };
    const echoed = await run({ url: `${base}/echo`, headers });
    assert.equal(echoed.outcome, 'mismatch');
    assert.match(echoed.api.excerpt ?? '', /"authorization":"\[hidden\]","x-api-key":"\[hidden\]"/, 'the server did receive them');
    const refusedPort = await freePort();
    const refused = await run({ url: `http://127.0.0.1:${refusedPort}/x?key=${SECRET}`, headers });
    assert.equal(refused.outcome, 'refused');
    const missing = await runHttpCheck(config({ url: `${base}/ok`, headers: { Authorization: 'Bearer ${env:NOT_SET_ANYWHERE}' } }), { timeoutMs: 2000, env: {} });
    assert.equal(missing.outcome, 'error');
    assert.match(missing.detail ?? '', /NOT_SET_ANYWHERE is not set/);
    for (const r of [echoed, refused, missing]) {
      const shown = JSON.stringify(r) + httpDetailLines(r).join('\n');
      assert.ok(!shown.includes(SECRET), shown);
    }
    assert.match(refused.api.url, /\/x\?…$/);
  });

  it('classifies names that do not resolve and ports nothing listens on', async () => {
    const dns = await run({ url: 'http://api.porthole-test.invalid/health' });
    assert.equal(dns.outcome, 'dns');
    assert.equal(dns.errno, 'ENOTFOUND');
    const wrongFamily = await runHttpCheck(config({ url: 'http://127.0.0.1:1/' }), { timeoutMs: 1000, family: 6 });
    assert.equal(wrongFamily.outcome, 'error');
    assert.match(wrongFamily.detail ?? '', /127\.0\.0\.1 is an IPv4 address but family 6 was asked for/);
    const port = await freePort();
    const refused = await run({ url: `http://127.0.0.1:${port}/` });
    assert.equal(refused.outcome, 'refused');
    assert.equal(refused.errno, 'ECONNREFUSED');
    assert.match(httpDetailLines(refused).join('\n'), /no answer[\s\S]*error: GET http:\/\/127\.0\.0\.1:\d+\/: connect ECONNREFUSED/);
  });
});

describe('API checks over HTTPS', { skip: which('openssl') ? false : 'needs the openssl CLI to make test certificates' }, () => {
  let pki: TestPki;
  const servers: Server[] = [];
  let good: string;
  let self: string;
  before(async () => {
    pki = new TestPki();
    const a = createHttpsServer(pki.leaf('api', 'localhost', 1, 200), routes);
    const b = createHttpsServer(pki.leaf('self', 'localhost', 0, 100, true), routes);
    servers.push(a, b);
    good = `https://127.0.0.1:${await listen(a)}`;
    self = `https://127.0.0.1:${await listen(b)}`;
  });
  after(() => {
    for (const s of servers) s.close();
    pki.dispose();
  });
  const run = (raw: Record<string, unknown>) => runHttpCheck(config(raw), { timeoutMs: 5000, env });

  it('verifies against tlsCa with the sni name, timing the TLS handshake', async () => {
    const r = await run({ url: `${good}/ok`, tlsCa: pki.caFile, sni: 'localhost', expectJson: '$.status == "ok"' });
    assert.equal(r.outcome, 'open', r.detail);
    assert.ok(r.phases!.tlsMs! > 0);
    assert.equal(r.tls?.authorized, true);
    assert.equal(r.tls?.subject, 'CN=localhost');
    assert.match(httpDetailLines(r).join('\n'), /TLS: TLSv1\.3 · CN=localhost · certificate expires in 199 day/);
  });

  it('refuses an unknown CA, a wrong name and a self-signed certificate unless told otherwise', async () => {
    const unknownCa = await run({ url: `${good}/ok`, sni: 'localhost' });
    assert.equal(unknownCa.outcome, 'tls');
    assert.match(unknownCa.detail ?? '', /TLS: .*(self-signed|unable to verify|local issuer)/i);
    const wrongName = await run({ url: `${good}/ok`, tlsCa: pki.caFile, sni: 'other.example' });
    assert.equal(wrongName.outcome, 'tls');
    const selfSigned = await run({ url: `${self}/ok`, sni: 'localhost' });
    assert.equal(selfSigned.outcome, 'tls');
    assert.match(selfSigned.errno ?? '', /SELF_SIGNED/);
    const pinned = await run({ url: `${self}/ok`, sni: 'localhost', tlsCa: join(pki.dir, 'self.pem') });
    assert.equal(pinned.outcome, 'open', `a self-signed certificate given as tlsCa is trusted: ${pinned.detail}`);
    assert.equal(pinned.tls?.authorized, true);
    const allowed = await run({ url: `${self}/ok`, tlsVerify: false, expectJson: '$.status == "ok"' });
    assert.equal(allowed.outcome, 'open', allowed.detail);
    assert.equal(allowed.tls?.authorized, false);
    const caFile = await run({ url: `${good}/ok`, tlsCa: '/nonexistent/ca.pem' });
    assert.equal(caFile.outcome, 'error');
    assert.match(caFile.detail ?? '', /cannot read tlsCa \/nonexistent\/ca\.pem/);
  });

  it('checks a degraded answer over HTTPS too', async () => {
    const r = await run({ url: `${good}/degraded`, tlsCa: pki.caFile, sni: 'localhost', expectJson: '$.status == "ok"' });
    assert.equal(r.outcome, 'mismatch');
    assert.equal(r.api.failed?.found, '$.status is "degraded"');
  });
});
