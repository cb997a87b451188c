import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { startHistory, type HistoryService } from '../../src/history/index.js';
import { startUptimeCache } from '../../src/runtime/uptime-cache.js';
import { listen, waitFor } from '../helpers/net.js';
import { loopbackTarget, tempDir } from './helpers/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real history whose uptime queries are counted. */
function counted(history: HistoryService): { history: HistoryService; refreshes: () => number } {
  let n = 0;
  const queries = history.queries!;
  const uptimes = queries.uptimes.bind(queries);
  queries.uptimes = (now?: number) => {
    n++;
    return uptimes(now);
  };
  return { history, refreshes: () => n };
}

describe('uptime cache', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('every period by default; on demand (an agent) only while someone reads, and at once after a quiet spell', async () => {
    const l = await listen();
    const engine = new Engine({ targets: [loopbackTarget('web', l.port)], startSpreadMs: 0 });
    const session = startHistory(engine, { dataDir: join(tmp.dir, 'a'), flushIntervalMs: 20 });
    engine.start();
    try {
      await waitFor('web UP', () => engine.get('web')?.monitor.state === 'UP');
      const { history, refreshes } = counted(session);

      const always = startUptimeCache(history, new Map(), { refreshMs: 100 });
      await sleep(450);
      const alwaysN = refreshes();
      always.stop();
      assert.ok(alwaysN >= 2, `refreshed ${alwaysN} times in 450 ms at a 100 ms period with nobody reading`);

      // Periods of 300 ms; the times below leave at least 100 ms between a check and a tick.
      const before = refreshes();
      const lazy = startUptimeCache(history, new Map(), { refreshMs: 300, onDemand: true });
      await sleep(450);
      assert.equal(refreshes() - before, 0, 'nobody read: no refresh');
      // The first read after a quiet spell gets the figures it has and starts a refresh right after.
      assert.equal(lazy.get('web'), undefined);
      await sleep(20);
      assert.equal(refreshes() - before, 1, 'one refresh right after the first read');
      assert.ok(lazy.get('web'), 'the refreshed entry (from the history, which knows web)');
      // Read every 50 ms for two periods: refreshed on the period while read.
      for (let i = 0; i < 12; i++) {
        await sleep(50);
        lazy.get('web');
      }
      const whileRead = refreshes() - before;
      assert.ok(whileRead >= 2, `refreshed ${whileRead} times while read`);
      // Reading stops: once a period has passed since the last read, the refreshes stop too.
      await sleep(450);
      const settled = refreshes();
      await sleep(700);
      assert.equal(refreshes(), settled, 'no refresh once nobody reads');
      lazy.stop();
    } finally {
      await engine.stop();
      session.close();
      await l.close();
    }
  });
});
