import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { tempDir } from './helpers/fixtures.js';

const WRITER = fileURLToPath(new URL('./helpers/crash-writer.ts', import.meta.url));
const ROUNDS = 6;

/** Runs the writer until a random moment after it is ready, SIGKILLs it, returns the ids it reported committed. */
function runAndKill(dataDir: string): Promise<{ committed: string[]; killedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killedAfterMs = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const wasReady = out.includes('ready\n');
      out += d;
      if (!wasReady && out.includes('ready\n')) {
        killedAfterMs = 100 + Math.floor(Math.random() * 900);
        setTimeout(() => child.kill('SIGKILL'), killedAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || !out.includes('ready\n')) return reject(new Error(`writer ended on its own (${signal}): ${err}`));
      const committed = out.split('\n').flatMap((l) => (l.startsWith('committed ') ? [l.slice('committed '.length)] : []));
      resolve({ committed, killedAfterMs });
    });
  });
}

describe('crash safety', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it(`survives SIGKILL at random moments (${ROUNDS} rounds): opens, passes integrity_check, keeps every committed incident`, async () => {
    const allCommitted = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const { committed, killedAfterMs } = await runAndKill(tmp.dir);
      assert.ok(committed.length > 0, `round ${round}: the writer committed nothing in ${killedAfterMs}ms`);
      for (const id of committed) allCommitted.add(id);

      const opened = openStore({ dataDir: tmp.dir });
      assert.ok(opened.ok, opened.ok ? '' : opened.problem.message);
      opened.history.close();
      const db = new Database(`${tmp.dir}/history.sqlite`, { readonly: true });
      try {
        assert.deepEqual(db.pragma('integrity_check', { simple: true }), 'ok');
        const present = new Set(db.prepare('SELECT key FROM incidents').pluck().all() as string[]);
        const missing = [...allCommitted].filter((id) => !present.has(id));
        assert.deepEqual(missing, [], `round ${round} (killed after ${killedAfterMs}ms): committed incidents missing`);
        assert.ok((db.prepare('SELECT count(*) FROM samples').pluck().get() as number) > 0);
      } finally {
        db.close();
      }
    }
  });
});
