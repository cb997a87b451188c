// Issue 11, items 19–21 and 23 in a real terminal: the console in tmux at 80×24, then resized to 200×50.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listen, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { gridLine, PROMPT_SEEN, Term } from '../helpers/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const skip = !which('tmux') ? 'tmux is not installed' : !existsSync(MAIN) ? 'dist/cli/main.js is missing: run npm run build first' : false;
/** A loopback address (all of 127/8 is on lo) long enough to be cut at 80 columns before. */
const LONG_HOST = '127.100.200.250';


describe('the console shares the terminal by what it holds (tmux 80×24, then 200×50)', { skip }, () => {
  let term: Term;
  const dir = mkdtempSync(join(tmpdir(), 'porthole-e2e-room-'));
  const configFile = join(dir, 'config.json');
  const listeners: Listener[] = [];
  let relay: Listener;

  const screen = (): string => term.screen();
  const see = (what: string, test: (s: string) => boolean, timeoutMs = 10_000): Promise<string> => term.see(what, test, timeoutMs);
  const line = gridLine;
  /** Several keys in one send-keys: tmux writes them to the terminal together. */
  const keys = (...k: string[]): void => term.key(...k);
  const type = (text: string): void => term.type(text);

  before(async () => {
    relay = await listen(LONG_HOST);
    listeners.push(relay);
    for (let i = 0; i < 3; i++) listeners.push(await listen('127.0.0.1'));
    const targets = [
      { name: 'submission-relay', host: LONG_HOST, port: relay.port },
      ...listeners.slice(1).map((l, i) => ({ name: `svc-${'abc'[i]}`, host: '127.0.0.1', port: l.port })),
    ];
    writeFileSync(configFile, JSON.stringify({ defaults: { interval: '1s', timeout: '1s', retries: 1, retryDelay: '1s' }, targets }));
    // CI removed so Ink renders every frame, not only the last.
    term = new Term(80, 24, [`PORTHOLE_CONFIG_DIR=${join(dir, 'state')}`, `PORTHOLE_DATA_DIR=${join(dir, 'data')}`]);
    await see('the shell prompt', (s) => s.includes(PROMPT_SEEN));
  });

  after(async () => {
    term?.kill();
    await Promise.allSettled(listeners.map((l) => l.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('80×24: host:port whole, keys of one read each count, the delete prompt keeps its keys; 200×50: no blank rows, a wide TREND', async () => {
    type(`clear; node ${MAIN} --config ${configFile}`);
    keys('Enter');
    await see('all UP', (s) => ['submission-relay', 'svc-a', 'svc-b', 'svc-c'].every((n) => /● UP/.test(line(s, n))));

    // Item 19: the port is never cut, the name shows whole.
    assert.match(line(screen(), 'submission-relay'), new RegExp(`^ › submission-relay +${LONG_HOST.replaceAll('.', '\\.')}:${relay.port} `));

    // Item 21: three Downs in one write move three rows; three Backspaces delete three characters.
    keys('Down', 'Down', 'Down');
    await see('svc-c selected', (s) => line(s, 'svc-c').startsWith(' › '));
    keys('/');
    await see('filter bar', (s) => s.includes('/▏'));
    type('svc-c');
    await see('filter typed', (s) => s.includes('/svc-c▏'));
    keys('BSpace', 'BSpace', 'BSpace');
    await see('three characters deleted', (s) => s.includes('/sv▏'));
    keys('Enter');
    await see('filter kept', (s) => s.includes('filter: sv') && line(s, 'submission-relay') === '');
    keys('Escape');
    await see('filter cleared', (s) => line(s, 'submission-relay') !== '');

    // Item 20: the delete prompt at 80 columns ends with its keys.
    keys('g');
    await see('first row selected', (s) => line(s, 'submission-relay').startsWith(' › '));
    keys('d');
    const prompt = await see('the delete prompt', (s) => s.includes('Delete submission-relay'));
    assert.match(prompt, /y delete · n\/Esc keep\s*$/);
    keys('n');
    await see('prompt gone', (s) => !s.includes('Delete submission-relay'));

    // Item 23: at 200×50 the log starts right under the last row; TREND takes the room left.
    term.resize(200, 50);
    const wide = await see('the wide layout', (s) => s.includes('UP%') && s.includes('SINCE'));
    const rows = wide.split('\n');
    const title = rows.findIndex((l) => l.startsWith('─ Incidents'));
    assert.ok(title > 0 && line(`${rows[title - 1]}`, 'svc-c') !== '', `the row above the incident log is the last target:\n${wide}`);
    const heading = rows.find((l) => l.includes('HOST:PORT')) ?? '';
    const trendWidth = heading.indexOf('UP%') - heading.indexOf('TREND');
    assert.ok(trendWidth > 90, `TREND is ${trendWidth} columns wide:\n${heading}`);

    keys('q');
    await see('the shell prompt back', (s) => (s.trimEnd().split('\n').pop() ?? '').startsWith(PROMPT_SEEN));
  });
});
