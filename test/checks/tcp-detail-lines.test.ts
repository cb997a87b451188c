import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeResult } from '../../src/probe/types.js';
import { addressLines, layerLines, phasesLine } from '../../src/checks/tcp/detail-lines.js';

const base: ProbeResult = { outcome: 'open', startedAt: 0, dnsMs: 1.2, connectMs: 0.5, totalMs: 9, address: '127.0.0.1', family: 4 };

describe('detail pane: the layers of a check', () => {
  it('shows every phase apart, and no DNS for an IP literal', () => {
    const line = phasesLine({ ...base, phases: { dnsMs: 1.2, connectMs: 0.5, tlsMs: 3.25, firstByteMs: 0.4, totalMs: 9 } });
    assert.match(line, /^dns [\d.]+ms · connect [\d.]+ms · tls [\d.]+ms · first byte [\d.]+ms · total [\d.]+ms$/);
    assert.match(phasesLine({ ...base, dnsMs: null }), /^dns — \(IP literal\) · connect /);
    assert.match(phasesLine({ ...base, connectMs: 0.0123, clock: 'kernel-tcp_info' }), / · connect 0\.012ms \(kernel\) · /);
    assert.match(phasesLine({ ...base, connectMs: 2.5, clock: 'js-monotonic' }), / · connect 2\.50ms \(js clock\) · /);
    assert.doesNotMatch(phasesLine(base), /tls|first byte/, 'phases that did not happen are left out');
  });

  it('names the service answer, the certificate and its days to expiry, the HTTP status', () => {
    const lines = layerLines({
      ...base,
      banner: { text: '+PONG', bytes: 7, matched: true, readTimedOut: false, expected: '+PONG or -NOAUTH', note: 'PONG', preset: 'redis' },
      tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', subject: 'CN=db1', issuer: 'CN=ca', validFrom: '', validTo: '', daysToExpiry: 3, authorized: true },
      http: { status: 503, ttfbMs: 12, matched: false },
    });
    assert.match(lines[0]!, /^answer: PONG \(redis preset\)$/);
    assert.match(lines[1]!, /TLSv1\.3 .* CN=db1 · issuer CN=ca · expires in 3 days$/);
    assert.match(lines[2]!, /^http: 503 \(unexpected\)/);
  });

  it('says what was expected when the answer is wrong, sanitized', () => {
    const [line] = layerLines({ ...base, outcome: 'mismatch', banner: { text: 'HTTP/1.1 400\x1b]52;c;x\x07', bytes: 20, matched: false, readTimedOut: false, expected: '/^SSH-/' } });
    assert.match(line!, /expected \/\^SSH-\/$/);
    assert.doesNotMatch(line!, /\x1b|\x07/);
  });

  it('lists every address of a name with its own outcome', () => {
    const lines = addressLines({
      ...base,
      addresses: [
        { address: '127.0.0.1', family: 4, outcome: 'open', connectMs: 0.3, tlsMs: null, firstByteMs: null, totalMs: 1 },
        { address: '::1', family: 6, outcome: 'refused', connectMs: null, tlsMs: null, firstByteMs: null, totalMs: 1, errno: 'ECONNREFUSED' },
      ],
    });
    assert.equal(lines[0], 'addresses: 1 of 2 answering');
    assert.match(lines[1]!, /v4 127\.0\.0\.1 +open · connect/);
    assert.match(lines[2]!, /v6 ::1 +refused \(ECONNREFUSED\)/);
  });
});
