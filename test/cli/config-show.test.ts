import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('porthole config show', () => {
  it('prints the whole merged config, defaults and alert sections included, never a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-show-'));
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({
        defaults: { certWarnDays: 30, notify: ['oncall', 'team'] },
        notifiers: {
          oncall: { type: 'telegram', token: '123456:LITERAL-TOKEN-IN-FILE', chatId: 5 },
          team: { type: 'webhook', url: 'http://127.0.0.1:9/hook/${env:PH_TEST_KEY}', headers: { Authorization: 'Bearer literal-header-secret' } },
          plain: { type: 'webhook', url: 'http://127.0.0.1:40123/hook?key=literal-query-secret' },
          root: { type: 'webhook', url: 'https://127.0.0.1:40124' },
          whole: { type: 'webhook', url: '${env:PH_TEST_URL}' },
          odd: { type: 'webhook', url: 'http://[::1]:40125/literal-path-secret' },
        },
        targets: [
          { name: 'web', host: '127.0.0.1', port: 443, tls: true },
          { name: 'quiet', host: '127.0.0.1', port: 22, notify: [] },
        ],
      }),
    );
    const r = spawnSync(process.execPath, [CLI, 'config', 'show', '--config', file], {
      encoding: 'utf8',
      env: { ...process.env, PH_TEST_KEY: 'env-secret-value', PH_TEST_URL: 'http://127.0.0.1:1/url-env-secret', PORTHOLE_CONFIG_DIR: join(dir, 'state') },
    });
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { defaults: Record<string, unknown>; targets: Record<string, unknown>[]; notifiers: Record<string, Record<string, unknown>> };
    assert.deepEqual(shown.defaults, { notify: ['oncall', 'team'], certWarnDays: 30 });
    assert.equal(shown.targets[0]!.certWarnDays, undefined, 'inherited from defaults, not repeated');
    assert.deepEqual(shown.targets[1]!.notify, []);
    assert.equal(shown.notifiers.team!.url, 'http://127.0.0.1:9/…', 'a URL is shown as scheme://host:port, its path (which may hold a key) hidden');
    assert.equal(shown.notifiers.plain!.url, 'http://127.0.0.1:40123/…');
    assert.equal(shown.notifiers.root!.url, 'https://127.0.0.1:40124');
    assert.equal(shown.notifiers.odd!.url, 'http://[::1]:40125/…');
    assert.equal(shown.notifiers.whole!.url, '${env:PH_TEST_URL}', 'a URL that is one env reference is shown as written');
    assert.equal(shown.notifiers.team!.headers && (shown.notifiers.team!.headers as Record<string, string>).Authorization, '<hidden: write it as ${env:NAME}>');
    for (const secret of ['LITERAL-TOKEN-IN-FILE', 'literal-header-secret', 'env-secret-value', 'literal-query-secret', 'literal-path-secret', 'url-env-secret']) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} must not be printed`);
    }
  });

  it('config validate and config show print the timeout-longer-than-interval warning on stderr and still exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-warn-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: 'slowpoke', host: '127.0.0.1', port: 22, interval: '2s', timeout: '5s' }] }));
    const env = { ...process.env, PORTHOLE_CONFIG_DIR: join(dir, 'state') };
    const validate = spawnSync(process.execPath, [CLI, 'config', 'validate', file], { encoding: 'utf8', env });
    assert.equal(validate.status, 0, validate.stderr);
    assert.match(validate.stdout, /OK, 1 target/);
    assert.match(validate.stderr, /^warning: targets\[0\]: timeout 5s is longer than the interval 2s: .*about every 6s instead of every 2s/m);
    const show = spawnSync(process.execPath, [CLI, 'config', 'show', '--config', file], { encoding: 'utf8', env });
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stderr, /^warning: targets\[0\]: timeout 5s is longer than the interval 2s/m);
    assert.equal((JSON.parse(show.stdout) as { targets: unknown[] }).targets.length, 1);
  });
});
