import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { base64Cores, Redactor } from '../../src/notify/redact.js';
import { listen, waitFor } from '../helpers/net.js';
import { FAST_TARGET, notifyConfig, runMonitor } from './helpers/monitor.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** A real SMTP server (smtp-server) that refuses every login and echoes what the client sent, as some do. */
async function echoingSmtp(method: 'PLAIN' | 'LOGIN'): Promise<{ port: number; echoed: string[]; close(): Promise<void> }> {
  const echoed: string[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: [method],
    logger: false,
    onAuth(auth, _session, cb) {
      const user = auth.username ?? '';
      const pass = auth.password ?? '';
      const echo = method === 'PLAIN' ? `AUTH PLAIN ${b64(`\0${user}\0${pass}`)}` : `user ${b64(user)} pass ${b64(pass)}`;
      echoed.push(echo);
      cb(Object.assign(new Error(`5.7.8 Error: authentication failed: ${echo}`), { responseCode: 535 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, echoed, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Every way the password could still stand in the text: plain, URL-encoded, base64 at any alignment. */
function leaks(text: string, password: string, user: string): string[] {
  const found: string[] = [];
  const forms = [password, encodeURIComponent(password), b64(password), b64(`\0${user}\0${password}`), ...base64Cores(password)];
  for (const f of forms) if (text.includes(f)) found.push(f);
  return found;
}

describe('an SMTP server that echoes the AUTH blob: no encoding of the password reaches notify test, health or the outbox', () => {
  // User names of three lengths put the password at each of the three base64 alignments in the PLAIN blob.
  for (const [method, user] of [['PLAIN', 'ops'], ['PLAIN', 'ops1'], ['PLAIN', 'ops12'], ['LOGIN', 'alerts']] as const) {
    it(`AUTH ${method} as "${user}"`, async () => {
      const password = 'Tr0ub4dor&3-horse/battery+staple';
      const smtp = await echoingSmtp(method);
      const svc = await listen();
      const cfg = notifyConfig(
        {
          defaults: { ...FAST_TARGET, notify: ['mail'] },
          alerts: { groupWithin: '100ms' },
          notifiers: { mail: { type: 'email', host: '127.0.0.1', port: smtp.port, starttls: 'off', user, password: '${env:SMTP_PASS}', from: 'porthole@example.test', to: ['oncall@example.test'] } },
          targets: [{ name: 'pg', host: '127.0.0.1', port: svc.port }],
        },
        { SMTP_PASS: password },
      );
      const m = runMonitor(cfg);
      try {
        const [outcome] = await m.notify.test('mail');
        assert.equal(outcome?.ok, false);
        // The server did echo it: without redaction the password's base64 would be in the detail.
        assert.ok(smtp.echoed.length > 0 && leaks(smtp.echoed.join(' '), password, user).length > 0);
        assert.match(outcome!.detail, /535/);
        assert.match(outcome!.detail, /\[redacted\]/);
        assert.deepEqual(leaks(outcome!.detail, password, user), [], outcome!.detail);

        await waitFor('target UP', () => m.engine.snapshot()[0]?.monitor.state === 'UP');
        await svc.close();
        const health = await waitFor('a failed delivery', () => m.notify.health().find((h) => h.lastError));
        assert.match(health.lastError ?? '', /535/);
        assert.deepEqual(leaks(health.lastError ?? '', password, user), [], health.lastError);
        const db = new Database(join(m.dataDir, 'history.sqlite'), { readonly: true });
        try {
          const errors = db.prepare('SELECT last_error FROM outbox WHERE last_error IS NOT NULL').pluck().all() as string[];
          assert.ok(errors.length > 0);
          for (const e of errors) assert.deepEqual(leaks(e, password, user), [], e);
        } finally {
          db.close();
        }
      } finally {
        await m.stop();
        await svc.close().catch(() => undefined);
        await smtp.close();
      }
    });
  }
});

describe('Redactor', () => {
  it('hides a secret as written, URL-encoded (both forms) and base64 at every alignment, standard and URL-safe', () => {
    const secret = 'p@ss word/with+signs?';
    const r = new Redactor([secret]);
    const samples = [
      `plain ${secret} end`,
      `url ${encodeURIComponent(secret)} end`,
      `form ${new URLSearchParams({ s: secret }).toString().slice(2)} end`,
      ...['', 'a', 'ab', 'abc'].map((pre) => `b64 ${b64(`${pre}${secret}tail`)} end`),
      `basic ${b64(`user:${secret}`).replace(/\+/g, '-').replace(/\//g, '_')} end`,
    ];
    for (const s of samples) {
      const out = r.redact(s);
      assert.match(out, /\[redacted\] end$/, `${s} → ${out}`);
      assert.equal(out.includes(secret), false);
    }
  });

  it('leaves text without the secret alone (other base64, words, numbers)', () => {
    const r = new Redactor(['hunter2-secret']);
    const text = `535 5.7.8 Authentication failed ${b64('someone else entirely')} id=42`;
    assert.equal(r.redact(text), text);
  });

  it('including(): a channel adds what it sends (a short password inside an AUTH blob)', () => {
    const r = new Redactor([]).including([`\0u\0abc`, b64(`\0u\0abc`)]);
    assert.equal(r.redact(`535 echo ${b64('\0u\0abc')}`), '535 echo [redacted]');
  });
});
