// quickParse (src/cli/quick-args.ts) reads the usual command lines without util.parseArgs: whatever it
// answers must be what parseCommand answers, and what it declines goes to parseCommand unchanged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { parseCommand } from '../../src/cli/command-spec.js';
import { quickParse } from '../../src/cli/quick-args.js';
import { CHECK, COMMANDS } from '../../src/cli/specs.js';

const sink = () => new Writable({ write: (_c, _e, next) => next() });
const full = (spec: typeof CHECK, argv: string[]) => parseCommand(spec, argv, { out: sink(), err: sink() });
// Compared as plain objects: both have null-prototype values.
const plain = (p: { values: object; args: string[] }) => ({ values: { ...p.values }, args: p.args });

const TAKEN: string[][] = [
  ['-H', '127.0.0.1', '-p', '5432', '--retries', '0'],
  ['127.0.0.1:22', 'localhost:80', '--json'],
  ['--hostname', 'db', '--port', 'postgres', '-w', '0.5', '-c', '1', '-t', '3', '--retry-delay', '500ms', '-4'],
  ['-6', '::1:22'],
  ['--config', 'x.json', '--json'],
  ['-H', 'a', '-H', 'b', '-p', '1'],
  ['-H', '', '-p', '1'],
  ['--4', 'a:1'],
  [],
];
const DECLINED: string[][] = [
  ['--help'],
  ['-h'],
  ['-H', '127.0.0.1', '-p', '1', '-h'],
  ['--bogus'],
  ['-x'],
  ['--retries=0', 'a:1'],
  ['-46', 'a:1'],
  ['-Hlocalhost', '-p', '1'],
  ['--', '-a:1'],
  ['-', 'a:1'],
  ['-H'],
  ['-H', '-p', '1'],
  ['-p', '-1', '-H', 'a'],
  ['--json=yes'],
  ['--__proto__', 'x'],
  ['--constructor'],
];

describe('quickParse', () => {
  it('answers the usual check command lines as parseCommand does', () => {
    for (const argv of TAKEN) {
      const quick = quickParse(CHECK, argv);
      assert.ok(quick, `taken: ${argv.join(' ')}`);
      const slow = full(CHECK, argv);
      assert.ok(!('exit' in slow), argv.join(' '));
      assert.deepEqual(plain(quick), plain(slow), argv.join(' '));
      assert.equal(Object.getPrototypeOf(quick.values), null);
    }
  });

  it('declines what it cannot be sure of, leaving help and errors to parseCommand', () => {
    for (const argv of DECLINED) assert.equal(quickParse(CHECK, argv), undefined, argv.join(' '));
  });

  it('agrees with parseCommand on every command, its defaults, choices and positional limits', () => {
    for (const spec of COMMANDS) {
      const lines: string[][] = [[], ['one'], ['one', 'two']];
      for (const [name, o] of Object.entries(spec.options)) {
        const value = o.choices?.[0] ?? 'v';
        lines.push(o.type === 'boolean' ? [`--${name}`] : [`--${name}`, value]);
        if (o.short) lines.push(o.type === 'boolean' ? [`-${o.short}`] : [`-${o.short}`, value]);
        if (o.choices) lines.push([`--${name}`, 'not-a-choice']);
      }
      for (const argv of lines) {
        const quick = quickParse(spec, argv);
        const slow = full(spec, argv);
        if (quick) assert.deepEqual(plain(quick), 'exit' in slow ? slow : plain(slow), `${spec.name} ${argv.join(' ')}`);
        else if (argv.length === 0) assert.fail(`${spec.name}: an empty command line is always taken`);
      }
    }
  });
});
