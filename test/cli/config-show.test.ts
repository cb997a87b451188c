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
        },
        targets: [
          { name: 'web', host: '127.0.0.1', port: 443, tls: true },
          { name: 'quiet', host: '127.0.0.1', port: 22, notify: [] },
        ],
      }),
    );
    const r = spawnSync(process.execPath, [CLI, 'config', 'show', '--config', file], {
      encoding: 'utf8',
      env: { ...process.env, PH_TEST_KEY: 'env-secret-value', PORTHOLE_CONFIG_DIR: join(dir, 'state') },
    });
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { defaults: Record<string, unknown>; targets: Record<string, unknown>[]; notifiers: Record<string, Record<string, unknown>> };
    assert.deepEqual(shown.defaults, { notify: ['oncall', 'team'], certWarnDays: 30 });
    assert.equal(shown.targets[0]!.certWarnDays, undefined, 'inherited from defaults, not repeated');
    assert.deepEqual(shown.targets[1]!.notify, []);
    assert.equal(shown.notifiers.team!.url, 'http://127.0.0.1:9/hook/${env:PH_TEST_KEY}', 'an env reference is shown as written');
    for (const secret of ['LITERAL-TOKEN-IN-FILE', 'literal-header-secret', 'env-secret-value']) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} must not be printed`);
    }
  });
});
