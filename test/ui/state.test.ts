import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mergeOverlay, normalizeOverlay, OverlayStore } from '../../src/config/overlay.js';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { IncidentLog } from '../../src/feed/incident-log.js';
import type { EngineEvent, Incident } from '../../src/engine/types.js';
import { target } from './fixtures.js';

function incident(id: string, started: number, ended: number | null = null): Incident {
  return { id, targetId: id.split('#')[0] ?? id, from: 'UP', to: 'DOWN', cause: 'refused', evidence: 'ECONNREFUSED', started, ended, durationMs: ended === null ? null : ended - started };
}

describe('IncidentLog', () => {
  it('keeps newest first, replaces an incident when it closes, and stays bounded', () => {
    const log = new IncidentLog(3);
    const listeners: ((e: EngineEvent) => void)[] = [];
    const off = log.attach({ subscribe: (l) => (listeners.push(l), () => listeners.splice(0)) });
    const emit = (e: EngineEvent) => listeners.forEach((l) => l(e));
    emit({ type: 'incident', phase: 'opened', incident: incident('a#1', 1) });
    emit({ type: 'incident', phase: 'opened', incident: incident('b#2', 2) });
    emit({ type: 'targets', at: 3 });
    assert.deepEqual(log.list().map((i) => i.id), ['b#2', 'a#1']);
    const v = log.version;
    emit({ type: 'incident', phase: 'closed', incident: incident('a#1', 1, 5) });
    assert.ok(log.version > v);
    assert.equal(log.list()[1]?.ended, 5);
    emit({ type: 'incident', phase: 'opened', incident: incident('c#3', 3) });
    emit({ type: 'incident', phase: 'opened', incident: incident('d#4', 4) });
    assert.deepEqual(log.list().map((i) => i.id), ['d#4', 'c#3', 'b#2']);
    off();
    assert.equal(listeners.length, 0);
  });
  it('can be seeded with earlier incidents (from history) without duplicates', () => {
    const log = new IncidentLog(10);
    log.onEvent({ type: 'incident', phase: 'opened', incident: incident('x#10', 10) });
    log.seed([incident('x#10', 10), incident('y#5', 5, 8), incident('z#1', 1, 2)]);
    assert.deepEqual(log.list().map((i) => i.id), ['x#10', 'y#5', 'z#1']);
  });
});

describe('overlay merge (pure)', () => {
  const base = [target('a', { port: 1 }), target('b', { port: 2 }), target('c', { port: 3 })];
  it('edits replace in place, deletes mask, pauses flip, additions come last', () => {
    const r = mergeOverlay(base, BUILTIN_DEFAULTS, {
      targets: {
        a: { target: { name: 'a', host: '127.0.0.2', port: 11 } },
        b: { deleted: true },
        c: { paused: true },
        n: { target: { name: 'n', host: '::1', port: 9 }, paused: true },
      },
    });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.targets.map((t) => [t.id, t.host, t.port, t.paused]), [
      ['a', '127.0.0.2', 11, false],
      ['c', '127.0.0.1', 3, true],
      ['n', '::1', 9, true],
    ]);
  });
  it('an invalid stored entry is reported and skipped, never fatal', () => {
    const r = mergeOverlay(base, BUILTIN_DEFAULTS, normalizeOverlay({ targets: { bad: { target: { host: 'x y', port: 0 } }, junk: 5 } }));
    assert.equal(r.targets.length, 3);
    assert.ok(r.problems.length >= 1);
    assert.match(r.problems[0]?.path ?? '', /console-state\.targets\["bad"\]/);
  });
  it('normalizeOverlay drops whatever is not an overlay', () => {
    assert.deepEqual(normalizeOverlay(null), { targets: {} });
    assert.deepEqual(normalizeOverlay({ targets: { a: { paused: 'yes', deleted: true } } }), { targets: { a: { deleted: true } } });
  });
});

describe('OverlayStore (conf)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-overlay-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('persists additions, pauses and deletions across instances in the given dir', () => {
    const s1 = new OverlayStore(dir);
    assert.equal(s1.path, join(dir, 'console-state.json'));
    s1.upsert('web.1', { name: 'web.1', host: '127.0.0.1', port: 8080 });
    s1.setPaused('web.1', true);
    s1.setPaused('from-file', true);
    s1.remove('gone', true);
    s1.upsert('tmp', { name: 'tmp', host: '127.0.0.1', port: 1 });
    s1.remove('tmp', false);
    const s2 = new OverlayStore(dir);
    assert.deepEqual(s2.read(), {
      targets: {
        'web.1': { target: { name: 'web.1', host: '127.0.0.1', port: 8080 }, paused: true },
        'from-file': { paused: true },
        gone: { deleted: true },
      },
    });
    assert.ok(readFileSync(s2.path, 'utf8').includes('"web.1"'), 'ids with dots are stored as keys, not paths');
  });
});
