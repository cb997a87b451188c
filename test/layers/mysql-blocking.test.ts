import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ProbeRequest } from '../../src/probe/types.js';
import { MariaDbInNetns, mariadbNetnsUnavailable } from '../helpers/mariadb-netns.js';

const CHECKS = 300;

/**
 * MariaDB blocks a host after max_connect_errors connections in a row that close before a login
 * (ERROR 1129). Our own mariadbd (max_connect_errors=10) in a namespace of the test's own, reached on
 * a named non-loopback address so the host cache counts: 300 checks of every kind porthole can make
 * against the port must leave the count at 0 and a normal client able to log in.
 */
describe('checks never get porthole’s host blocked by MariaDB', { skip: mariadbNetnsUnavailable() ?? false, timeout: 300_000 }, () => {
  let db: MariaDbInNetns;
  before(async () => {
    db = new MariaDbInNetns(10);
    await db.start();
  });
  after(() => db?.dispose());

  const run = (request: Omit<ProbeRequest, 'host' | 'port' | 'family' | 'timeoutMs'>, count = CHECKS, how: { hangUp?: boolean; scan?: boolean } = {}) => {
    const full = { host: db.hostName, port: db.port, family: 0, timeoutMs: 3000, ...request };
    const out = execFileSync('ip', ['netns', 'exec', db.ns.name, process.execPath, '--import', 'tsx', 'test/helpers/probe-many.ts', JSON.stringify({ request: full, count, ...how })], { encoding: 'utf8', timeout: 240_000 });
    return JSON.parse(out) as { outcomes: Record<string, number>; details: string[]; closing: number };
  };
  const fresh = () => assert.equal(db.rootQuery('FLUSH HOSTS; SELECT 1'), '1');
  const logLines = (re: RegExp) => db.errorLogText().split('\n').filter((l) => re.test(l)).length;

  it('the harness sees blocking: 11 connections that hang up after the greeting block the host (ERROR 1129)', () => {
    fresh();
    const r = run({}, 11, { hangUp: true });
    assert.equal(r.outcomes.open, 11);
    const c = db.counters();
    assert.equal(c.HOST_VALIDATED, 'YES', 'the host cache must know the client by name');
    assert.equal(c.SUM_CONNECT_ERRORS, 10, JSON.stringify(c));
    const login = db.clientLogin();
    assert.equal(login.ok, false);
    assert.match(login.output, /1129|blocked because of many connection errors/);
  });

  // Each kind of check porthole can make against the port, and how it must come out.
  const kinds: [string, Omit<ProbeRequest, 'host' | 'port' | 'family' | 'timeoutMs'> & { scan?: boolean }, string][] = [
    ['plain TCP check', {}, 'open'],
    ['mysql banner check', { service: 'mysql', options: { check: 'banner' } }, 'open'],
    ['mariadb banner check', { service: 'mariadb', options: { check: 'banner' } }, 'open'],
    ['custom expect on the port', { options: { expect: 'MariaDB', expectMode: 'substring' } }, 'open'],
    ['discover scan of the port', { scan: true }, 'open'],
    ['every address (addresses: "all")', { options: { addresses: 'all' } }, 'open'],
    // Checks that speak first: they hear the greeting first, send nothing, and say why.
    ['TLS check (tls: true)', { options: { tls: true, tlsVerify: false } }, 'mismatch'],
    ['HTTP check', { options: { http: { path: '/' } } }, 'mismatch'],
    ['custom send', { options: { send: 'hello\\r\\n' } }, 'mismatch'],
    ['a preset that speaks first, wrongly named (redis)', { service: 'redis', options: { check: 'banner' } }, 'mismatch'],
  ];
  for (const [kind, request, outcome] of kinds) {
    it(`${CHECKS} × ${kind}: ${outcome}, no handshake error counted, a normal client still logs in`, () => {
      fresh();
      const accessDeniedBefore = logLines(/Access denied/);
      const abortedBefore = logLines(/Aborted connection/);
      const { scan, ...probe } = { scan: false, ...request };
      const r = run(probe, CHECKS, { scan });
      assert.deepEqual(r.outcomes, { [outcome]: CHECKS }, JSON.stringify(r));
      if (outcome === 'mismatch') assert.match(r.details[0] ?? '', /server speaks MySQL first/);
      assert.equal(r.closing, 0);
      const c = db.counters();
      assert.equal(c.HOST_VALIDATED, 'YES', JSON.stringify(c));
      assert.equal(c.SUM_CONNECT_ERRORS, 0, JSON.stringify(c));
      assert.equal(c.COUNT_HANDSHAKE_ERRORS, 0, JSON.stringify(c));
      assert.equal(c.COUNT_HOST_BLOCKED_ERRORS, 0, JSON.stringify(c));
      assert.equal(c.COUNT_AUTHENTICATION_ERRORS, CHECKS, 'each check ends as a refused login');
      const login = db.clientLogin();
      assert.ok(login.ok, login.output);
      // What is left in the server's error log: one "Access denied" warning per check, no aborted connection.
      assert.equal(logLines(/Aborted connection/) - abortedBefore, 0);
      assert.equal(logLines(/Access denied for user 'porthole'/) - accessDeniedBefore, CHECKS);
      if (request.options?.check === 'banner' && outcome === 'open') assert.match(r.details[0] ?? '', /\(protocol 10\); login as porthole refused \(1045\)$/);
    });
  }

  it('20 × `porthole check HOST:3306` (one-shot, as Nagios runs it): the process waits for the goodbye before it exits', (t) => {
    if (!existsSync('dist/cli/main.js')) return t.skip('needs the build (npm test builds first)');
    fresh();
    for (let i = 0; i < 20; i++) {
      const r = spawnSync('ip', ['netns', 'exec', db.ns.name, process.execPath, 'dist/cli/main.js', 'check', `${db.hostName}:${db.port}`], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^TCP OK - /);
    }
    const c = db.counters();
    assert.equal(c.SUM_CONNECT_ERRORS, 0, JSON.stringify(c));
    assert.equal(c.COUNT_AUTHENTICATION_ERRORS, 20, JSON.stringify(c));
    assert.ok(db.clientLogin().ok);
  });

  it('with a login (HAProxy mysql-check style): logs in, says COM_QUIT, leaves nothing in the error log', () => {
    fresh();
    const before = db.errorLogText().length;
    const r = run({ service: 'mariadb', options: { check: 'banner', login: { user: 'probe', password: 'probe-secret' } } }, 50);
    assert.deepEqual(r.outcomes, { open: 50 }, JSON.stringify(r));
    assert.match(r.details[0] ?? '', /logged in as probe, COM_QUIT sent$/);
    const c = db.counters();
    assert.equal(c.SUM_CONNECT_ERRORS, 0);
    assert.equal(c.COUNT_AUTHENTICATION_ERRORS, 0);
    assert.equal(db.errorLogText().slice(before).trim(), '');
  });
});
