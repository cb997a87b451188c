import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ph-secret-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Each is invalid where it stands, and must still never be printed. */
const ENV = {
  TG_BAD: '8555:AAenv-token with space',
  HOOK_URL: 'not a url SECRET-env-url-9f',
  BAD_HOST: 'bad host SECRET-env-host-3c',
  SVC: 'SECRET-env-service-7d',
};
const LITERAL = ['8555:AAH/SECRET-literal-slash', '98765432', '24681357', 'SECRET-path-key-e1', 'SECRET-user-5b'];

function configFile(): string {
  const file = join(dir, 'bad-secrets.json');
  writeFileSync(
    file,
    JSON.stringify({
      notifiers: {
        tg1: { type: 'telegram', token: '8555:AAH/SECRET-literal-slash', chatId: 1 },
        tg2: { type: 'telegram', token: '${env:TG_BAD}', chatId: 2 },
        mail: { type: 'email', host: '127.0.0.1', user: 'SECRET-user-5b', password: 98765432, from: 'a@example.test', to: 'b@example.test' },
        hook1: { type: 'webhook', url: 'ftp://127.0.0.1/SECRET-path-key-e1', headers: { Authorization: 24681357 } },
        hook2: { type: 'webhook', url: '${env:HOOK_URL}' },
      },
      targets: [
        { name: 'a', host: '${env:BAD_HOST}', port: 22 },
        { name: 'b', host: '127.0.0.1', service: '${env:SVC}' },
      ],
    }),
  );
  return file;
}

function assertNothingSecret(what: string, text: string): void {
  for (const s of [...Object.values(ENV), ...LITERAL]) {
    for (const form of [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), Buffer.from(s).toString('base64')]) {
      assert.ok(!text.includes(form), `${what} prints ${form}:\n${text}`);
    }
  }
}

describe('secrets in validation errors', () => {
  it('config validate, check --config and config show say what is wrong without the value', () => {
    const file = configFile();
    const env = { ...process.env, ...ENV, PORTHOLE_CONFIG_DIR: join(dir, 'state') };
    const runs = {
      validate: spawnSync(process.execPath, [CLI, 'config', 'validate', file], { encoding: 'utf8', env }),
      check: spawnSync(process.execPath, [CLI, 'check', '--config', file], { encoding: 'utf8', env }),
      show: spawnSync(process.execPath, [CLI, 'config', 'show', '--config', file], { encoding: 'utf8', env }),
    };
    for (const [what, r] of Object.entries(runs)) {
      const out = r.stdout + r.stderr;
      assertNothingSecret(what, out);
      assert.equal(r.status, what === 'check' ? 3 : 2, out);
      const expected = [
        /notifiers\.tg1\.token: not a Telegram bot token: expected digits:letters/,
        /notifiers\.tg2\.token: not a Telegram bot token: expected digits:letters/,
        /notifiers\.mail\.password: expected SMTP password \(text\), got a number$/m,
        /notifiers\.hook1\.url: expected a webhook URL: an http:\/\/ or https:\/\/ URL, not ftp:\/\/$/m,
        /notifiers\.hook1\.headers\.Authorization: expected a header value \(text\), got a number$/m,
        /notifiers\.hook2\.url: expected a webhook URL: not a URL/,
        /targets\[0\]\.host: expected a host name or IP address .*, got "\$\{env:BAD_HOST\}" \(its value is not shown\)/,
        /targets\[1\]\.service: unknown service "\[hidden\]"/,
      ];
      for (const re of expected) assert.match(out, re, `${what}:\n${out}`);
    }
  });
});
