import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { configForDisplay } from '../../src/config/display.js';
import { decodeToken, encodeToken, resultSubject } from '../../src/cluster/names.js';
import { BoundedQueue } from '../../src/cluster/buffer.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { nkeys } from '@nats-io/transport-node';
import { distMissing, runCli } from '../helpers/agent.js';

const tmp = mkdtempSync(join(tmpdir(), 'porthole-cluster-config-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const PEM = join(tmp, 'ca.pem');
writeFileSync(PEM, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validateConfig('c.json', raw, env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}

const target = { name: 'db', host: '127.0.0.1', port: 5432 };

describe('the cluster section of a config', () => {
  it('takes a URL, a location and one way to log in, with the documented defaults', () => {
    const cfg = validateConfig('c.json', { targets: [target], cluster: { urls: ['nats://127.0.0.1:4222', 'tls://10.0.0.1:4222'], location: 'fra-1', user: 'agent', password: '${env:NATS_PW}', tlsCa: PEM } }, { NATS_PW: 'pw-from-env' });
    assert.deepEqual(cfg.cluster?.servers, ['nats://127.0.0.1:4222', 'tls://10.0.0.1:4222']);
    assert.equal(cfg.cluster?.location, 'fra-1');
    assert.deepEqual(cfg.cluster?.auth, { user: 'agent', password: 'pw-from-env' });
    assert.equal(cfg.cluster?.streamMaxAgeMs, 86_400_000);
    assert.equal(cfg.cluster?.streamMaxBytes, 268_435_456);
    assert.equal(cfg.cluster?.buffer, 10_000);
    assert.ok(cfg.cluster?.secrets.includes('pw-from-env'));
  });

  it('says what is wrong, with the JSON path, and never echoes a secret', () => {
    assert.match(problems({ targets: [target], cluster: { location: 'a' } }).join('\n'), /^cluster: expected "url" or "urls" \(where NATS is\)/);
    assert.deepEqual(problems({ targets: [target], cluster: { url: 'http://x', location: 'a b' } }), [
      'cluster.url: expected a NATS URL such as "nats://127.0.0.1:4222" or "tls://…"',
      'cluster.location: expected a location name of 1-32 letters, digits, "_" or "-", got "a b"',
    ]);
    const both = problems({ targets: [target], cluster: { url: 'nats://127.0.0.1:4222', location: 'a', token: 'tok-literal-123', nkey: 'SUAXXXX' } });
    assert.match(both.join('\n'), /^cluster: expected one way to log in: "token", "user"\/"password", "nkey" or "creds"/);
    assert.doesNotMatch(both.join('\n'), /tok-literal-123/);
    const wrongType = problems({ targets: [target], cluster: { url: 'nats://127.0.0.1:4222', location: 'a', token: 12345678 } });
    assert.equal(wrongType.length, 1);
    assert.doesNotMatch(wrongType.join('\n'), /12345678/);
    assert.deepEqual(problems({ targets: [{ ...target, locations: ['ok', 'not ok'] }] }), ['targets[0].locations[1]: expected a location name of 1-32 letters, digits, "_" or "-", got "not ok"']);
  });

  it('config show hides the token and the password in a URL', () => {
    const raw = { targets: [target], cluster: { url: 'nats://agent:hunter22@127.0.0.1:4222', location: 'a', token: 'tok-literal-123' } };
    const cfg = validateConfig('c.json', { ...raw, cluster: { url: 'nats://127.0.0.1:4222', location: 'a', token: 'tok-literal-123' } });
    const shown = JSON.stringify(configForDisplay(cfg.defaults, cfg.targets, raw));
    assert.doesNotMatch(shown, /tok-literal-123|hunter22/);
    assert.match(shown, /"location":"a"/);
    assert.match(shown, /nats:\/\/127\.0\.0\.1:4222/);
  });
});

describe('subjects and keys', () => {
  it('turns any target id into one subject token and back', () => {
    for (const id of ['db', 'svc.v2', 'redis@10.0.0.1:6379', 'a/b-c_d', 'ünï.cödé']) {
      const t = encodeToken(id);
      assert.match(t, /^[A-Za-z0-9_=-]+$/);
      assert.equal(decodeToken(t), id);
    }
    assert.equal(resultSubject('fra-1', 'svc.v2'), 'porthole.result.fra-1.svc=2Ev2');
  });
});

describe('the outage buffer', () => {
  it('keeps the newest, counts what it dropped, and never forgets one in flight', () => {
    const q = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    assert.equal(q.dropped, 2);
    assert.deepEqual(q.peek(10).map((e) => e.item), [3, 4, 5]);
    const batch = q.peek(2);
    q.push(6); // drops 3 while 3 and 4 are in flight
    q.ackThrough((batch[1] as { seq: number }).seq);
    assert.deepEqual(q.peek(10).map((e) => e.item), [5, 6]);
    assert.equal(q.length, 2);
  });
});

describe('creds, tlsCa and nkey are checked when the config is validated, not at connect time', () => {
  const base = { url: 'nats://127.0.0.1:4222', location: 'a' };
  const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
  const badSeed = `${seed.slice(0, -4)}AAAA`;

  it('an unreadable file, a file of the wrong kind, a seed that does not decode: each with its path', () => {
    assert.deepEqual(problems({ targets: [target], cluster: { ...base, creds: join(tmp, 'missing.creds') } }), [`cluster.creds: cannot read ${join(tmp, 'missing.creds')}: ENOENT`]);
    assert.deepEqual(problems({ targets: [target], cluster: { ...base, tlsCa: tmp } }), [`cluster.tlsCa: cannot read ${tmp}: EISDIR`]);
    const notCreds = join(tmp, 'not.creds');
    writeFileSync(notCreds, 'hello\n');
    assert.deepEqual(problems({ targets: [target], cluster: { ...base, creds: notCreds, tlsCa: notCreds } }), [
      `cluster.creds: expected a NATS .creds file (a user JWT and its NKey seed) in ${notCreds}`,
      `cluster.tlsCa: expected PEM certificates ("-----BEGIN CERTIFICATE-----") in ${notCreds}`,
    ]);
    const seedProblems = problems({ targets: [target], cluster: { ...base, nkey: badSeed } });
    assert.deepEqual(seedProblems, ['cluster.nkey: expected a user NKey seed ("SU…", 58 characters, as `nk -gen user` prints it)']);
    assert.doesNotMatch(seedProblems.join(), new RegExp(badSeed.slice(4, 30)));
    const account = new TextDecoder().decode(nkeys.createAccount().getSeed());
    assert.equal(problems({ targets: [target], cluster: { ...base, nkey: account } }).length, 1, 'an account seed is not a user seed');
    assert.deepEqual(problems({ targets: [target], cluster: { ...base, nkey: seed, tlsCa: PEM } }), []);
  });

  it('config validate and agent start say FILE: cluster.creds … and exit non-zero', { skip: distMissing }, async () => {
    const file = join(tmp, 'bad-creds.json');
    writeFileSync(file, JSON.stringify({ targets: [target], cluster: { ...base, creds: join(tmp, 'gone.creds') } }));
    const v = await runCli(['config', 'validate', file]);
    assert.notEqual(v.code, 0);
    assert.match(v.stderr + v.stdout, new RegExp(`${file.replace(/[.]/g, '\\.')}: invalid config[\\s\\S]*cluster\\.creds: cannot read .*gone\\.creds: ENOENT`));
    const seedFile = join(tmp, 'bad-seed.json');
    writeFileSync(seedFile, JSON.stringify({ targets: [target], cluster: { ...base, nkey: '${env:SEED}' } }));
    const a = await runCli(['agent', '--config', seedFile, '--data-dir', join(tmp, 'data')], { SEED: badSeed }, 20_000);
    assert.notEqual(a.code, 0, 'the agent does not start (and retry for ever) with a seed that cannot work');
    assert.match(a.stderr, /cluster\.nkey: expected a user NKey seed/);
    assert.doesNotMatch(a.stdout + a.stderr, new RegExp(badSeed.slice(4, 30)));
  });
});
