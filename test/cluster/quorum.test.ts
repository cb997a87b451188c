import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterExitCode, quorumOf } from '../../src/cluster/quorum.js';
import { ClusterView } from '../../src/cluster/cluster-view.js';
import { clusterStatusText } from '../../src/cluster/status-text.js';
import type { ResultMessage } from '../../src/cluster/result-message.js';
import type { State } from '../../src/engine/types.js';

const NOW = 1_800_000_000_000;
function r(location: string, state: State, ageMs = 500, extra: Partial<ResultMessage> = {}): ResultMessage {
  return { location, id: 'db', name: 'db', host: '10.0.0.5', port: 5432, at: NOW - ageMs, state, outcome: state === 'DOWN' ? 'timeout' : 'open', connectMs: state === 'DOWN' ? null : 0.4, totalMs: 1, intervalMs: 1000, ...(state === 'DOWN' ? { cause: 'timeout' } : {}), ...extra };
}

describe('quorum of the locations', () => {
  it('UP when no location sees it down', () => {
    const v = quorumOf([r('a', 'UP'), r('b', 'SLOW'), r('c', 'UP')], NOW);
    assert.equal(v?.label, 'UP');
    assert.equal(v?.voters, 3);
  });
  it('PARTIAL when a minority sees it down, with how many see it up', () => {
    const v = quorumOf([r('a', 'UP'), r('b', 'UP'), r('c', 'DOWN')], NOW);
    assert.equal(v?.state, 'PARTIAL');
    assert.equal(v?.label, 'PARTIAL 2/3 up');
    assert.equal(v?.locations.find((l) => l.location === 'c')?.cause, 'timeout');
  });
  it('DOWN when a majority sees it down', () => {
    assert.equal(quorumOf([r('a', 'DOWN'), r('b', 'DOWN'), r('c', 'UP')], NOW)?.label, 'DOWN 2/3');
    assert.equal(quorumOf([r('a', 'DOWN'), r('b', 'DOWN'), r('c', 'DOWN')], NOW)?.label, 'DOWN 3/3');
  });
  it('a location silent for more than 2 intervals is STALE and does not count, either way', () => {
    const v = quorumOf([r('a', 'DOWN'), r('b', 'UP', 2500), r('c', 'UP')], NOW);
    assert.equal(v?.locations.find((l) => l.location === 'b')?.stale, true);
    assert.equal(v?.voters, 2);
    assert.equal(v?.label, 'PARTIAL 1/2 up');
    // Two of three silent: the one that reports decides, and nothing is called DOWN by a silent one.
    assert.equal(quorumOf([r('a', 'UP'), r('b', 'DOWN', 5000), r('c', 'DOWN', 5000)], NOW)?.label, 'UP');
    assert.equal(quorumOf([r('a', 'UP', 3000), r('b', 'DOWN', 3000)], NOW)?.state, 'STALE');
  });
  it('a tie is not a majority: PARTIAL', () => {
    assert.equal(quorumOf([r('a', 'DOWN'), r('b', 'UP')], NOW)?.label, 'PARTIAL 1/2 up');
  });
  it('RETRYING is not yet a vote for down; PAUSED is no vote', () => {
    assert.equal(quorumOf([r('a', 'RETRYING'), r('b', 'RETRYING'), r('c', 'DOWN')], NOW)?.label, 'PARTIAL 2/3 up');
    assert.equal(quorumOf([r('a', 'PAUSED'), r('b', 'DOWN')], NOW)?.label, 'DOWN 1/1');
  });
  it('exit codes as a Nagios plugin: DOWN 2, PARTIAL 1, STALE 3, UP 0', () => {
    const up = quorumOf([r('a', 'UP')], NOW)!;
    const partial = quorumOf([r('a', 'UP'), r('b', 'DOWN')], NOW)!;
    const down = quorumOf([r('a', 'DOWN')], NOW)!;
    const stale = quorumOf([r('a', 'UP', 9000)], NOW)!;
    assert.equal(clusterExitCode([up]), 0);
    assert.equal(clusterExitCode([up, stale]), 3);
    assert.equal(clusterExitCode([up, partial, stale]), 1);
    assert.equal(clusterExitCode([partial, down]), 2);
  });
});

describe('the cluster view', () => {
  it('keeps the newest result per location and target, whatever order they arrive in', () => {
    const view = new ClusterView();
    view.add(r('a', 'DOWN', 100));
    view.add(r('a', 'UP', 900)); // older: ignored
    view.add(r('b', 'DOWN', 200));
    const [v] = view.views(NOW);
    assert.equal(v?.label, 'DOWN 2/2');
    assert.deepEqual(view.locations(), ['a', 'b']);
  });
  it('the aggregator\'s look: only targets whose quorum may have moved — a new state, a first word, a location gone stale or heard afresh', () => {
    const view = new ClusterView();
    const at = (location: string, state: State, atMs: number, id = 'db') => ({ ...r(location, state, 0), id, name: id, at: atMs });
    // t = NOW: a, b report db and web; everything is new.
    for (const id of ['db', 'web']) for (const l of ['a', 'b']) view.add(at(l, 'UP', NOW, id), NOW);
    assert.deepEqual(view.look(NOW).map((v) => v.id).sort(), ['db', 'web']);
    // A second later the same words again: nothing to look at.
    for (const id of ['db', 'web']) for (const l of ['a', 'b']) view.add(at(l, 'UP', NOW + 1000, id), NOW + 1000);
    assert.deepEqual(view.look(NOW + 1000), []);
    // b sees web DOWN: only web.
    view.add(at('b', 'DOWN', NOW + 2000, 'web'), NOW + 2000);
    view.add(at('a', 'UP', NOW + 2000, 'web'), NOW + 2000);
    view.add(at('a', 'UP', NOW + 2000, 'db'), NOW + 2000);
    const moved = view.look(NOW + 2000);
    assert.deepEqual(moved.map((v) => [v.id, v.label]), [['web', 'PARTIAL 1/2 up']]);
    // b falls silent on db (its last word at NOW + 1000, stale after NOW + 3000): db is looked at once it is stale.
    view.add(at('a', 'UP', NOW + 3000, 'db'), NOW + 3000);
    assert.deepEqual(view.look(NOW + 3000), [], 'not stale yet at exactly 2 intervals');
    const stale = view.look(NOW + 3250);
    assert.deepEqual(stale.map((v) => [v.id, v.locations.find((l) => l.location === 'b')?.stale]), [['db', true]]);
    assert.deepEqual(view.look(NOW + 3500), [], 'looked at once, not at every tick after');
    // b is heard again on db, same state as before: it votes again, so db is looked at.
    view.add(at('b', 'UP', NOW + 3600, 'db'), NOW + 3600);
    assert.deepEqual(view.look(NOW + 3750).map((v) => v.id), ['db']);
    // A target the caller asks for again is looked at whatever happened.
    assert.deepEqual(view.look(NOW + 4000, { again: ['web'] }).map((v) => v.id), ['web']);
    // A display's views are every target's and do not count as a look; a full look does.
    view.add(at('a', 'DOWN', NOW + 4050, 'db'), NOW + 4050);
    assert.equal(view.views(NOW + 4100).length, 2);
    // (web's last words, at NOW + 2000, went stale at NOW + 4000 meanwhile: it is looked at too.)
    assert.deepEqual(view.look(NOW + 4150).map((v) => v.id).sort(), ['db', 'web'], 'a display did not take the change from the aggregator');
    assert.equal(view.look(NOW + 4200, { all: true }).length, 2);
    assert.deepEqual(view.look(NOW + 4300), []);
  });
  it('status text: one line per target, no control characters from the network', () => {
    const view = new ClusterView();
    view.add(r('a', 'UP', 100, { name: 'db\x1b]0;pwned\x07' }));
    view.add(r('c', 'DOWN', 100, { name: 'db\x1b]0;pwned\x07' }));
    const text = clusterStatusText(view.views(NOW), NOW);
    assert.doesNotMatch(text, /\x1b|\x07/);
    assert.match(text, /^PARTIAL 1\/2 up {2}db.* a: UP 0\.4ms · c: DOWN timeout$/m);
  });
});
