// The installed command is the bundle in dist/bin (src/build/bundle.mjs): porthole.cjs, which runs
// `check` as one CommonJS file with a V8 code cache and hands every other command to main.js; the rest
// of the suite runs the unbundled dist/cli. This checks that the bundle (both entries) answers as the
// unbundled code does and that a one-shot check loads nothing it does not use: no dependency at all,
// one file of ours as a module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, listen, type Listener } from '../helpers/net.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist/bin/porthole.cjs');
// The ES module entry of the bundle: every command but check, and check too when started from it.
const MAIN = join(ROOT, 'dist/bin/main.js');
const UNBUNDLED = join(ROOT, 'dist/cli/main.js');

describe('the bundled command (dist/bin)', () => {
  let l: Listener;
  let closed: number;
  let dir: string;
  before(async () => {
    l = await listen();
    closed = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'ph-bundle-'));
  });
  after(async () => {
    await l.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (main: string, args: string[], nodeArgs: string[] = []) =>
    spawnSync(process.execPath, [...nodeArgs, main, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORTHOLE_CONFIG_DIR: dir } });

  it('is the package bin, executable, and answers as the unbundled code does', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin.porthole, 'dist/bin/porthole.cjs');
    assert.ok((statSync(BIN).mode & 0o111) !== 0, 'executable');
    for (const args of [
      ['check', '-H', '127.0.0.1', '-p', String(l.port), '--retries', '0'],
      ['check', '-H', '127.0.0.1', '-p', String(closed), '--retries', '0'],
      ['check', '-H', 'x y', '-p', '1'],
      ['help', 'check'],
    ]) {
      const b = run(UNBUNDLED, args);
      for (const main of [BIN, MAIN]) {
        const a = run(main, args);
        assert.equal(a.status, b.status, `${main} ${args.join(' ')}: ${a.stdout} / ${b.stdout}`);
        // Timings differ between runs: compare the words.
        const words = (s: string) => s.replace(/\d+\.\d+ second/g, 'T second').replace(/[\d.]+(ms|s)\b/g, 'T').replace(/time=[^ ]*/g, 'time=T');
        assert.equal(words(a.stdout), words(b.stdout), `${main} ${args.join(' ')}`);
        assert.equal(a.stderr, b.stderr, `${main} ${args.join(' ')}`);
      }
    }
    assert.equal(run(BIN, ['check', '-H', '127.0.0.1', '-p', String(closed), '--retries', '0']).status, 2);
    const v = run(BIN, ['--version', '--verbose']);
    assert.equal(v.status, 0);
    // ink's six files (ink.js for its throttle import), string-width's, ansi-tokenize's two
    assert.equal(v.stdout.match(/ patched$/gm)?.length, 9, v.stdout);
  });

  it('a check that needs the lazily loaded parts (config reader, layers, other kinds, --json) answers as the unbundled code does', () => {
    // check-cmd.js is bundled apart from these (src/build/bundle.mjs): a bad config must still read as
    // one, and each kind must run.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "targets": [{ "host": "127.0.0.1", "port": "x" }] }');
    const kinds = join(dir, 'kinds.json');
    writeFileSync(
      kinds,
      JSON.stringify({
        targets: [
          { name: 'plain', host: '127.0.0.1', port: l.port },
          { name: 'banner', host: '127.0.0.1', port: closed, service: 'redis', check: 'banner' },
          { name: 'web', kind: 'http', http: { url: `http://127.0.0.1:${closed}/` } },
        ],
      }),
    );
    for (const args of [
      ['check', '--config', bad],
      ['check', '--config', kinds, '--retries', '0'],
    ]) {
      const a = run(BIN, args);
      const b = run(UNBUNDLED, args);
      assert.equal(a.status, b.status, `${args.join(' ')}: ${a.stdout} / ${b.stdout}`);
      assert.equal(a.stdout.replace(/[\d.]+(ms|s)\b/g, 'T'), b.stdout.replace(/[\d.]+(ms|s)\b/g, 'T'), args.join(' '));
    }
    assert.match(run(BIN, ['check', '--config', bad]).stdout, /^TCP UNKNOWN - invalid config\n[\s\S]*targets\[0\]\.port: expected a port number/m);
    const json = (main: string) => {
      const r = JSON.parse(run(main, ['check', '--config', kinds, '--retries', '0', '--json']).stdout) as {
        status: string;
        results: { status: string }[];
        diagnosis: unknown[];
      };
      return { status: r.status, results: r.results.map((x) => x.status), diagnosis: r.diagnosis.length };
    };
    assert.deepEqual(json(BIN), json(UNBUNDLED));
  });

  it('the check runs from its code cache, and answers the same when V8 rejects the cache', () => {
    assert.ok(statSync(join(ROOT, 'dist/bin/check-cmd.cjs.cache')).size > 10_000, 'the build saved a code cache');
    const args = ['check', '-H', '127.0.0.1', '-p', String(closed), '--retries', '0'];
    const cached = run(BIN, args);
    // Other V8 flags than the build's: V8 refuses the cache and the bundle compiles as usual.
    const rejected = run(BIN, args, ['--no-opt']);
    assert.equal(cached.status, 2, cached.stdout + cached.stderr);
    assert.equal(rejected.status, 2, rejected.stdout + rejected.stderr);
    assert.equal(rejected.stdout, cached.stdout);
    assert.equal(rejected.stderr, '');
  });

  it('a one-shot check loads no dependency and only a few files of its own', () => {
    // A load hook of the test's own writes every module URL the process loads.
    const log = join(dir, 'loaded.txt');
    const hook = join(dir, 'hook.mjs');
    writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`);
    const reg = join(dir, 'register.mjs');
    writeFileSync(reg, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
    const r = run(BIN, ['check', '-H', '127.0.0.1', '-p', String(l.port), '--retries', '0'], ['--no-warnings', '--import', pathToFileURL(reg).href]);
    assert.equal(r.status, 0, r.stderr);
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    const ours = urls.filter((u) => u.includes('/dist/'));
    const deps = urls.filter((u) => u.includes('/node_modules/'));
    const builtins = urls.filter((u) => u.startsWith('node:'));
    assert.deepEqual(deps, [], 'no dependency loaded');
    // A guard against the check path growing, not a goal (bench/coldstart measures the time): porthole.cjs,
    // which reads check-cmd.cjs itself (22 files when the check was split with every other command).
    assert.ok(ours.length > 0 && ours.length <= 2, `${ours.length} files of ours: ${ours.join(' ')}`);
    for (const heavy of ['node:tls', 'node:crypto', 'node:http', 'node:zlib']) assert.ok(!builtins.includes(heavy), `${heavy} not loaded`);
  });
});
