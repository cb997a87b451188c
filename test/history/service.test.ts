import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { startHistory } from '../../src/history/index.js';
import { listen, waitFor } from '../helpers/net.js';
import { loopbackTarget, tempDir } from './helpers/fixtures.js';

describe('history session for the console', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('keeps monitoring without history when the database is unusable, and says so', async () => {
    writeFileSync(join(tmp.dir, 'history.sqlite'), 'garbage, not SQLite');
    const l = await listen();
    const engine = new Engine({ targets: [loopbackTarget('web', l.port)], startSpreadMs: 0 });
    const session = startHistory(engine, { dataDir: tmp.dir });
    assert.equal(session.queries, undefined);
    assert.match(session.warning() ?? '', /^history off: .*history\.sqlite.*damaged/);
    assert.deepEqual(session.seed().incidents, []);
    engine.start();
    try {
      await waitFor('web UP', () => engine.get('web')?.monitor.state === 'UP');
    } finally {
      await engine.stop();
      session.close();
      await l.close();
    }
  });

  it('seeds sparklines, incidents and uptime after a restart', async () => {
    const dir = join(tmp.dir, 'ok');
    const l = await listen();
    for (let run = 0; run < 2; run++) {
      const engine = new Engine({ targets: [loopbackTarget('web', l.port)], startSpreadMs: 0 });
      const session = startHistory(engine, { dataDir: dir, flushIntervalMs: 50 });
      assert.equal(session.warning(), undefined);
      const seed = session.seed();
      if (run === 1) {
        assert.ok((seed.recent.get('web')?.length ?? 0) >= 3, 'sparkline filled from the last run');
        assert.equal(seed.uptime.get('web')?.['24h'], 1);
      }
      engine.start();
      await waitFor('a few checks', () => (engine.get('web')?.checks ?? 0) >= 4);
      await engine.stop();
      session.close();
    }
    await l.close();
  });
});
