import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateTarget } from '../../src/config/load.js';
import { BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import { conditionOf } from '../../src/engine/monitor.js';
import { answersMatch, runDns } from '../../src/checks/dns/run.js';
import { dnsKind } from '../../src/checks/dns/kind.js';
import { freePort } from '../helpers/net.js';
import { DNSMASQ, startDnsmasq } from '../helpers/dnsmasq.js';

const LONG = (i: number) => `chunk${i}-${'x'.repeat(200)}`;
const RECORDS = [
  '--address=/a.example.test/10.0.0.1',
  '--host-record=multi.example.test,10.0.0.2', '--host-record=multi.example.test,10.0.0.3',
  '--host-record=v6.example.test,fd00::1',
  '--txt-record=txt.example.test,v=spf1 -all',
  ...[1, 2, 3, 4, 5].map((i) => `--txt-record=big.example.test,${LONG(i)}`),
  '--mx-host=example.test,mail.example.test,10',
  '--cname=alias.example.test,multi.example.test',
  '--txt-record=evil.example.test,ok\x1b[31mRED\x07',
];

function dnsTarget(port: number, dns: Record<string, unknown>, extra: Record<string, unknown> = {}): Target {
  const { target, problems } = validateTarget({ kind: 'dns', host: '127.0.0.1', port, timeout: '1s', dns, ...extra }, BUILTIN_DEFAULTS);
  assert.deepEqual(problems, []);
  return target!;
}

describe('dns targets in the config', () => {
  it('the server is the host and port (53 by default); the block is required and checked', () => {
    const t = validateTarget({ kind: 'dns', host: '127.0.0.1', dns: { query: 'example.test', type: 'MX' } }, BUILTIN_DEFAULTS).target!;
    assert.equal(t.port, 53);
    assert.equal(dnsKind.describe(t), 'dns MX example.test @127.0.0.1:53');
    assert.equal(t.name, 'dns MX example.test @127.0.0.1:53');
    const problems = (raw: Record<string, unknown>) => validateTarget(raw, BUILTIN_DEFAULTS).problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(problems({ kind: 'dns', host: '127.0.0.1' }), /kind: "kind": "dns" needs a "dns" block/);
    assert.match(problems({ kind: 'dns', host: '127.0.0.1', dns: { query: 'example.test', type: 'PTR' } }), /dns\.type: expected a record type: A, AAAA, MX, TXT, CNAME, NS, SOA/);
    assert.match(problems({ kind: 'dns', host: '127.0.0.1', dns: { query: 'bad name!' } }), /dns\.query: expected a domain name/);
    assert.match(problems({ kind: 'dns', host: '127.0.0.1', dns: { query: 'a.test', expct: ['1.2.3.4'] } }), /expct/);
    assert.match(problems({ kind: 'kafka', host: '127.0.0.1', port: 9092 }), /kind: expected a check kind: tcp, ping, dns/);
  });

  it('compares answers as sets, names without case or final dot', () => {
    assert.ok(answersMatch('A', ['10.0.0.3', '10.0.0.2'], ['10.0.0.2', '10.0.0.3']));
    assert.ok(answersMatch('MX', ['10 Mail.Example.Test'], ['10 mail.example.test.']));
    assert.ok(!answersMatch('A', ['10.0.0.2'], ['10.0.0.2', '10.0.0.3']));
    assert.ok(!answersMatch('TXT', ['Hello'], ['hello']));
  });
});

describe('dns queries to a dnsmasq of the test\'s own', { skip: DNSMASQ ? false : 'needs dnsmasq (Debian package dnsmasq-base)' }, () => {
  let port: number;
  let dir: string;
  let server: ChildProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-dns-'));
    port = await freePort();
    server = await startDnsmasq(port, dir, RECORDS);
  });
  after(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every record type asked, with the query time as the main figure', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ query: 'a.example.test' }, ['10.0.0.1']],
      [{ query: 'multi.example.test', type: 'A' }, ['10.0.0.2', '10.0.0.3']],
      [{ query: 'v6.example.test', type: 'AAAA' }, ['fd00::1']],
      [{ query: 'txt.example.test', type: 'TXT' }, ['v=spf1 -all']],
      [{ query: 'example.test', type: 'MX' }, ['10 mail.example.test']],
      [{ query: 'alias.example.test', type: 'CNAME' }, ['multi.example.test']],
    ];
    for (const [q, answers] of cases) {
      const r = await runDns(dnsTarget(port, q));
      assert.equal(r.outcome, 'open', `${JSON.stringify(q)}: ${r.detail ?? ''}`);
      assert.deepEqual(r.dns?.answers, answers);
      assert.equal(r.dns?.rcode, 'NOERROR');
      assert.equal(r.connectMs, r.dns?.queryMs);
      assert.ok(r.connectMs! > 0);
    }
  });

  it('expected answers: a match is UP, a difference is a mismatch with both sides in the evidence', async () => {
    const ok = await runDns(dnsTarget(port, { query: 'multi.example.test', expect: ['10.0.0.3', '10.0.0.2'] }));
    assert.equal(ok.outcome, 'open');
    const bad = await runDns(dnsTarget(port, { query: 'multi.example.test', expect: ['10.0.0.2'] }));
    assert.equal(bad.outcome, 'mismatch');
    assert.equal(bad.detail, 'A multi.example.test answered 10.0.0.2, 10.0.0.3; expected 10.0.0.2');
    assert.equal(conditionOf(bad, 1000).condition, 'DOWN');
  });

  it('NXDOMAIN and an empty answer are DOWN (cause dns), a refused query is DOWN (refused)', async () => {
    const nx = await runDns(dnsTarget(port, { query: 'missing.example.test' }));
    assert.equal(nx.outcome, 'dns');
    assert.equal(nx.dns?.rcode, 'NXDOMAIN');
    assert.match(nx.detail ?? '', /does not exist \(NXDOMAIN\)/);
    const empty = await runDns(dnsTarget(port, { query: 'multi.example.test', type: 'MX' }));
    assert.equal(empty.outcome, 'dns');
    assert.equal(empty.dns?.rcode, 'NOERROR');
    // Outside its local zone, with nothing to forward to, dnsmasq refuses.
    const refused = await runDns(dnsTarget(port, { query: 'elsewhere.test' }));
    assert.equal(refused.outcome, 'refused');
    assert.equal(refused.dns?.rcode, 'REFUSED');
  });

  it('a truncated UDP answer is asked again over TCP (c-ares), and every record comes back', async () => {
    const r = await runDns(dnsTarget(port, { query: 'big.example.test', type: 'TXT' }));
    assert.equal(r.outcome, 'open', r.detail);
    assert.deepEqual(r.dns?.answers, [1, 2, 3, 4, 5].map(LONG));
  });

  it('answers from the network reach the detail lines without control characters', async () => {
    const r = await runDns(dnsTarget(port, { query: 'evil.example.test', type: 'TXT' }));
    assert.equal(r.outcome, 'open');
    for (const line of [...dnsKind.detailLines(r), dnsKind.okNote(r), ...(r.dns?.answers ?? [])]) {
      assert.doesNotMatch(line, /[\x00-\x1f\x7f]/, line);
    }
    assert.match(r.dns!.answers[0]!, /RED/);
  });
});

describe('dns servers that do not answer', () => {
  let silent: UdpSocket;
  let servfail: UdpSocket;
  before(async () => {
    // A black hole: reads queries, never answers.
    silent = createSocket('udp4').on('message', () => {});
    // A stand-in that answers every query SERVFAIL (its header: QR set, RCODE 2).
    servfail = createSocket('udp4').on('message', (msg, rinfo) => {
      const reply = Buffer.from(msg);
      reply[2] = 0x80 | (msg[2]! & 0x01);
      reply[3] = 0x80 | 2;
      servfail.send(reply, rinfo.port, rinfo.address);
    });
    await Promise.all([silent, servfail].map((s) => new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))));
  });
  after(() => {
    silent.close();
    servfail.close();
  });

  it('no answer within the timeout: DOWN, cause timeout', async () => {
    const r = await runDns(dnsTarget(silent.address().port, { query: 'example.test' }, { timeout: '300ms' }));
    assert.equal(r.outcome, 'timeout');
    assert.equal(r.errno, 'ETIMEOUT');
    assert.ok(r.totalMs < 3000, `bounded: ${r.totalMs}ms`);
  });

  it('SERVFAIL: DOWN, cause error, rcode kept', async () => {
    const r = await runDns(dnsTarget(servfail.address().port, { query: 'example.test' }));
    assert.equal(r.outcome, 'error');
    assert.equal(r.dns?.rcode, 'SERVFAIL');
  });

  it('nothing listening on the port: DOWN, cause refused', async () => {
    const port = await freePort();
    const r = await runDns(dnsTarget(port, { query: 'example.test' }));
    assert.equal(r.outcome, 'refused', r.detail);
  });
});
