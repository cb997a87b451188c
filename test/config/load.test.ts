import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, formatDuration } from '../../src/config/duration.js';
import { loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfigText('test.json', text, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => (p.line ? `${p.line}:${p.column} ${p.message}` : `${p.path}: ${p.message}`));
    throw e;
  }
  assert.fail('expected the config to be rejected');
}

const target = (extra: object) => JSON.stringify({ targets: [{ name: 'a', host: '127.0.0.1', port: 80, ...extra }] });

describe('durations', () => {
  it('reads ms, s, m, h and bare seconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration(3), 3000);
    assert.equal(parseDuration('3'), 3000);
    assert.equal(parseDuration('ten'), undefined);
    assert.equal(parseDuration(-1), undefined);
    assert.equal(formatDuration(125_000), '2m05s');
  });
});

describe('a valid config', () => {
  it('applies built-in defaults, then "defaults", then the target', () => {
    const cfg = loadConfigText(
      'ok.json',
      JSON.stringify({
        defaults: { interval: '30s', retries: 3 },
        targets: [
          { name: 'pg', host: 'db1.example', service: 'postgres' },
          { host: '::1', port: 6379, interval: 5, tags: ['cache'], family: 6 },
          { name: 'alt', host: '[::1]', service: 'postgres', port: 5433, timeout: '500ms' },
        ],
      }),
      {},
    );
    const [pg, v6, alt] = cfg.targets;
    assert.deepEqual(
      { port: pg!.port, interval: pg!.intervalMs, timeout: pg!.timeoutMs, retries: pg!.retries, retryDelay: pg!.retryDelayMs, slow: pg!.slowAfterMs },
      { port: 5432, interval: 30_000, timeout: 5000, retries: 3, retryDelay: 2000, slow: 1000 },
    );
    assert.equal(v6!.name, '[::1]:6379');
    assert.equal(v6!.service, 'redis');
    assert.equal(v6!.intervalMs, 5000);
    assert.equal(alt!.host, '::1');
    assert.equal(alt!.port, 5433, 'an explicit port wins over the service preset');
  });

  it('replaces ${env:NAME} from the environment', () => {
    const cfg = loadConfigText('env.json', target({ host: '${env:DB_HOST}' }), { DB_HOST: 'db7.internal' });
    assert.equal(cfg.targets[0]!.host, 'db7.internal');
  });

  it('the shipped example config is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../config.example.json', import.meta.url), 'utf8');
    const cfg = loadConfigText('config.example.json', text, {});
    assert.ok(cfg.targets.length >= 10);
    for (const t of cfg.targets) assert.ok(t.host === '127.0.0.1' || t.host === '::1' || t.host === 'localhost', `${t.name} stays on loopback`);
  });
});

describe('broken configs: each gives the specific message, never a stack trace', () => {
  const cases: [string, string, RegExp][] = [
    ['typo "retires"', target({ retires: 3 }), /targets\[0\]\.retires: unknown key "retires" — did you mean "retries"\?/],
    ['typo "intervall"', target({ intervall: '5s' }), /targets\[0\]\.intervall: unknown key "intervall" — did you mean "interval"\?/],
    ['typo in defaults', JSON.stringify({ defaults: { timout: '1s' }, targets: [] }), /defaults\.timout: unknown key "timout" — did you mean "timeout"\?/],
    ['typo at the top level', JSON.stringify({ target: [] }), /unknown key "target" — did you mean "targets"\?/],
    ['port as a string', target({ port: '80' }), /targets\[0\]\.port: expected a port number \(an integer from 1 to 65535\), got "80"/],
    ['port 0', target({ port: 0 }), /targets\[0\]\.port: expected a port number .*got 0/],
    ['port 70000', target({ port: 70000 }), /targets\[0\]\.port: expected a port number .*got 70000/],
    ['unknown service', JSON.stringify({ targets: [{ name: 'a', host: 'h', service: 'postgress' }] }), /targets\[0\]\.service: unknown service "postgress" — did you mean "postgres"\?/],
    ['neither port nor service', JSON.stringify({ targets: [{ name: 'a', host: 'h' }] }), /targets\[0\]: expected "port" or "service"/],
    ['bad duration', target({ interval: 'soon' }), /targets\[0\]\.interval: expected a duration such as "500ms", "10s", "2m" or a number of seconds, got "soon"/],
    ['duplicate names', JSON.stringify({ targets: [{ name: 'a', host: 'h', port: 1 }, { name: 'a', host: 'i', port: 2 }] }), /targets\[1\]\.name: duplicate name "a" \(also targets\[0\]\)/],
    ['missing env var', target({ host: '${env:PORTHOLE_TEST_UNSET}' }), /targets\[0\]\.host: environment variable PORTHOLE_TEST_UNSET is not set/],
    ['truncated JSON', '{"targets": [{"name": "a", "host": "h", "port": 1}', /^1:\d+ expected "]" \(the file may be truncated\)|^1:\d+ expected "\}" /],
    ['trailing comma', '{\n  "targets": [\n    {"name": "a", "host": "h", "port": 1},\n  ]\n}', /^3:42 trailing comma: remove the "," before "]"/],
    ['duplicate key', '{"targets": [{"name": "a", "host": "h", "port": 1, "port": 2}]}', /key "port" appears twice/],
    ['wrong type for retries', target({ retries: 'two' }), /targets\[0\]\.retries: expected a whole number of retries from 0 to 10, got "two"/],
    ['family 5', target({ family: 5 }), /targets\[0\]\.family: expected 4 or 6/],
    ['host with a scheme', target({ host: 'http://x' }), /targets\[0\]\.host: expected a host name or IP address/],
    ['targets not a list', JSON.stringify({ targets: {} }), /targets: expected a list of targets/],
    ['empty file', '', /the file is empty/],
    ['top level not an object', '[1,2]', /expected a JSON object with "targets"/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const found = problems(text);
      assert.ok(found.some((p) => expected.test(p)), `expected ${expected} in:\n${found.join('\n')}`);
      for (const p of found) assert.doesNotMatch(p, /\n\s+at /, 'no stack trace');
    });
  }

  it('reports every problem at once, not only the first', () => {
    const found = problems(JSON.stringify({ targets: [{ name: 'a', host: 'h', port: 0, retires: 1 }, { name: 'b', host: 'h', service: 'nope' }] }));
    assert.ok(found.length >= 3, found.join('\n'));
  });

  it('reports the line and column of a syntax error', () => {
    const [first] = problems('{\n  "targets": [\n    {"name": "a" "host": "h"}\n  ]\n}');
    assert.match(first!, /^3:18 expected/);
  });
});

describe('host, timing and stages', () => {
  it('a host with a port in it is an error that says to use "port"; IPv6 literals still work', () => {
    for (const [host, bare, port] of [['127.0.0.1:22', '127.0.0.1', 22], ['[::1]:6379', '::1', 6379], ['db1.invalid:5432', 'db1.invalid', 5432]] as const) {
      const [p] = problems(target({ host }));
      assert.equal(p, `targets[0].host: a port does not belong in "host": write "host": "${bare}" and "port": ${port}`);
    }
    for (const host of ['::1', '[::1]', 'fe80::1%lo', '2001:db8::1:22', '[2001:db8::1]', '::ffff:127.0.0.1']) {
      const cfg = loadConfigText('v6.json', target({ host }), {});
      assert.equal(cfg.targets[0]!.host, host.replace(/^\[|\]$/g, ''), host);
    }
    assert.match(problems(target({ host: '[127.0.0.1]' }))[0]!, /targets\[0\]\.host: expected a host name or IP address/);
  });

  it('a timeout longer than the interval is a warning that says how checks are then spaced', () => {
    const own = loadConfigText('t.json', target({ interval: '10s', timeout: '30s' }), {});
    assert.equal(own.warnings.length, 1);
    assert.equal(own.warnings[0]!.path, 'targets[0]');
    assert.match(own.warnings[0]!.message, /^timeout 30s is longer than the interval 10s: checks of a target never overlap, .* about every 40s instead of every 10s; set "timeout" to at most the interval/);
    const inherited = loadConfigText(
      'd.json',
      JSON.stringify({ defaults: { interval: '1s', timeout: '5s' }, targets: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 2 }, { host: '127.0.0.1', port: 3, timeout: '1s' }] }),
      {},
    );
    assert.deepEqual(inherited.warnings.map((w) => w.path), ['defaults']);
    assert.match(inherited.warnings[0]!.message, /about every 6s instead of every 1s.*\(2 targets use these defaults\)/);
    assert.deepEqual(loadConfigText('ok.json', target({ interval: '5s', timeout: '5s' }), {}).warnings, []);
  });

  it('reports the problems of every stage in one run: syntax aside, env, schema, duplicates, references', () => {
    const found = problems(
      JSON.stringify({
        defaults: { notify: ['oncal'] },
        notifiers: { oncall: { type: 'command', command: '/bin/true' } },
        targets: [
          { name: 'a', host: '127.0.0.1', port: 0, notify: ['pager'] },
          { name: 'b', host: '${env:UNSET_HOST_VAR}', port: 1 },
          { name: 'c', host: '127.0.0.1', port: 2 },
          { name: 'c', host: '127.0.0.1', port: 3 },
        ],
        maintenance: [{ targets: ['nope'], from: '01:00', to: '02:00' }],
      }),
    );
    const expect = [
      /^targets\[1\]\.host: environment variable UNSET_HOST_VAR is not set/,
      /^targets\[0\]\.port: expected a port number/,
      /^targets\[3\]\.name: duplicate name "c"/,
      /^defaults\.notify\[0\]: unknown notifier "oncal" — did you mean "oncall"\?/,
      /^targets\[0\]\.notify\[0\]: unknown notifier "pager"/,
    ];
    for (const re of expect) assert.ok(found.some((p) => re.test(p)), `${re} in:\n${found.join('\n')}`);
    // maintenance names are checked once every target is valid (an invalid target would only echo its own problem)
    assert.ok(!found.some((p) => p.startsWith('maintenance')), found.join('\n'));
    const windows = problems(JSON.stringify({ targets: [{ name: 'a', host: '127.0.0.1', port: 1 }], maintenance: [{ targets: ['b'], from: '01:00', to: '2:00' }] }));
    assert.ok(windows.some((p) => /^maintenance\[0\]\.to: expected a time of day/.test(p)) && windows.some((p) => /^maintenance\[0\]\.targets\[0\]: unknown target "b"/.test(p)), windows.join('\n'));
  });
});
