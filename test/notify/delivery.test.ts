import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { freePort, listen, waitFor } from '../helpers/net.js';
import { httpReceiver, smtpReceiver } from './helpers/receivers.js';
import { FAST_TARGET, notifyConfig, runMonitor } from './helpers/monitor.js';

type Json = Record<string, unknown>;
const asJson = (v: unknown) => v as Json;

describe('notifications with real receivers on loopback', () => {
  it('webhook: DOWN with the cause, then recovery with the outage duration, for a listener closed and reopened', async () => {
    const hook = await httpReceiver();
    const svc = await listen();
    const cfg = notifyConfig({
      defaults: { ...FAST_TARGET, notify: ['team'] },
      alerts: { groupWithin: '100ms' },
      notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
      targets: [{ name: 'db', host: '127.0.0.1', port: svc.port }],
    });
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      const closedAt = Date.now();
      await svc.close();
      const down = asJson((await waitFor('DOWN alert', () => hook.received.find((r) => asJson(r.body).event === 'down'))).body);
      assert.equal(down.port, svc.port);
      assert.equal(down.host, '127.0.0.1');
      assert.equal(down.target, 'db');
      assert.equal(down.cause, 'refused');
      assert.match(String(down.evidence), /ECONNREFUSED/);
      assert.equal(down.from, 'UP');
      assert.equal(down.to, 'DOWN');
      assert.equal(down.location, 'local');
      assert.match(String(down.id), /^down:/);
      assert.match(String(down.summary), /DOWN db/);
      const reopened = await listen('127.0.0.1', svc.port);
      try {
        const rec = asJson((await waitFor('recovery alert', () => hook.received.find((r) => asJson(r.body).event === 'recovery'))).body);
        const outage = Date.now() - closedAt;
        assert.equal(rec.from, 'DOWN');
        assert.equal(rec.to, 'UP');
        assert.equal(rec.cause, 'refused');
        assert.equal(typeof rec.durationMs, 'number');
        assert.ok((rec.durationMs as number) > 0 && (rec.durationMs as number) <= outage, `duration ${String(rec.durationMs)} within the outage ${outage}`);
        assert.equal(rec.id, `recovery:${String(down.id).slice('down:'.length)}`);
        assert.equal(hook.received.length, 2, 'one DOWN and one recovery, nothing else');
        assert.equal(hook.received[0]?.headers['x-porthole-alert-id'], down.id);
      } finally {
        await reopened.close();
      }
    } finally {
      await m.stop();
      await hook.close();
    }
  });

  it('a channel down for its first attempts gets the alert exactly once when it comes up', async () => {
    const hookPort = await freePort();
    const svc = await listen();
    const cfg = notifyConfig({
      defaults: { ...FAST_TARGET, notify: ['team'] },
      alerts: { groupWithin: '100ms' },
      notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hookPort}/hook` } },
      targets: [{ name: 'cache', host: '127.0.0.1', port: svc.port }],
    });
    const m = runMonitor(cfg);
    let hook: Awaited<ReturnType<typeof httpReceiver>> | undefined;
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      await svc.close();
      const failing = await waitFor('two failed attempts', () => {
        const h = m.notify.health()[0];
        return h && h.status === 'failing' && h.pending === 1 && m.history.db!.prepare('SELECT attempts FROM outbox').pluck().get() as number >= 2 ? h : undefined;
      });
      assert.match(failing.lastError ?? '', /refused/);
      assert.match(m.notify.warning() ?? '', /team failing/);
      hook = await httpReceiver(undefined, hookPort);
      await waitFor('delivery', () => hook!.received.length > 0);
      await waitFor('outbox row delivered', () => m.notify.health()[0]?.pending === 0);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(hook.received.length, 1, 'exactly one delivery');
      const row = m.history.db!.prepare('SELECT status, attempts FROM outbox').get() as { status: string; attempts: number };
      assert.equal(row.status, 'delivered');
      assert.ok(row.attempts >= 3, `attempts ${row.attempts}`);
      const h = m.notify.health()[0]!;
      assert.equal(h.status, 'ok');
      assert.ok(h.lastSuccessAt !== undefined && h.lastFailureAt !== undefined && h.lastSuccessAt >= h.lastFailureAt);
    } finally {
      await m.stop();
      await hook?.close();
    }
  });

  it('grouping: three listeners on one host closed together make one message naming all three', async () => {
    const hook = await httpReceiver();
    const svcs = [await listen(), await listen(), await listen()];
    const cfg = notifyConfig({
      defaults: { ...FAST_TARGET, notify: ['team'] },
      alerts: { groupWithin: '2s' },
      notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook`, format: 'json' } },
      targets: svcs.map((s, i) => ({ name: `svc${i}`, host: '127.0.0.1', port: s.port })),
    });
    const m = runMonitor(cfg);
    try {
      await waitFor('targets UP', () => m.engine.snapshot().every((v) => v.monitor.state === 'UP'));
      await Promise.all(svcs.map((s) => s.close()));
      await waitFor('all DOWN', () => m.engine.snapshot().every((v) => v.monitor.state === 'DOWN'));
      await waitFor('a message', () => hook.received.length > 0);
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(hook.received.length, 1, 'one message for the host');
      const body = asJson(hook.received[0]!.body);
      assert.equal(body.count, 3);
      assert.match(String(body.summary), /^3 ports on 127\.0\.0\.1 down: /);
      for (const s of svcs) assert.match(String(body.summary), new RegExp(`\\b${s.port} refused`));
      assert.deepEqual((body.targets as Json[]).map((t) => t.port).sort(), svcs.map((s) => s.port).sort());
      assert.equal((body.alertIds as string[]).length, 3);
    } finally {
      await m.stop();
      await hook.close();
    }
  });

  it('telegram: Bot API sendMessage shape; a 429 with retry_after is honoured before the next attempt', async () => {
    const token = '123456:TEST-telegram-token-abc';
    const bot = await httpReceiver((_r, n) =>
      n === 1 ? { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } } : { status: 200, body: { ok: true, result: { message_id: n } } },
    );
    const svc = await listen();
    const cfg = notifyConfig(
      {
        defaults: { ...FAST_TARGET, notify: ['oncall'] },
        alerts: { groupWithin: '100ms' },
        notifiers: { oncall: { type: 'telegram', token: '${env:TG_TOKEN}', chatId: -1001234, apiBase: `http://127.0.0.1:${bot.port}` } },
        targets: [{ name: 'redis', host: '127.0.0.1', port: svc.port }],
      },
      { TG_TOKEN: token },
    );
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      await svc.close();
      await waitFor('second request', () => bot.received.length >= 2);
      const [first, second] = bot.received;
      assert.equal(first!.path, `/bot${token}/sendMessage`);
      const body = asJson(second!.body);
      assert.equal(body.chat_id, -1001234);
      assert.equal(body.parse_mode, 'HTML');
      assert.match(String(body.text), /^<b>DOWN redis/);
      assert.match(String(body.text), /refused/);
      assert.ok(second!.at - first!.at >= 950, `retry waited ${second!.at - first!.at}ms (retry_after 1 s; backoff alone is ~150 ms)`);
      await waitFor('delivered', () => m.notify.health()[0]?.pending === 0);
      assert.equal(bot.received.length, 2);
      const err = m.history.db!.prepare('SELECT last_error FROM outbox').pluck().get() as string;
      assert.match(err, /429/);
      assert.ok(!err.includes(token));
    } finally {
      await m.stop();
      await bot.close();
    }
  });

  it('email: a real SMTP receiver gets a readable plain-text mail with the port and the cause', async () => {
    const smtp = await smtpReceiver();
    const svc = await listen();
    const cfg = notifyConfig(
      {
        defaults: { ...FAST_TARGET, notify: ['mail'] },
        alerts: { groupWithin: '100ms' },
        notifiers: {
          mail: { type: 'email', host: '127.0.0.1', port: smtp.port, starttls: 'off', user: 'porthole', password: '${env:SMTP_PASS}', from: 'porthole@example.test', to: ['oncall@example.test'] },
        },
        targets: [{ name: 'pg', host: '127.0.0.1', port: svc.port, service: 'postgres' }],
      },
      { SMTP_PASS: 'smtp-secret-pw-42' },
    );
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      await svc.close();
      const mail = await waitFor('mail', () => smtp.mails[0]);
      assert.match(mail.subject ?? '', /^\[porthole\] DOWN pg \(127\.0\.0\.1:\d+ postgres\): refused$/);
      assert.match(mail.text ?? '', new RegExp(`127\\.0\\.0\\.1:${svc.port}`));
      assert.match(mail.text ?? '', /cause: refused \(.*ECONNREFUSED/);
      assert.match(mail.text ?? '', /alert id: down:/);
      assert.ok(String(mail.headers.get('x-porthole-alert-id')).startsWith('down:'));
      assert.deepEqual(smtp.logins, [{ user: 'porthole', pass: 'smtp-secret-pw-42' }]);
      for (const line of (mail.text ?? '').split('\n')) assert.ok(line.length <= 120, `short lines for a phone: ${line}`);
    } finally {
      await m.stop();
      await smtp.close();
    }
  });

  it('command: the event as JSON on stdin and as environment variables; exit code decides', async () => {
    const svc = await listen();
    const { mkdtempSync, readFileSync, writeFileSync, chmodSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'porthole-cmd-'));
    const script = join(dir, 'alert.sh');
    writeFileSync(script, `#!/bin/sh\ncat > "$1/stdin.json"\nenv | grep ^PORTHOLE_ > "$1/env.txt"\nenv | grep -c SECRET_ > "$1/secret-count.txt"\nexit 0\n`);
    chmodSync(script, 0o755);
    const cfg = notifyConfig({
      defaults: { ...FAST_TARGET, notify: ['script'] },
      alerts: { groupWithin: '100ms' },
      notifiers: { script: { type: 'command', command: script, args: [dir], timeout: '5s' } },
      targets: [{ name: 'ssh', host: '127.0.0.1', port: svc.port }],
    });
    process.env.SECRET_OTHER_CHANNEL = 'x';
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      await svc.close();
      await waitFor('delivered', () => m.notify.health()[0]?.status === 'ok');
      const stdin = JSON.parse(readFileSync(join(dir, 'stdin.json'), 'utf8')) as Json;
      assert.equal(stdin.event, 'down');
      assert.equal(stdin.port, svc.port);
      const env = readFileSync(join(dir, 'env.txt'), 'utf8');
      assert.match(env, /^PORTHOLE_EVENT=down$/m);
      assert.match(env, new RegExp(`^PORTHOLE_PORT=${svc.port}$`, 'm'));
      assert.match(env, /^PORTHOLE_CAUSE=refused$/m);
      assert.equal(readFileSync(join(dir, 'secret-count.txt'), 'utf8').trim(), '0', 'other environment variables are not passed on');
    } finally {
      delete process.env.SECRET_OTHER_CHANNEL;
      await m.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maintenance: a target in its window raises no alert, and the console can tell', async () => {
    const hook = await httpReceiver();
    const svc = await listen();
    const now = Date.now();
    const cfg = notifyConfig({
      defaults: { ...FAST_TARGET, notify: ['team'] },
      alerts: { groupWithin: '100ms' },
      notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
      maintenance: [{ name: 'db upgrade', tags: ['db'], start: new Date(now - 60_000).toISOString(), end: new Date(now + 3_600_000).toISOString() }],
      targets: [{ name: 'db', host: '127.0.0.1', port: svc.port, tags: ['db'] }],
    });
    const m = runMonitor(cfg);
    try {
      await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
      const target = m.engine.snapshot()[0]!.target;
      assert.equal(m.notify.inMaintenance(target), true);
      assert.equal(m.notify.maintenanceName(target), 'db upgrade');
      assert.equal(m.notify.inMaintenance(target, now + 7_200_000), false);
      await svc.close();
      await waitFor('DOWN', () => m.engine.snapshot()[0]?.monitor.state === 'DOWN');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hook.received.length, 0);
      assert.equal(m.history.db!.prepare('SELECT count(*) FROM outbox').pluck().get(), 0);
    } finally {
      await m.stop();
      await hook.close();
    }
  });

  it('keeps the outbox in the history file', async () => {
    const hook = await httpReceiver();
    const cfg = notifyConfig({ notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/` } }, targets: [] });
    const m = runMonitor(cfg, undefined, true);
    try {
      const file = m.history.file;
      await m.stop();
      const db = new Database(file, { readonly: true });
      assert.ok((db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'").pluck().get() as number) === 1);
      db.close();
    } finally {
      await hook.close();
    }
  });
});
