import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { freePort, listen, waitFor } from '../helpers/net.js';
import { httpReceiver } from './helpers/receivers.js';
import { FAST_TARGET } from './helpers/monitor.js';

const CHILD = fileURLToPath(new URL('./helpers/alert-child.ts', import.meta.url));
const SECRET_KEY = 'hook-key-0f3c9a77e1';

function startChild(config: string, dataDir: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, config, dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOK_KEY: SECRET_KEY } });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.on('exit', () => clearTimeout(guard));
  return { child, output: () => out };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('alerts survive a crash', () => {
  it('killed (SIGKILL) with an alert pending, restarted: the alert arrives exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-crash-'));
    const hookPort = await freePort();
    let svc = await listen();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { ...FAST_TARGET, notify: ['team'] },
        alerts: { groupWithin: '100ms' },
        notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hookPort}/hook?key=\${env:HOOK_KEY}` } },
        targets: [{ name: 'api', host: '127.0.0.1', port: svc.port }],
      }),
    );
    const outputs: string[] = [];
    let hook: Awaited<ReturnType<typeof httpReceiver>> | undefined;
    try {
      const first = startChild(config, dir);
      await waitFor('child ready', () => first.output().includes('ready\n'), 20_000);
      await new Promise((r) => setTimeout(r, 1200)); // a few UP checks
      await svc.close();
      // Its failure recorded, not only its attempt begun (a kill in between leaves no last_error).
      await waitFor('an alert pending after a failed attempt', () => /outbox 1 [1-9]\d* [^-\s]/.test(first.output()), 20_000);
      await kill(first.child);
      outputs.push(first.output());

      const db = new Database(join(dir, 'history.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT alert_id, status, attempts, last_error FROM outbox').all() as { alert_id: string; status: string; attempts: number; last_error: string }[];
      db.close();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.status, 'pending');
      assert.match(rows[0]!.last_error, /refused/);
      const alertId = rows[0]!.alert_id;

      // The service is back and so is the receiver. The next run carries the incident the first one
      // left open: its first good check closes it, and the DOWN alert is followed by its recovery.
      svc = await listen('127.0.0.1', svc.port);
      hook = await httpReceiver(undefined, hookPort);
      const second = startChild(config, dir);
      try {
        await waitFor('the pending alert and the recovery delivered', () => hook!.received.length >= 2, 20_000);
        await new Promise((r) => setTimeout(r, 1500));
        const bodies = hook.received.map((r) => r.body as Record<string, unknown>);
        assert.deepEqual(bodies.map((b) => b.event).sort(), ['down', 'recovery'], 'the DOWN exactly once, then its recovery');
        const down = bodies.find((b) => b.event === 'down')!;
        assert.equal(down.id, alertId);
        assert.equal(bodies.find((b) => b.event === 'recovery')!.id, alertId.replace(/^down:/, 'recovery:'));
        assert.equal(hook.received[0]!.path, `/hook?key=${SECRET_KEY}`);
      } finally {
        await kill(second.child);
        outputs.push(second.output());
      }
      const after = new Database(join(dir, 'history.sqlite'), { readonly: true });
      const status = after.prepare('SELECT status FROM outbox WHERE alert_id = ?').pluck().get(alertId);
      const shown = JSON.stringify(after.prepare('SELECT * FROM outbox').all());
      after.close();
      assert.equal(status, 'delivered');
      for (const text of [...outputs, shown, readFileSync(config, 'utf8')]) assert.ok(!text.includes(SECRET_KEY), 'the webhook key never shows');
    } finally {
      await svc.close();
      await hook?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
