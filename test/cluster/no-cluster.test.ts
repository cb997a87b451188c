import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { distMissing, MAIN, runCli } from '../helpers/agent.js';
import { which } from '../helpers/system.js';
import { PROMPT_SEEN, Term } from '../helpers/tmux.js';

describe('a cluster command with no cluster to talk to says so', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-no-cluster-'));
  const file = join(dir, 'single.json');
  writeFileSync(file, JSON.stringify({ targets: [{ name: 'db', host: '127.0.0.1', port: 45432 }] }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("status --cluster '' with a config without a cluster section", async () => {
    const r = await runCli(['status', '--cluster', '', '--config', file]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `porthole status: no cluster: give --cluster URL or a config with a cluster section (${file} has none)\n`);
  });

  it("ui --cluster '' with a config without a cluster section (in a terminal: tmux)", { skip: which('tmux') ? false : 'tmux is not installed' }, async () => {
    const t = new Term(120, 10, [`PORTHOLE_CONFIG_DIR=${join(dir, 'cfg')}`, `PORTHOLE_DATA_DIR=${join(dir, 'data')}`]);
    try {
      await t.see('prompt', (s) => s.includes(PROMPT_SEEN));
      t.type(`clear; node ${MAIN} ui --cluster '' --config ${file}; echo "exit=$?"`);
      t.key('Enter');
      const s = await t.see('the message and the exit code', (x) => /exit=\d+/.test(x), 20_000);
      assert.match(s.replace(/\n/g, ''), /porthole ui: no cluster: give --cluster URL or a config with a cluster section \(.*single\.json has none\)/);
      assert.match(s, /exit=2/);
    } finally {
      t.kill();
    }
  });
});
