import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { distMissing, MAIN, startAgent, type AgentProcess } from '../helpers/agent.js';
import { NatsServer, natsUnavailable } from '../helpers/nats.js';
import { which } from '../helpers/system.js';
import { PROMPT_SEEN, Term } from '../helpers/tmux.js';
import { clusterLines } from '../../src/ui/model/cluster-rows.js';
import { connect } from '@nats-io/transport-node';
import { readStoredResults } from '../../src/cluster/read-results.js';
import { quorumOf } from '../../src/cluster/quorum.js';
import type { ResultMessage } from '../../src/cluster/result-message.js';
import type { State } from '../../src/engine/types.js';

const NOW = 1_800_000_000_000;
const msg = (location: string, id: string, state: State, ageMs = 300): ResultMessage => ({
  location, id, name: id, host: '10.0.0.5', port: 5432, at: NOW - ageMs, state, outcome: state === 'DOWN' ? 'timeout' : 'open',
  connectMs: state === 'DOWN' ? null : 0.4, totalMs: 1, intervalMs: 1000, ...(state === 'DOWN' ? { cause: 'timeout' } : {}),
});

describe('the cluster console layout (pure)', () => {
  const views = [
    quorumOf([msg('a', 'db', 'UP'), msg('b', 'db', 'UP'), msg('c', 'db', 'DOWN')], NOW)!,
    quorumOf([msg('a', 'web', 'UP'), msg('b', 'web', 'UP', 5000), msg('c', 'web', 'UP')], NOW)!,
  ];
  it('200×50: a column per location beside the quorum', () => {
    const lines = clusterLines(views, ['a', 'b', 'c'], { columns: 200, rows: 50 }, NOW, 'porthole cluster nats://x');
    assert.ok(lines.every((l) => l.text.length <= 200));
    assert.match(lines[0]?.text ?? '', /3 locations {2}UP 1 · PARTIAL 1/);
    assert.match(lines[1]?.text ?? '', /^TARGET +HOST:PORT +QUORUM +a +b +c/);
    assert.match(lines[2]?.text ?? '', /^db +10\.0\.0\.5:5432 +PARTIAL 2\/3 up +UP 0\.4ms +UP 0\.4ms +DOWN timeout/);
    assert.match(lines[3]?.text ?? '', /^web .* UP +UP 0\.4ms +STALE 5s +UP 0\.4ms/);
  });
  it('80×24 with more locations than fit: two lines a target, nothing past 80 columns or 24 rows', () => {
    const many = ['a', 'b', 'c', 'd', 'e'];
    const lots = Array.from({ length: 30 }, (_, i) => quorumOf(many.map((l) => msg(l, `t${String(i).padStart(2, '0')}`, 'UP')), NOW)!);
    const lines = clusterLines(lots, many, { columns: 80, rows: 24 }, NOW, 'porthole cluster nats://x');
    assert.equal(lines.length, 23, 'header, column line, 10 whole targets, the footer');
    assert.ok(lines.every((l) => l.text.length <= 80));
    assert.match(lines[2]?.text ?? '', /^UP +t00 +10\.0\.0\.5:5432/);
    assert.match(lines[3]?.text ?? '', /^ {2}a: UP 0\.4ms · b: UP 0\.4ms · c: UP 0\.4ms · d: UP 0\.4ms · e: UP 0\.4ms/);
    assert.match(lines[22]?.text ?? '', /^40 more lines \(j\/k, arrows\)/);
    const scrolled = clusterLines(lots, many, { columns: 80, rows: 24 }, NOW, 'h', 15);
    assert.match(scrolled[2]?.text ?? '', /t06/, 'scrolled so that the selected one is the last on screen');
    assert.equal(scrolled.find((l) => l.selected)?.text.includes('t15'), true);
    const end = clusterLines(lots, many, { columns: 80, rows: 24 }, NOW, 'h', 99);
    assert.match(end[2]?.text ?? '', /t20/, 'scrolling stops at the last screenful');
  });
});

const skip = distMissing || natsUnavailable() || (!which('tmux') ? 'tmux is not installed' : false);

describe('porthole ui --cluster in tmux', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cluster-console-'));
  let nats: NatsServer;
  let up: Listener;
  const agents: AgentProcess[] = [];
  const terms: Term[] = [];

  before(async () => {
    nats = await NatsServer.onLoopback();
    up = await listen('127.0.0.1');
    for (const location of ['a', 'b']) {
      const file = join(dir, `${location}.json`);
      // b cannot reach "db" (for b it is a name that cannot resolve: a freed port could be taken by
      // anything running meanwhile, a .invalid name never resolves): PARTIAL.
      const db = location === 'b' ? { id: 'db', name: 'db', host: 'db.porthole.invalid', port: up.port } : { id: 'db', name: 'db', host: '127.0.0.1', port: up.port };
      writeFileSync(file, JSON.stringify({ defaults: { interval: '1s', timeout: '1s', retries: 0 }, targets: [{ name: 'web', host: '127.0.0.1', port: up.port }, db], cluster: { url: nats.url, location } }));
      agents.push(await startAgent({ config: file, dataDir: join(dir, location) }));
    }
  });

  after(async () => {
    for (const t of terms) t.kill();
    await Promise.allSettled(agents.map((a) => a.kill()));
    await up?.close();
    await nats?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [cols, rows] of [[80, 24], [200, 50]] as const) {
    it(`${cols}×${rows}: each target by quorum and per location; q leaves the terminal as it was`, async () => {
      const t = new Term(cols, rows, [`PORTHOLE_CONFIG_DIR=${join(dir, 'cfg')}`, `PORTHOLE_DATA_DIR=${join(dir, 'data')}`]);
      terms.push(t);
      await t.see('prompt', (s) => s.includes(PROMPT_SEEN));
      t.type(`clear; node ${MAIN} ui --cluster ${nats.url}`);
      t.key('Enter');
      const screen = await t.see('both targets', (s) => /PARTIAL 1\/2 up/.test(s) && /^web .*UP +UP [\d.]+ms +UP [\d.]+ms/m.test(s), 20_000);
      const lines = screen.split('\n');
      assert.match(lines[0] ?? '', /^porthole cluster nats:\/\/127\.0\.0\.1:\d+ +2 locations +UP 1 · PARTIAL 1/);
      assert.match(screen, /^db +\S+ +PARTIAL 1\/2 up +UP [\d.]+ms +DOWN dns/m);
      assert.ok(lines.every((l) => l.length <= cols));
      // r: every location that checks the selected target (db, the first) checks it now and answers.
      t.key('r');
      const answered = await t.see('both answers', (s) => /recheck db: .*\(2 answers, done\)/.test(s), 15_000);
      const note = answered.split('\n').find((l) => l.startsWith('recheck db:')) ?? '';
      assert.match(note, /a UP [\d.]+ms \(\d+ ms\)/);
      assert.match(note, /b DOWN dns \(\d+ ms\)/);
      t.key('q');
      await t.see('the prompt back, the screen restored', (s) => s.trimEnd().split('\n').pop()?.startsWith(PROMPT_SEEN) === true && !s.includes('QUORUM'), 10_000);
    });
  }

  it('a config with a cluster section opens the cluster view (no --cluster needed)', async () => {
    const t = new Term(80, 24, [`PORTHOLE_CONFIG_DIR=${join(dir, 'cfg')}`, `PORTHOLE_DATA_DIR=${join(dir, 'data')}`]);
    terms.push(t);
    await t.see('prompt', (s) => s.includes(PROMPT_SEEN));
    t.type(`clear; node ${MAIN} --config ${join(dir, 'a.json')}`);
    t.key('Enter');
    await t.see('the cluster view', (s) => /^porthole cluster nats:\/\/127\.0\.0\.1:\d+ +2 locations/m.test(s) && /PARTIAL 1\/2 up/.test(s), 20_000);
    t.key('q');
    await t.see('the prompt back', (s) => s.trimEnd().split('\n').pop()?.startsWith(PROMPT_SEEN) === true && !s.includes('QUORUM'), 10_000);
  });

  it('a: a target added in the console is checked by every agent within a second (seen in the stream); d y removes it', async () => {
    const extra = await listen('127.0.0.1');
    const nc = await connect({ servers: nats.url });
    try {
      const t = new Term(200, 50, [`PORTHOLE_CONFIG_DIR=${join(dir, 'cfg')}`]);
      terms.push(t);
      await t.see('prompt', (s) => s.includes(PROMPT_SEEN));
      t.type(`clear; node ${MAIN} ui --cluster ${nats.url}`);
      t.key('Enter');
      await t.see('the grid', (s) => /PARTIAL 1\/2 up/.test(s), 20_000);
      t.key('a');
      await t.see('the add prompt', (s) => s.includes('add to every location:'));
      t.type(`extra 127.0.0.1:${extra.port}`);
      t.key('Enter');
      await t.see('added', (s) => s.includes('added extra to the shared list'), 10_000);
      const addedAt = Date.now();
      const stored = await waitFor('extra from a and b', async () => {
        const r = await readStoredResults(nc, 'all', 3000);
        const first = (loc: string) => r.filter((x) => x.message.location === loc && x.message.id === 'extra').map((x) => x.message.at).sort((p, q) => p - q)[0];
        const fa = first('a');
        const fb = first('b');
        return fa !== undefined && fb !== undefined ? { fa, fb } : undefined;
      }, 10_000, 100);
      assert.ok(stored.fa - addedAt < 1000 && stored.fb - addedAt < 1000, `first checks ${stored.fa - addedAt} and ${stored.fb - addedAt} ms after the screen said "added"`);
      await t.see('its row', (s) => /^extra +127\.0\.0\.1:\d+ +UP +UP [\d.]+ms +UP [\d.]+ms/m.test(s), 10_000);
      // extra sorts between db and web: select it (j once) and delete it.
      t.key('j');
      t.key('d');
      await t.see('the question', (s) => s.includes('remove extra from the shared list? y'));
      t.key('y');
      await t.see('removed', (s) => s.includes('removed extra from the shared list'), 10_000);
      t.key('q');
    } finally {
      await nc.close();
      await extra.close();
    }
  });
});
