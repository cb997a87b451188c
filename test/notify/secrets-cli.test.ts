import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { freePort, listen, waitFor } from '../helpers/net.js';
import { httpReceiver, smtpReceiver } from './helpers/receivers.js';
import { FAST_TARGET, notifyConfig, runMonitor } from './helpers/monitor.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SECRETS = { TG_TOKEN: '987654:SECRET-bot-token-zz9', HOOK_KEY: 'SECRET-hook-key-77aa', SMTP_PASS: 'SECRET-smtp-pass-55', AUTH: 'SECRET-bearer-31' };

function assertNoSecret(what: string, text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${what} shows ${name}: ${text.slice(0, 300)}`);
}

describe('notify test and secrets', () => {
  it('porthole notify test: success or the exact failure per channel, and never a secret', async () => {
    const bot = await httpReceiver(() => ({ status: 200, body: { ok: true, result: {} } }));
    const broken = await httpReceiver(() => ({ status: 500, body: `internal error; your key was ${SECRETS.HOOK_KEY}` }));
    const smtp = await smtpReceiver();
    const closedPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'porthole-notify-cli-'));
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        notifiers: {
          oncall: { type: 'telegram', token: '${env:TG_TOKEN}', chatId: 42, apiBase: `http://127.0.0.1:${bot.port}` },
          broken: { type: 'webhook', url: `http://127.0.0.1:${broken.port}/h?key=\${env:HOOK_KEY}`, headers: { Authorization: 'Bearer ${env:AUTH}' } },
          nobody: { type: 'webhook', url: `http://127.0.0.1:${closedPort}/h/\${env:HOOK_KEY}` },
          nodns: { type: 'webhook', url: 'http://no-such-host.invalid/hook' },
          mail: { type: 'email', host: '127.0.0.1', port: smtp.port, starttls: 'off', user: 'u', password: '${env:SMTP_PASS}', from: 'p@example.test', to: 'o@example.test' },
        },
        targets: [],
      }),
    );
    try {
      // Asynchronous: the receivers live in this process and must answer while the CLI runs.
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'notify', 'test', ...args, '--config', config], { env: { ...process.env, ...SECRETS }, timeout: 60_000 });
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        });
      const all = await run([]);
      const out = all.stdout + all.stderr;
      assertNoSecret('notify test output', out);
      assert.equal(all.status, 1, out);
      assert.match(out, /^ok +oncall \(telegram, chat 42 via http:\/\/127\.0\.0\.1:\d+\): HTTP 200/m);
      assert.match(out, /^FAILED broken \(webhook, POST http:\/\/127\.0\.0\.1:\d+\/…\): HTTP 500: internal error; your key was \[redacted\]/m);
      assert.match(out, /^FAILED nobody .*refused: nothing listens on 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/m);
      assert.match(out, /^FAILED nodns .*DNS: cannot resolve no-such-host\.invalid/m);
      assert.match(out, /^ok +mail \(email, o@example\.test via smtp 127\.0\.0\.1:\d+\): SMTP 250/m);
      assert.match(String((bot.received[0]?.body as Record<string, unknown>).text), /TEST alert from porthole/);
      assert.match(smtp.mails[0]?.subject ?? '', /TEST alert/);
      assert.equal(broken.received[0]?.headers.authorization, `Bearer ${SECRETS.AUTH}`);

      const one = await run(['oncall']);
      assert.equal(one.status, 0, one.stdout + one.stderr);
      assert.equal(one.stdout.trim().split('\n').length, 1);
      const unknown = await run(['oncal']);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /no notifier "oncal"/);
    } finally {
      await bot.close();
      await broken.close();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no secret in outbox rows, channel health, warnings or errors while a channel fails', async () => {
    const hookPort = await freePort();
    const svc = await listen();
    const cfg = notifyConfig(
      {
        defaults: { ...FAST_TARGET, notify: ['team', 'oncall'] },
        alerts: { groupWithin: '100ms' },
        notifiers: {
          team: { type: 'webhook', url: `http://127.0.0.1:${hookPort}/h/\${env:HOOK_KEY}`, headers: { Authorization: 'Bearer ${env:AUTH}' } },
          oncall: { type: 'telegram', token: '${env:TG_TOKEN}', chatId: 1, apiBase: `http://127.0.0.1:${hookPort}` },
        },
        targets: [{ name: 'x', host: '127.0.0.1', port: svc.port }],
      },
      SECRETS,
    );
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      await svc.close();
      await waitFor('both channels failing', () => m.notify.health().every((h) => h.status === 'failing'));
      const rows = JSON.stringify(m.history.db!.prepare('SELECT * FROM outbox').all());
      assert.match(rows, /refused/);
      assertNoSecret('outbox rows', rows);
      assertNoSecret('health', JSON.stringify(m.notify.health()));
      assertNoSecret('warning', m.notify.warning() ?? '');
      assertNoSecret('test results', JSON.stringify(await m.notify.test()));
    } finally {
      await m.stop();
    }
  });

  it('notify test with a bad config prints every problem, as config validate does, and no secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-notify-bad-'));
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { notify: ['oncal'] },
        notifiers: {
          oncall: { type: 'telegram', token: '${env:TG_TOKEN}/x', chatId: 42 },
          mail: { type: 'email', host: '127.0.0.1', password: 12345678, from: 'p@example.test', to: 'o@example.test' },
        },
        targets: [],
      }),
    );
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'notify', 'test', '--config', config], { encoding: 'utf8', env: { ...process.env, ...SECRETS }, timeout: 60_000 });
      assertNoSecret('notify test on a bad config', r.stdout + r.stderr);
      assert.ok(!r.stderr.includes('12345678'), r.stderr);
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`${config}: invalid config (3 problems)`), r.stderr);
      assert.match(r.stderr, /^  notifiers\.oncall\.token: not a Telegram bot token: expected digits:letters/m);
      assert.match(r.stderr, /^  notifiers\.mail\.password: expected SMTP password \(text\), got a number$/m);
      assert.match(r.stderr, /^  defaults\.notify\[0\]: unknown notifier "oncal" — did you mean "oncall"\?/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
