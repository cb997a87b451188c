import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AddressResult } from '../../src/probe/types.js';
import { addressSummary, whyText } from '../../src/ui/model/rows.js';
import { view } from './fixtures.js';

const addr = (address: string, family: 4 | 6, outcome: AddressResult['outcome']): AddressResult => ({ address, family, outcome, connectMs: outcome === 'open' ? 0.3 : null, tlsMs: null, firstByteMs: null, totalMs: 1 });

describe('the WHY column for the deeper checks and maintenance', () => {
  it('a dual-stack name with one family failing reads "v4 up / v6 refused"', () => {
    const v = view('dual', 'SLOW', { monitor: { cause: 'partial' }, lastResult: { outcome: 'open', addresses: [addr('127.0.0.1', 4, 'open'), addr('::1', 6, 'refused')] } });
    assert.equal(addressSummary(v), 'v4 up / v6 refused');
    assert.equal(whyText(v), 'partial: v4 up / v6 refused');
  });

  it('a pool of backends reads "1 of 4 refused"; a DOWN name names its failing addresses', () => {
    const pool = [addr('10.0.0.1', 4, 'open'), addr('10.0.0.2', 4, 'refused'), addr('10.0.0.3', 4, 'open'), addr('10.0.0.4', 4, 'open')];
    assert.equal(addressSummary(view('pool', 'SLOW', { monitor: { cause: 'partial' }, lastResult: { outcome: 'open', addresses: pool } })), '1 of 4 refused');
    const down = view('dual', 'DOWN', { monitor: { cause: 'refused' }, lastResult: { outcome: 'refused', addresses: [addr('127.0.0.1', 4, 'refused'), addr('::1', 6, 'timeout')] } });
    assert.equal(whyText(down), 'refused (v4 refused / v6 timeout)');
  });

  it('a certificate near expiry says how many days are left', () => {
    const v = view('web', 'SLOW', {
      monitor: { cause: 'cert' },
      lastResult: { outcome: 'open', tls: { protocol: 'TLSv1.3', cipher: 'x', subject: 'CN=web', issuer: 'CN=ca', validFrom: '', validTo: '', daysToExpiry: 3, authorized: true } },
    });
    assert.equal(whyText(v), 'cert expires in 3d');
  });

  it('a target in a maintenance window is marked, its cause still shown', () => {
    const v = view('db', 'DOWN', { monitor: { cause: 'refused' } });
    assert.equal(whyText(v, 30, 'db upgrade'), '[maint] refused');
    assert.equal(whyText(view('ok', 'UP'), 30, 'db upgrade'), '[maint]');
  });
});

describe('the help overlay at 80×24', () => {
  it('still says where the config and the console state live, keys packed two a line', async () => {
    const { helpLines } = await import('../../src/ui/components/HelpOverlay.js');
    const lines = helpLines('/home/op/.config/porthole/console-state.json', '/etc/porthole.json', [], Date.now(), { width: 80, height: 20 });
    assert.ok(lines.length <= 20, `${lines.length} lines`);
    assert.ok(lines.some((l) => l.includes('/home/op/.config/porthole/console-state.json')));
    assert.ok(lines.some((l) => l.includes('/etc/porthole.json')));
    for (const l of lines) assert.ok(Array.from(l).length <= 80, l);
    assert.ok(lines.some((l) => /\bq +Ctrl-C/.test(l)), 'every key is still listed');
    // Two a line, no description is cut off with "…": a long one gives way to its brief form.
    const keys = lines.slice(0, lines.indexOf(''));
    for (const l of keys) assert.doesNotMatch(l, /…/, l);
    assert.ok(keys.some((l) => l.includes('detail pane on / off')));
  });
});
