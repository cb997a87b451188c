import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitize } from '../../src/text/sanitize.js';

describe('sanitize: untrusted text on its way to a terminal', () => {
  const cases: [string, string, string][] = [
    ['plain text untouched', 'redis 7.0 ready', 'redis 7.0 ready'],
    ['OSC 52 clipboard write removed', 'a\x1b]52;c;ZXZpbA==\x07b', 'ab'],
    ['OSC window title (ST terminated) removed', '\x1b]0;pwned\x1b\\name', 'name'],
    ['OSC 8 hyperlink removed, text kept', '\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['CSI clear screen removed', 'x\x1b[2Jy', 'xy'],
    ['SGR colour removed', '\x1b[31mred\x1b[0m', 'red'],
    ['8-bit CSI removed', '\x9b31mred', 'red'],
    ['DCS removed', '\x1bPqdata\x1b\\ok', 'ok'],
    ['ESC c (full reset) removed', 'a\x1bcb', 'ab'],
    ['trailing lone ESC removed', 'ab\x1b', 'ab'],
    ['CR, BS, BEL become visible', 'r\rb\bz\x07', 'r\\rb\\bz\\a'],
    ['newline and tab become visible', 'a\nb\tc', 'a\\nb\\tc'],
    ['other C0 and C1 become hex escapes', 'a\x01b\x85c', 'a\\x01b\\x85c'],
    ['bidi override becomes visible', 'invoice\u202Efdp.exe', 'invoice\\u202efdp.exe'],
    ['non-ASCII printable kept', 'café ☃ 東京', 'café ☃ 東京'],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => assert.equal(sanitize(input), expected));
  }

  it('caps the length with an ellipsis', () => {
    const out = sanitize('x'.repeat(500), 50);
    assert.equal(out.length, 50);
    assert.ok(out.endsWith('…'));
  });

  it('never leaves an ESC or a control character, whatever the input', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: 40 }, () => String.fromCharCode(rnd() < 0.5 ? Math.floor(rnd() * 0xa0) : 0x20 + Math.floor(rnd() * 0x2100))).join('');
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(sanitize(s), /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('turns non-strings into text', () => {
    assert.equal(sanitize(undefined), '');
    assert.equal(sanitize(42), '42');
  });
});
