import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoveredConfig } from '../../src/discover/config-out.js';
import { commonPorts, parsePorts } from '../../src/discover/ports.js';

describe('discover port specs and config output', () => {
  it('parses common, ranges, lists and mixes; rejects nonsense', () => {
    assert.ok(Array.isArray(parsePorts('common')) && commonPorts().includes(6379));
    assert.deepEqual(parsePorts('22,80,20-22'), [20, 21, 22, 80]);
    assert.equal((parsePorts('1-1024') as number[]).length, 1024);
    assert.ok('error' in (parsePorts('0-5') as object));
    assert.ok('error' in (parsePorts('http') as object));
  });
  it('a confirmed service gets check "banner"; an unnamed port a plain TCP check', () => {
    const c = discoveredConfig('127.0.0.1', [
      { port: 6379, state: 'open', service: 'redis', confirmed: true },
      { port: 7777, state: 'open' },
    ]) as { targets: Record<string, unknown>[] };
    assert.equal(c.targets[0]!.check, 'banner');
    assert.equal(c.targets[1]!.check, undefined);
    assert.equal(c.targets[1]!.name, '127.0.0.1:7777');
  });
});
