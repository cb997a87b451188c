import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EngineEvent, TargetView } from '../../src/engine/types.js';
import { initialMonitorState } from '../../src/engine/monitor.js';
import { HistoryRecorder } from '../../src/history/index.js';
import { openStore } from '../../src/store/index.js';
import { runExport } from '../../src/cli/export-cmd.js';
import { runHistory } from '../../src/cli/history-cmd.js';
import { Capture, loopbackTarget, tempDir } from './helpers/fixtures.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const EVIL_NAME = '=HYPERLINK("x")\u001b]0;pwned\u0007,"quoted"\u009b31m';
const EVIL_EVIDENCE = 'banner \u001b[2J\r\nline2 \u202e';

async function io(run: (a: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }) => number | Promise<number>, args: string[]) {
  const out = new Capture();
  const err = new Capture();
  const code = await run(args, { out: out as unknown as NodeJS.WritableStream, err: err as unknown as NodeJS.WritableStream });
  return { code, out: out.text, err: err.text };
}

describe('report, export and prune commands', () => {
  const tmp = tempDir();
  const now = Date.now();

  before(() => {
    const opened = openStore({ dataDir: tmp.dir });
    if (!opened.ok) throw new Error(opened.problem.message);
    const views: TargetView[] = [
      { target: loopbackTarget('evil', 1, { name: EVIL_NAME }), monitor: initialMonitorState(0), recent: [], checks: 0, failures: 0, inFlight: false },
      { target: loopbackTarget('plain', 2, { name: 'plain' }), monitor: initialMonitorState(0), recent: [], checks: 0, failures: 0, inFlight: false },
    ];
    let emit: (e: EngineEvent) => void = () => {};
    const rec = new HistoryRecorder(opened.history);
    rec.attach({ subscribe: (l) => ((emit = l), () => {}), snapshot: () => views, get: (id) => views.find((v) => v.target.id === id) });
    for (const id of ['evil', 'plain']) emit({ type: 'result', targetId: id, at: now - 5000, state: 'UP', result: { outcome: 'open', startedAt: now - 5000, dnsMs: 0.25, connectMs: 1.5, totalMs: 2 } });
    emit({ type: 'incident', phase: 'opened', incident: { id: 'evil#1', targetId: 'evil', from: 'UP', to: 'DOWN', cause: 'refused', evidence: EVIL_EVIDENCE, started: now - 4000, ended: null, durationMs: null } });
    emit({ type: 'incident', phase: 'closed', incident: { id: 'evil#1', targetId: 'evil', from: 'UP', to: 'DOWN', cause: 'refused', evidence: EVIL_EVIDENCE, started: now - 4000, ended: now - 1000, durationMs: 3000, endedBy: 'recovered' } });
    rec.close();
    opened.history.close();
  });
  after(() => tmp.remove());

  it('CSV: quoted, formula-defused, no control characters, one row per sample', async () => {
    const r = await io(runExport, ['--format', 'csv', '--data-dir', tmp.dir]);
    assert.equal(r.code, 0, r.err);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.out.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f\u202e]/);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], 'time,target_id,target,location,outcome,state,dns_ms,connect_ms,cause');
    // Two checks, and the mark each target got when the recorder stopped (unknown time from there on).
    assert.equal(lines.length, 5);
    assert.equal(lines.filter((l) => /,local,,STOPPED,,,$/.test(l)).length, 2);
    const evil = lines.find((l) => l.includes(',evil,'))!;
    assert.match(evil, /,"'=HYPERLINK\(""x""\)/);
    assert.match(evil, /,local,open,UP,0\.25,1\.5,$/);
  });

  it('JSON lines keep the exact data, escaped so a terminal cannot act on it', async () => {
    const r = await io(runExport, ['--format', 'json', '--kind', 'incidents', '--data-dir', tmp.dir, '--target', EVIL_NAME]);
    assert.equal(r.code, 0, r.err);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const rows = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.evidence, EVIL_EVIDENCE);
    assert.equal(rows[0]!.target, EVIL_NAME);
    assert.equal(rows[0]!.duration_ms, 3000);
    assert.equal(rows[0]!.ended_by, 'recovered');
  });

  it('rejects bad arguments with exit 2 and a missing history with exit 1 naming the file', async () => {
    assert.equal((await io(runExport, ['--format', 'xml', '--data-dir', tmp.dir])).code, 2);
    assert.equal((await io(runExport, ['--format', 'csv', '--since', 'yesterday', '--data-dir', tmp.dir])).code, 2);
    const missing = await io(runExport, ['--format', 'csv', '--data-dir', join(tmp.dir, 'nothing-here')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no history at .*nothing-here\/history\.sqlite/);
  });

  it('history prune prints what it removed', async () => {
    const r = await io(runHistory, ['prune', '--data-dir', tmp.dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^pruned .*history\.sqlite: 0 raw samples, 0 minute rows, 0 hour rows, 0 day rows, 0 incidents$/m);
  });

  it('the porthole binary dispatches report with a sanitized table and the exit codes', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, PORTHOLE_DATA_DIR: tmp.dir } });
    const ok = run(['report', '--since', '7d']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /TARGET\s+UPTIME\s+OUTAGES\s+MTTR\s+LONGEST\s+P50\s+P95/);
    assert.match(ok.stdout, /^plain\s+100\.000%\s+0\s/m);
    assert.ok(!ok.stdout.includes('\u001b') && !ok.stdout.includes('\u009b'), 'no escape sequences reach the terminal');
    assert.equal(run(['report', '--since', 'forever']).status, 2);
    const none = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'report'], { encoding: 'utf8', env: { ...process.env, PORTHOLE_DATA_DIR: join(tmp.dir, 'none') } });
    assert.equal(none.status, 1);
  });
});
