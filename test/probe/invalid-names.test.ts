import assert from 'node:assert/strict';
import dns from 'node:dns/promises';
import { syncBuiltinESMExports } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { isReservedInvalid, resolveAll, resolveHost } from '../../src/probe/resolve.js';
import { probeTcp } from '../../src/probe/tcp.js';

/**
 * RFC 6761 §6.4: names under .invalid never resolve, so no query for them may leave the machine.
 * The system resolver is replaced by a stub that records every name it is asked for: a check of
 * such a name must fail as `dns` without reaching it.
 */
describe('names under .invalid fail as dns without asking a resolver', () => {
  const asked: string[] = [];
  const realLookup = dns.lookup;
  before(() => {
    (dns as { lookup: unknown }).lookup = async (host: string) => {
      asked.push(host);
      throw Object.assign(new Error(`stub resolver asked for ${host}`), { code: 'ENOTFOUND' });
    };
    syncBuiltinESMExports();
  });
  after(() => {
    (dns as { lookup: unknown }).lookup = realLookup;
    syncBuiltinESMExports();
  });

  it('the stub is what porthole calls (a name outside .invalid reaches it)', async () => {
    await assert.rejects(resolveHost('stub-check.example', 0, 1000));
    assert.deepEqual(asked.splice(0), ['stub-check.example']);
  });

  for (const host of ['db.invalid', 'a.b.INVALID', 'invalid', 'x.invalid.']) {
    it(`plain check of ${host}: dns, ENOTFOUND, no lookup`, async () => {
      const r = await probeTcp({ host, port: 5432, timeoutMs: 2000, family: 0 });
      assert.equal(r.outcome, 'dns');
      assert.equal(r.errno, 'ENOTFOUND');
      assert.match(r.detail ?? '', /\.invalid never resolve \(RFC 6761\)/);
      assert.deepEqual(asked, []);
    });
  }

  it('layered check (banner, every address) of a .invalid name: dns, and the lookup seam is never called', async () => {
    const r = await probeTcp({ host: 'mq.porthole.invalid', port: 5672, timeoutMs: 2000, family: 0, service: 'amqp', options: { check: 'banner', addresses: 'all' } }, async (h) => {
      asked.push(h);
      return [];
    });
    assert.equal(r.outcome, 'dns');
    assert.equal(r.errno, 'ENOTFOUND');
    await assert.rejects(resolveAll('z.invalid', 4, 1000));
    assert.deepEqual(asked, []);
  });

  it('only .invalid itself is refused: look-alike names are not', () => {
    for (const ok of ['invalid.example', 'notinvalid', 'my-invalid', 'db.invalid.example', 'test', 'x.test', 'x.example']) assert.equal(isReservedInvalid(ok), false, ok);
    for (const bad of ['invalid', 'INVALID.', 'a.invalid', 'a.b.Invalid.']) assert.equal(isReservedInvalid(bad), true, bad);
  });
});
