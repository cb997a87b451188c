import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from '../../src/config/limits.js';
import { loadConfigFile } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('../fixtures/config-corpus/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ph-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function porthole(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PORTHOLE_CONFIG_DIR: join(dir, 'state') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What `config validate` prints for a file (in-process: a node start per corpus file is slow on a shared machine). */
function report(file: string): string {
  try {
    loadConfigFile(file, {});
  } catch (e) {
    if (e instanceof ConfigError) return `${e.report()}\n`;
    throw e;
  }
  assert.fail(`${file} was accepted`);
}

function assertGoodReport(file: string, text: string, expected: RegExp): void {
  assert.ok(text.startsWith(`${file}: invalid config`), `names the file: ${text}`);
  assert.match(text, expected);
  assert.doesNotMatch(text, /internal error|\n\s+at |Maximum call stack/);
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/, 'no control character reaches the terminal');
}

/** A bad file: a ConfigError naming the file with the expected message, never a crash. */
function rejects(file: string, expected: RegExp): string {
  const text = report(file);
  assertGoodReport(file, text, expected);
  return text;
}

/** The same through `porthole config validate`: exit 2 too. */
function cliRejects(file: string, expected: RegExp): void {
  const r = porthole('config', 'validate', file);
  assert.equal(r.code, 2, `${file}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  assertGoodReport(file, r.stderr, expected);
}

const deep = (levels: number) => `{"targets": [], "x": ${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('hostile and careless config files (test/fixtures/config-corpus and generated)', () => {
  it('a UTF-8 byte-order mark is accepted', () => {
    const r = porthole('config', 'validate', join(CORPUS, 'bom.json'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OK, 1 target/);
  });

  it('a trailing comma is named as such, at the comma', () => {
    for (const name of ['trailing-comma-object.json', 'trailing-comma-array.json']) {
      const file = join(CORPUS, name);
      const lines = (spawnSync('cat', [file], { encoding: 'utf8' }).stdout ?? '').split('\n');
      const column = lines[2]!.lastIndexOf(',') + 1;
      rejects(file, new RegExp(`line 3, column ${column}: trailing comma: remove the "," before "[}\\]]"`));
    }
  });

  it('nesting thousands of levels deep: exit 2, the limit named, no stack overflow', () => {
    for (const levels of [MAX_CONFIG_DEPTH + 1, 5_000, 200_000]) {
      const file = join(dir, `deep-${levels}.json`);
      writeFileSync(file, deep(levels));
      const expected = new RegExp(`line 1, column ${'{"targets": [], "x": '.length + MAX_CONFIG_DEPTH}: nested more than ${MAX_CONFIG_DEPTH} levels deep`);
      if (levels === 5_000) cliRejects(file, expected);
      else rejects(file, expected);
    }
    const ok = join(dir, 'brackets-in-strings.json');
    writeFileSync(ok, JSON.stringify({ targets: [{ name: '['.repeat(60), host: '127.0.0.1', port: 22, tags: ['{\\"'.repeat(10)] }] }));
    assert.equal(loadConfigFile(ok, {}).targets.length, 1, 'brackets and escaped quotes inside strings do not count');
  });

  it('a file over the size limit is refused before it is read whole, /dev/zero too', () => {
    const file = join(dir, 'huge.json');
    const targets = JSON.stringify({ name: 'a', host: '127.0.0.1', port: 22 });
    writeFileSync(file, `{"targets": [${targets}], "pad": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`);
    cliRejects(file, /the file is larger than 4 MiB/);
    if (existsSync('/dev/zero')) rejects('/dev/zero', /the file is larger than 4 MiB/);
  });

  it('a large valid config within the limit loads', () => {
    const file = join(dir, 'wide.json');
    const targets = Array.from({ length: 5_000 }, (_, i) => ({ name: `t${i}`, host: '127.0.0.1', port: 40_000 + (i % 10_000) }));
    writeFileSync(file, JSON.stringify({ targets }));
    assert.equal(loadConfigFile(file, {}).targets.length, 5_000);
  });

  it('a file with a hundred thousand problems lists the first hundred and counts the rest', () => {
    const dups = join(dir, 'dup-keys.json');
    writeFileSync(dups, `{"targets": []${',\n"a": 1'.repeat(100_001)}}`);
    const out = rejects(dups, /line 3, column 1: key "a" appears twice in the same object/);
    assert.match(out, /invalid config \(100000 problems\)/);
    assert.match(out, /line 101, column 1: key "a" appears twice/);
    assert.match(out, /… and 99900 more problems/);
    assert.equal(out.trimEnd().split('\n').length, 1 + 100 + 1);
    const many = join(dir, 'many-bad-targets.json');
    writeFileSync(many, JSON.stringify({ targets: Array.from({ length: 20_000 }, () => ({ host: '127.0.0.1', port: 0 })) }));
    assert.match(rejects(many, /targets\[99\]\.port: expected a port number/), /… and 19900 more problems/);
  });

  it('binary, UTF-16 and non-UTF-8 files are refused as such', () => {
    cliRejects(join(CORPUS, 'binary.json'), /not a text file: a NUL byte at byte 8/);
    rejects(join(CORPUS, 'utf16.json'), /the file is UTF-16 text; save it as UTF-8/);
    rejects(join(CORPUS, 'latin1.json'), /line 1, column 27: not UTF-8 text/);
  });

  it('the wordings for 1e400, a null target, a top-level list', () => {
    const big = rejects(join(CORPUS, 'port-1e400.json'), /targets\[0\]\.port: expected a port number \(an integer from 1 to 65535\), got a number too large to use/);
    assert.doesNotMatch(big, /got null/);
    const nul = rejects(join(CORPUS, 'null-target.json'), /targets\[0\]: expected a target: an object with "host" and "port" or "service", got null/);
    assert.doesNotMatch(nul, /received/);
    rejects(join(CORPUS, 'top-level-array.json'), /expected a JSON object with "targets", got a list/);
  });

  it('a host with a port in it says to use "port"', () => {
    const out = rejects(join(CORPUS, 'host-with-port.json'), /targets\[0\]\.host: a port does not belong in "host": write "host": "127\.0\.0\.1" and "port": 22/);
    assert.match(out, /targets\[1\]\.host: a port does not belong in "host": write "host": "::1" and "port": 22/);
    assert.match(out, /targets\[2\]\.host: a port does not belong in "host": write "host": "db1\.invalid" and "port": 5432/);
  });

  it('escape sequences in a key never reach the terminal', () => {
    // sanitize() drops whole escape sequences (the OSC title and the clear-screen): nothing of them is left.
    const out = rejects(join(CORPUS, 'escape-in-key.json'), /unknown key "[^"]*" \(allowed: /);
    assert.ok(!out.includes('\x1b'));
  });

  it('a "__proto__" key is an unknown key, not a prototype whose contents pass for config', () => {
    const out = rejects(join(CORPUS, 'proto-key.json'), /^  __proto__: unknown key "__proto__"/m);
    assert.match(out, /^  targets\[0\]\.__proto__: unknown key "__proto__"/m);
  });

  it('comments, an empty file, a truncated file, a directory', () => {
    rejects(join(CORPUS, 'comment.json'), /line 2, column 3: comments are not allowed in JSON/);
    rejects(join(CORPUS, 'empty.json'), /the file is empty/);
    rejects(join(CORPUS, 'whitespace.json'), /the file is empty/);
    rejects(join(CORPUS, 'truncated.json'), /may be truncated/);
    rejects(dir, /cannot read the config file: is a directory/);
  });

  it('check --config and notify test name the file and the limit too', () => {
    const file = join(dir, 'deep-check.json');
    writeFileSync(file, deep(5_000));
    const check = porthole('check', '--config', file);
    assert.equal(check.code, 3, check.stdout + check.stderr);
    assert.match(check.stdout, /invalid config/);
    assert.ok(check.stdout.includes(`${file}: invalid config`), check.stdout);
    assert.match(check.stdout, /nested more than 32 levels deep/);
    const notify = porthole('notify', 'test', '--config', file);
    assert.equal(notify.code, 2);
    assert.match(notify.stderr, /nested more than 32 levels deep/);
  });

  it('the console blames the config file, not its own state', { skip: which('script') ? false : 'script (util-linux) is not installed' }, () => {
    const file = join(dir, 'deep-ui.json');
    writeFileSync(file, deep(5_000));
    // `script` gives the console the terminal it insists on.
    const r = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ui --config ${JSON.stringify(file)}`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PORTHOLE_CONFIG_DIR: join(dir, 'state-ui') },
    });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /deep-ui\.json: invalid config/);
    assert.match(r.stdout, /nested more than 32 levels deep/);
    assert.doesNotMatch(r.stdout, /console state/);
  });
});
