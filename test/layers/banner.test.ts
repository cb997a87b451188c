import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { conditionOf } from '../../src/engine/monitor.js';
import { probeTcp } from '../../src/probe/tcp.js';
import type { ProbeOptions } from '../../src/probe/types.js';
import { freePort, listen, waitFor } from '../helpers/net.js';
import { accepts, RedisServer } from '../helpers/servers.js';
import { which } from '../helpers/system.js';

const banner = (port: number, service: string | undefined, o: ProbeOptions = { check: 'banner' }) =>
  probeTcp({ host: '127.0.0.1', port, timeoutMs: 2000, family: 0, ...(service ? { service } : {}), options: o });

describe('presets against our own redis-server', { skip: which('redis-server') ? false : 'redis-server not installed' }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });
  after(() => redis?.dispose());

  it('PING → +PONG, then QUIT; phases apart', async () => {
    const r = await banner(redis.port, 'redis');
    assert.equal(r.outcome, 'open', r.detail);
    assert.equal(r.banner?.note, 'PONG');
    assert.equal(r.banner?.matched, true);
    assert.ok(r.phases && r.phases.connectMs !== null && r.phases.firstByteMs !== null && r.phases.tlsMs === null);
  });
});

describe('presets against our own nats-server', { skip: which('nats-server') ? false : 'nats-server not installed' }, () => {
  let proc: ChildProcess;
  let port: number;
  before(async () => {
    port = await freePort();
    proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitFor(`nats-server on ${port}`, () => accepts(port), 10_000, 50);
  });
  after(() => proc?.kill());

  it('INFO { greeting', async () => {
    const r = await banner(port, 'nats');
    assert.equal(r.outcome, 'open', r.detail);
    assert.match(r.banner?.note ?? '', /^NATS \d/);
  });
});

describe("the machine's MariaDB and PostgreSQL, read-only (one greeting each)", () => {
  it('MariaDB: protocol 10 greeting', async (t) => {
    if (!(await accepts(3306))) return t.skip('no MariaDB on 127.0.0.1:3306');
    const r = await banner(3306, 'mariadb');
    assert.equal(r.outcome, 'open', r.detail);
    assert.match(r.banner?.note ?? '', /\(protocol 10\); login as porthole refused \(1045\)$/);
  });
  it('PostgreSQL: SSLRequest answered S or N', async (t) => {
    if (!(await accepts(5432))) return t.skip('no PostgreSQL on 127.0.0.1:5432');
    const r = await banner(5432, 'postgres');
    assert.equal(r.outcome, 'open', r.detail);
    assert.match(r.banner?.note ?? '', /^SSL: [SN]$/);
  });
});

describe('wrong and missing answers', () => {
  it('a listener with the wrong banner is a mismatch, evidence sanitized; severity configurable', async () => {
    const l = await listen('127.0.0.1', 0, (s) => {
      s.resume();
      s.end('HTTP/1.0 400 Bad\x1b[31m\r\n');
    });
    try {
      const r = await banner(l.port, 'redis');
      assert.equal(r.outcome, 'mismatch');
      assert.equal(r.severity, 'critical');
      assert.equal(r.banner?.matched, false);
      assert.ok(!r.banner!.text.includes('\x1b'), 'escape removed');
      assert.match(r.banner!.text, /^HTTP\/1\.0 400/);
      assert.equal(conditionOf(r, 1000).condition, 'DOWN');
      const w = await banner(l.port, 'redis', { check: 'banner', mismatch: 'warning' });
      assert.equal(w.severity, 'warning');
      const c = conditionOf(w, 1000);
      assert.equal(c.condition, 'SLOW');
      assert.equal(c.cause, 'mismatch');
    } finally {
      await l.close();
    }
  });

  it('custom send/expect with escapes and regex', async () => {
    const l = await listen('127.0.0.1', 0, (s) => s.on('data', (d) => (d.toString() === 'HELLO\r\n' ? s.end('OK v1.2\r\n') : s.end('ERR\r\n'))));
    try {
      const ok = await banner(l.port, undefined, { send: 'HELLO\\r\\n', expect: '^OK v\\d', expectMode: 'regex' });
      assert.equal(ok.outcome, 'open', ok.detail);
      const bad = await banner(l.port, undefined, { send: { hex: '4845' }, expect: 'OK' });
      assert.equal(bad.outcome, 'mismatch');
    } finally {
      await l.close();
    }
  });

  it('a listener that accepts and never speaks: a read timeout, bounded by readTimeout', async () => {
    const l = await listen('127.0.0.1', 0, (s) => s.resume());
    try {
      const t0 = performance.now();
      const r = await banner(l.port, 'ssh', { check: 'banner', readTimeoutMs: 300 });
      const took = performance.now() - t0;
      assert.equal(r.outcome, 'mismatch');
      assert.equal(r.banner?.readTimedOut, true);
      assert.equal(r.banner?.bytes, 0);
      assert.match(r.detail ?? '', /read timeout/);
      assert.ok(took >= 290 && took < 1900, `gave up after the read timeout, not the connect timeout (${took.toFixed(0)}ms)`);
    } finally {
      await l.close();
    }
  });

  it('HTTP: status and TTFB recorded; an unexpected status is a mismatch', async () => {
    const l = await listen('127.0.0.1', 0, (s) => s.once('data', () => s.end('HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n\r\n')));
    try {
      const r = await banner(l.port, undefined, { http: { path: '/health' } });
      assert.equal(r.outcome, 'mismatch');
      assert.equal(r.http?.status, 503);
      const ok = await banner(l.port, undefined, { http: { path: '/health', expectStatus: [503] } });
      assert.equal(ok.outcome, 'open');
      assert.ok(ok.http!.ttfbMs >= 0);
    } finally {
      await l.close();
    }
  });
});
