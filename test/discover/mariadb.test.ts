import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { MAIN } from '../helpers/agent.js';
import { MariaDbInNetns, mariadbNetnsUnavailable } from '../helpers/mariadb-netns.js';

/**
 * Discover on a MariaDB port: named from its greeting, and the greeting answered with the probe's
 * login, so the server's host cache counts no handshake error however often discover runs; the fast
 * path (--no-banners) closes at once as nmap -sT does, which the server counts, as the README says.
 */
describe('discover names MariaDB and never gets the host blocked', { skip: mariadbNetnsUnavailable() ?? false, timeout: 170_000 }, () => {
  let db: MariaDbInNetns;
  before(async () => {
    db = new MariaDbInNetns(10);
    await db.start();
  });
  after(() => db?.dispose());

  const discover = (...extra: string[]) => {
    const r = spawnSync('ip', ['netns', 'exec', db.ns.name, process.execPath, MAIN, 'discover', db.hostName, '--ports', String(db.port), '--json', ...extra], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { open: { port: number; service?: string; how?: string; evidence?: string; confirmed?: boolean }[] };
  };

  it('12 runs (more than max_connect_errors=10): "mariadb" from the greeting, no connect error counted, a client still logs in', () => {
    assert.equal(db.rootQuery('FLUSH HOSTS; SELECT 1'), '1');
    for (let i = 0; i < 12; i++) {
      const [p] = discover().open;
      assert.equal(p?.service, 'mariadb', JSON.stringify(p));
      assert.equal(p?.how, 'greeting');
      assert.equal(p?.confirmed, true);
      assert.match(p?.evidence ?? '', /MariaDB.*\(protocol 10\); login as porthole refused \(1045\)/);
    }
    const c = db.counters();
    assert.equal(c.HOST_VALIDATED, 'YES', JSON.stringify(c));
    assert.equal(c.SUM_CONNECT_ERRORS, 0, JSON.stringify(c));
    assert.equal(c.COUNT_HANDSHAKE_ERRORS, 0, JSON.stringify(c));
    assert.ok(db.clientLogin().ok);
  });

  it('--no-banners: named from the port number, and the server counts the abrupt close (one error a run)', () => {
    assert.equal(db.rootQuery('FLUSH HOSTS; SELECT 1'), '1');
    const [p] = discover('--no-banners').open;
    assert.equal(p?.service, 'mysql');
    assert.equal(p?.how, 'port');
    const c = db.counters();
    assert.equal(c.SUM_CONNECT_ERRORS, 1, JSON.stringify(c));
    assert.equal(db.rootQuery('FLUSH HOSTS; SELECT 1'), '1');
  });
});
