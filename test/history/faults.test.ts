import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { HistoryRecorder } from '../../src/history/index.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { runReport } from '../../src/cli/report-cmd.js';
import { runHistory } from '../../src/cli/history-cmd.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { isRoot } from '../helpers/system.js';
import { Capture, tempDir } from './helpers/fixtures.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function command(run: (args: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }) => number, args: string[]) {
  const out = new Capture();
  const err = new Capture();
  const code = run(args, { out: out as unknown as NodeJS.WritableStream, err: err as unknown as NodeJS.WritableStream });
  return { code, out: out.text, err: err.text };
}

function result(targetId: string, at: number): EngineEvent {
  return { type: 'result', targetId, at, state: 'UP', result: { outcome: 'open', startedAt: at, dnsMs: null, connectMs: 0.5, totalMs: 0.6 } };
}

describe('history faults', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('creates a missing data dir', () => {
    const dir = join(tmp.dir, 'missing', 'deeper');
    const opened = openStore({ dataDir: dir });
    assert.ok(opened.ok);
    assert.ok(existsSync(join(dir, 'history.sqlite')));
    opened.history.close();
  });

  it('refuses a corrupt file by name, leaves it byte for byte, and the commands exit 1', () => {
    const dir = join(tmp.dir, 'corrupt');
    mkdirSync(dir);
    const file = join(dir, 'history.sqlite');
    writeFileSync(file, Buffer.concat([Buffer.from('this is not SQLite\n'), Buffer.alloc(8192, 0xab)]));
    const before = sha(file);
    const opened = openStore({ dataDir: dir });
    assert.equal(opened.ok, false);
    assert.ok(!opened.ok);
    assert.equal(opened.problem.kind, 'corrupt');
    assert.ok(opened.problem.message.includes(file));
    assert.match(opened.problem.hint, /move it aside/);
    assert.match(opened.warning, /^history off: /);
    const report = command(runReport, ['--data-dir', dir]);
    assert.equal(report.code, 1);
    assert.ok(report.err.includes(file) && /damaged or not a porthole database/.test(report.err), report.err);
    assert.equal(command(runHistory, ['prune', '--data-dir', dir]).code, 1);
    assert.equal(sha(file), before);
    assert.deepEqual(readdirSync(dir), ['history.sqlite']);
  });

  it('refuses a database from a newer schema without touching it', () => {
    const dir = join(tmp.dir, 'newer');
    mkdirSync(dir);
    const file = join(dir, 'history.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE future (x); INSERT INTO future VALUES ('keep me')");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha(file);
    const opened = openStore({ dataDir: dir });
    assert.ok(!opened.ok);
    assert.equal(opened.problem.kind, 'newer');
    assert.ok(opened.problem.message.includes(file));
    assert.match(opened.problem.message, new RegExp(`schema ${SCHEMA_VERSION + 1}`));
    assert.match(opened.problem.hint, /upgrade porthole/);
    const report = command(runReport, ['--data-dir', dir, '--json']);
    assert.equal(report.code, 1);
    assert.match(report.err, /newer porthole/);
    assert.equal(report.out, '');
    assert.equal(sha(file), before);
    assert.deepEqual(readdirSync(dir), ['history.sqlite']);
  });

  it('a read-only data dir: degraded result with a warning naming the file; prune exits 1', (t) => {
    const dir = join(tmp.dir, 'readonly');
    mkdirSync(dir);
    const existing = openStore({ dataDir: dir });
    assert.ok(existing.ok);
    existing.history.close();
    // Root ignores permission bits, so as root the dir is made immutable instead of chmod-ed.
    const lock = isRoot ? ['chattr', ['+i', dir]] : ['chmod', ['0555', dir]];
    const unlock = isRoot ? ['chattr', ['-i', dir]] : ['chmod', ['0755', dir]];
    const locked = spawnSync(lock[0] as string, lock[1] as string[]);
    if (locked.status !== 0) {
      t.skip(`cannot make ${dir} read-only here (${String(locked.stderr).trim()}): root needs chattr +i on a filesystem that supports it`);
      return;
    }
    try {
      const file = join(dir, 'history.sqlite');
      const opened = openStore({ dataDir: dir });
      assert.ok(!opened.ok);
      assert.equal(opened.problem.kind, 'readonly');
      assert.ok(opened.warning.startsWith('history off: ') && opened.warning.includes(file), opened.warning);
      assert.match(opened.problem.hint, /--data-dir/);
      const prune = command(runHistory, ['prune', '--data-dir', dir]);
      assert.equal(prune.code, 1);
      assert.match(prune.err, /not writable/);
      const fresh = join(dir, 'sub');
      const none = openStore({ dataDir: fresh });
      assert.ok(!none.ok, 'a dir that cannot be created is reported, not thrown');
    } finally {
      execFileSync(unlock[0] as string, unlock[1] as string[]);
    }
  });

  it('a full disk: writes fail, the recorder counts the loss and says why, and recovers when space returns', (t) => {
    if (!isRoot) {
      t.skip('needs root to mount a small tmpfs');
      return;
    }
    const mnt = join(tmp.dir, 'small');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
    if (mounted.status !== 0) {
      t.skip(`cannot mount tmpfs: ${String(mounted.stderr).trim()}`);
      return;
    }
    try {
      const opened = openStore({ dataDir: mnt });
      assert.ok(opened.ok);
      const problems: string[] = [];
      const recorder = new HistoryRecorder(opened.history, { maxQueue: 5000, onProblem: (p) => problems.push(p?.kind ?? 'ok') });
      // Fill the disk so that the next pages cannot be written.
      const filler = join(mnt, 'filler');
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k', 'count=64']);
      let at = Date.now();
      for (let round = 0; round < 20 && !recorder.stats().problem; round++) {
        for (let i = 0; i < 5000; i++) recorder.record(result('t', at++));
        recorder.flush();
      }
      const failing = recorder.stats();
      assert.equal(failing.problem?.kind, 'full', JSON.stringify(failing));
      assert.match(failing.problem!.message, new RegExp(mnt));
      for (let i = 0; i < 20_000; i++) recorder.record(result('t', at++));
      recorder.flush();
      const dropping = recorder.stats();
      assert.ok(dropping.droppedSamples > 0, 'loss is counted');
      assert.ok(dropping.queued <= 5000);
      rmSync(filler);
      recorder.flush();
      const recovered = recorder.stats();
      assert.equal(recovered.problem, undefined);
      assert.equal(recovered.queued, 0);
      assert.deepEqual(problems, ['full', 'ok']);
      recorder.close();
      opened.history.close();
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
