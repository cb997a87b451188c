import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configForDisplay, targetToConfig } from '../../src/config/display.js';
import { loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';

/** The config's second target carries the steps, so paths say targets[1]. */
const config = (target: object) => JSON.stringify({ targets: [{ name: 'first', host: '127.0.0.1', port: 80 }, { name: 'irc', host: '127.0.0.1', port: 6667, ...target }] });

function problems(target: object, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfigText('test.json', config(target), env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  assert.fail('expected the config to be rejected');
}

describe('conversation steps in the config', () => {
  it('loads a valid conversation as probe options and shows it back as written', () => {
    const steps = [{ send: 'NICK p\r\n' }, { expect: '^PING :(\\S+)$' }, { send: 'PONG :${1}\r\n' }, { starttls: true }, { send: { hex: '0d0a' } }];
    const cfg = loadConfigText('ok.json', config({ steps, readTimeout: '3s' }), {});
    const t = cfg.targets[1]!;
    assert.deepEqual(t.probe?.steps, steps);
    assert.equal(t.probe?.readTimeoutMs, 3000);
    assert.deepEqual(targetToConfig(t, cfg.defaults).steps, steps);
  });

  it('names the JSON path of a bad regex, a bad escape and a malformed capture', () => {
    const p = problems({ steps: [{ expect: 'PING :(\\S+' }, { send: 'a\\q' }, { send: 'x ${' }] });
    assert.ok(p.some((x) => /^targets\[1\]\.steps\[0\]\.expect: not a valid regular expression: .*Unterminated group/.test(x)), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('targets[1].steps[1].send: unknown escape "\\q"')), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('targets[1].steps[2].send: "${" at position 3 must be ${number}, ${name}')), p.join('\n'));
  });

  it('rejects a capture no earlier expect defines', () => {
    assert.match(problems({ steps: [{ send: 'X ${1}\n' }] })[0]!, /^targets\[1\]\.steps\[0\]\.send: \$\{1\} refers to a capture, but no "expect" step comes before it/);
    assert.match(problems({ steps: [{ expect: '^PING :(\\S+)$' }, { send: 'PONG :${2}\n' }] })[0]!, /^targets\[1\]\.steps\[1\]\.send: \$\{2\} refers to capture 2, but the expect at steps\[0\] has 1 group/);
    assert.match(problems({ steps: [{ expect: '^(?<a>x)$' }, { send: '${b}\n' }] })[0]!, /^targets\[1\]\.steps\[1\]\.send: \$\{b\} refers to a named capture no earlier "expect" defines/);
    // Named captures stay defined across later expects; numbered ones are the latest expect's.
    assert.doesNotThrow(() => loadConfigText('ok.json', config({ steps: [{ expect: '^(?<a>x)(y)$' }, { expect: '^z$' }, { send: '${a} ${0}\n' }] }), {}));
    assert.match(problems({ steps: [{ expect: '^(?<a>x)(y)$' }, { expect: '^z$' }, { send: '${1}\n' }] })[0]!, /steps\[2\]\.send: \$\{1\} refers to capture 1, but the expect at steps\[1\] has 0 groups/);
  });

  it('one action per step, known keys, a non-empty list', () => {
    assert.match(problems({ steps: [{ expect: 'a', send: 'b' }] })[0]!, /^targets\[1\]\.steps\[0\]: expected one action per step, got "send" and "expect": make them separate steps/);
    assert.ok(problems({ steps: [{ sendd: 'x' }] }).some((x) => /^targets\[1\]\.steps\[0\]\.sendd: unknown key "sendd" — did you mean "send"\? \(allowed: send, expect, starttls\)/.test(x)));
    assert.match(problems({ steps: [{ starttls: false }] })[0]!, /^targets\[1\]\.steps\[0\]\.starttls: expected true/);
    assert.match(problems({ steps: [] })[0]!, /^targets\[1\]\.steps: expected at least one step/);
    assert.match(problems({ steps: 'PING' })[0]!, /^targets\[1\]\.steps: expected a list of steps/);
  });

  it('steps replace send/expect, the banner preset and target-level starttls', () => {
    const p = problems({ service: 'smtp', steps: [{ expect: '^220' }], send: 'x', expect: 'y', check: 'banner' });
    for (const key of ['send', 'expect', 'check']) assert.ok(p.some((x) => x.startsWith(`targets[1].${key}: cannot be combined with "steps"`)), p.join('\n'));
  });

  it('one TLS upgrade: not after "tls": true, not twice', () => {
    assert.match(problems({ tls: true, steps: [{ starttls: true }] })[0]!, /^targets\[1\]\.steps\[0\]\.starttls: the connection is already TLS here \("tls": true\)/);
    assert.match(problems({ steps: [{ starttls: true }, { send: 'x' }, { starttls: true }] })[0]!, /^targets\[1\]\.steps\[2\]\.starttls: the connection is already TLS here \(the starttls at steps\[0\]\)/);
  });

  it('a starttls step lets the TLS options apply', () => {
    const cfg = loadConfigText('ok.json', config({ steps: [{ send: 'STARTTLS\r\n' }, { starttls: true }], tlsVerify: false, sni: 'irc.test', certWarnDays: 7 }), {});
    assert.equal(cfg.targets[1]!.probe?.tlsVerify, false);
    assert.match(problems({ steps: [{ send: 'x' }], sni: 'irc.test' })[0]!, /^targets\[1\]\.sni: only applies with/);
  });
});

describe('${env:} in what a check sends', () => {
  const env = { H3_REDIS_PASSWORD: 'pa55-w0rd-xyz' };
  it('stays a reference in the target: config show and the saved console targets never hold the value', () => {
    const steps = [{ send: 'AUTH ${env:H3_REDIS_PASSWORD}\r\n' }, { expect: '^\\+OK' }];
    const cfg = loadConfigText('ok.json', JSON.stringify({ targets: [{ name: 'r', host: '127.0.0.1', port: 6379, steps }, { name: 's', host: '127.0.0.1', port: 6380, send: 'AUTH ${env:H3_REDIS_PASSWORD}\r\n', expect: '+OK' }] }), env);
    assert.deepEqual(cfg.targets[0]!.probe?.steps, steps);
    assert.equal(cfg.targets[1]!.probe?.send, 'AUTH ${env:H3_REDIS_PASSWORD}\r\n');
    const shown = JSON.stringify(configForDisplay(cfg.defaults, cfg.targets, cfg.raw));
    assert.ok(!shown.includes(env.H3_REDIS_PASSWORD), shown);
    assert.ok(shown.includes('AUTH ${env:H3_REDIS_PASSWORD}'), shown);
  });

  it('an unset variable is still a load error at the path that uses it', () => {
    assert.deepEqual(problems({ steps: [{ expect: '^220' }, { send: 'AUTH ${env:H3_UNSET_VAR}\r\n' }] }), ['targets[1].steps[1].send: environment variable H3_UNSET_VAR is not set (used as ${env:H3_UNSET_VAR})']);
  });
});
