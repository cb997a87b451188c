import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { probeTcp, socketsClosing } from '../../src/probe/tcp.js';
import { freePort, hasIpv6Loopback, listen, waitFor, type Listener } from '../helpers/net.js';

const openFds = () => readdirSync('/proc/self/fd').length;
const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe('probeTcp on loopback', () => {
  let l: Listener;
  before(async () => {
    l = await listen();
  });
  after(() => l.close());

  it('reports open with a monotonic connect time and no DNS for a literal', async () => {
    const r = await probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 2000, family: 0 });
    assert.equal(r.outcome, 'open');
    assert.equal(r.dnsMs, null);
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.family, 4);
    assert.ok(r.connectMs !== null && r.connectMs >= 0 && r.connectMs <= r.totalMs);
  });

  it('reports refused with ECONNREFUSED as evidence for a port nobody listens on', async () => {
    const port = await freePort();
    const r = await probeTcp({ host: '127.0.0.1', port, timeoutMs: 2000, family: 0 });
    assert.equal(r.outcome, 'refused');
    assert.equal(r.errno, 'ECONNREFUSED');
    assert.equal(r.connectMs, null);
    assert.match(r.detail ?? '', /ECONNREFUSED/);
  });

  it('reports dns for a reserved .invalid name, timing resolution apart', async () => {
    const r = await probeTcp({ host: 'porthole-test.invalid', port: 80, timeoutMs: 3000, family: 0 });
    assert.equal(r.outcome, 'dns');
    assert.ok(r.errno === 'ENOTFOUND' || r.errno === 'EAI_AGAIN', `errno ${r.errno}`);
    assert.ok(r.dnsMs !== null && r.dnsMs >= 0);
    assert.equal(r.connectMs, null);
  });

  it('resolves a name and measures DNS time separately (localhost, family 4)', async () => {
    const r = await probeTcp({ host: 'localhost', port: l.port, timeoutMs: 2000, family: 4 });
    assert.equal(r.outcome, 'open');
    assert.equal(r.address, '127.0.0.1');
    assert.ok(r.dnsMs !== null && r.dnsMs >= 0);
  });

  it('refuses an IPv4 literal when family 6 is forced (a config mistake, not a network fact)', async () => {
    const r = await probeTcp({ host: '127.0.0.1', port: l.port, timeoutMs: 1000, family: 6 });
    assert.equal(r.outcome, 'error');
    assert.match(r.detail ?? '', /IPv4 address but family 6/);
  });

  it('closes politely: the server sees FIN (end), never a reset', async () => {
    const seen: string[] = [];
    const banner = await listen('127.0.0.1', 0, (s) => {
      s.write('SSH-2.0-fake banner the probe never reads\r\n');
      s.on('end', () => {
        seen.push('fin');
        s.end();
      });
      s.on('error', (e: NodeJS.ErrnoException) => seen.push(e.code ?? 'error'));
    });
    try {
      for (let i = 0; i < 20; i++) {
        const r = await probeTcp({ host: '127.0.0.1', port: banner.port, timeoutMs: 2000, family: 0 });
        assert.equal(r.outcome, 'open');
      }
      await waitFor('20 closes', () => seen.length >= 20);
      assert.deepEqual(new Set(seen), new Set(['fin']));
    } finally {
      await banner.close();
    }
  });

  it('leaks no socket or file descriptor across thousands of checks of every outcome', async () => {
    const closedPort = await freePort();
    const fdsBefore = openFds();
    const handlesBefore = tcpHandles();
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 50; round++) {
      const batch = [];
      for (let i = 0; i < 40; i++) {
        const port = i % 2 === 0 ? l.port : closedPort;
        batch.push(probeTcp({ host: '127.0.0.1', port, timeoutMs: 2000, family: 0 }));
      }
      for (const r of await Promise.all(batch)) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
    assert.equal(outcomes.get('open'), 1000);
    assert.equal(outcomes.get('refused'), 1000);
    await waitFor('polite closes to finish', () => socketsClosing() === 0, 10_000);
    await waitFor('TCP handles back to baseline', () => tcpHandles() <= handlesBefore, 5000);
    await waitFor('fds back to baseline', () => openFds() <= fdsBefore + 2, 5000);
  });
});

describe('probeTcp over IPv6', async () => {
  const v6 = await hasIpv6Loopback();
  it('checks ::1 and reports family 6', { skip: v6 ? false : 'no IPv6 loopback here' }, async () => {
    const l6 = await listen('::1');
    try {
      const r = await probeTcp({ host: '::1', port: l6.port, timeoutMs: 2000, family: 0 });
      assert.equal(r.outcome, 'open');
      assert.equal(r.family, 6);
      const closed = await freePort('::1');
      const r2 = await probeTcp({ host: '::1', port: closed, timeoutMs: 2000, family: 6 });
      assert.equal(r2.outcome, 'refused');
    } finally {
      await l6.close();
    }
  });

  it('a name resolving to both families follows the family asked for', { skip: v6 ? false : 'no IPv6 loopback here' }, async () => {
    // "localhost" resolves to 127.0.0.1 and ::1 here; only the IPv4 side listens.
    const l4 = await listen('127.0.0.1');
    try {
      const r4 = await probeTcp({ host: 'localhost', port: l4.port, timeoutMs: 2000, family: 4 });
      assert.equal(r4.outcome, 'open');
      const r6 = await probeTcp({ host: 'localhost', port: l4.port, timeoutMs: 2000, family: 6 });
      // ::1 may resolve; with nothing listening on the v6 side it is refused (or dns where localhost has no AAAA).
      assert.ok(r6.outcome === 'refused' || r6.outcome === 'dns', `got ${r6.outcome}`);
      if (r6.outcome === 'refused') assert.equal(r6.address, '::1');
    } finally {
      await l4.close();
    }
  });
});
