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


describe('the live console in a real terminal (tmux 80×24)', { skip }, () => {
  let term: Term;
  const dir = mkdtempSync(join(tmpdir(), 'porthole-e2e-'));
  const stateDir = join(dir, 'state');
  const configFile = join(dir, 'config.json');
  let a: Listener;
  let b: Listener;
  let extra: Listener;

  const screen = (): string => term.screen();
  const see = (what: string, test: (s: string) => boolean, timeoutMs = 10_000): Promise<string> => term.see(what, test, timeoutMs);
  const line = gridLine;
  const key = (k: string): void => term.key(k);
  const type = (text: string): void => term.type(text);

  before(async () => {
    a = await listen('127.0.0.1');
    b = await listen('127.0.0.1');
    extra = await listen('127.0.0.1');
    const target = (name: string, port: number) => ({ name, host: '127.0.0.1', port });
    writeFileSync(
      configFile,
      JSON.stringify({ defaults: { interval: '1s', timeout: '1s', retries: 1, retryDelay: '1s' }, targets: [target('svc-a', a.port), target('svc-b', b.port)] }),
    );
    // A plain shell with a recognisable prompt; CI removed so Ink renders every frame, not only the last.
    term = new Term(80, 24, [`PORTHOLE_CONFIG_DIR=${stateDir}`, `PORTHOLE_DATA_DIR=${join(dir, 'data')}`]);
    await see('the shell prompt', (s) => s.includes(PROMPT_SEEN));
  });

  after(async () => {
    term?.kill();
    await Promise.allSettled([a?.close(), b?.close(), extra?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<void> => {
    type(`clear; node ${MAIN} --config ${configFile}`);
    key('Enter');
    await see('the grid', (s) => s.includes('HOST:PORT') && s.includes('svc-a'));
  };

  it('watches a service die, pauses, rechecks, filters, adds a target and quits cleanly', async () => {
    await start();
    await see('both UP', (s) => /● UP/.test(line(s, 'svc-a')) && /● UP/.test(line(s, 'svc-b')));
    const frame = screen().trimEnd().split('\n');
    assert.ok(frame.length <= 24);

    await b.close();
    await see('svc-b RETRYING with its counter', (s) => /↻ RETRYING +1\/2 → DOWN refused/.test(line(s, 'svc-b')));
    const down = await see('svc-b DOWN, cause refused, and an incident', (s) => /✗ DOWN +refused/.test(line(s, 'svc-b')) && /svc-b +UP→DOWN refused +ongoing/.test(s));
    assert.match(down, /✗ DOWN 1/);

    key('j');
    await see('svc-b selected', (s) => line(s, 'svc-b').startsWith(' › '));
    key('p');
    await see('svc-b PAUSED', (s) => /‖ PAUSED/.test(line(s, 'svc-b')));
    key('k');
    await see('svc-a selected', (s) => line(s, 'svc-a').startsWith(' › '));
    key('r');
    await see('recheck acknowledged', (s) => s.includes('rechecking svc-a'));

    key('/');
    await see('filter bar', (s) => s.includes('/▏'));
    type('svc-a');
    await see('only svc-a', (s) => s.includes('/svc-a▏') && line(s, 'svc-b') === '' && line(s, 'svc-a') !== '');
    key('Escape');
    await see('filter cleared', (s) => line(s, 'svc-b') !== '' && line(s, 'svc-a') !== '');

    key('a');
    await see('the add form', (s) => s.includes('Add a target'));
    type('svc-new');
    await see('name typed', (s) => s.includes('svc-new▏'));
    key('Tab');
    await see('host field focused', (s) => s.includes('› host'));
    type('127.0.0.1');
    await see('host typed', (s) => s.includes('127.0.0.1▏'));
    key('Tab');
    await see('port field focused', (s) => s.includes('› port'));
    type(String(extra.port));
    await see('port typed', (s) => s.includes(`${extra.port}▏`));
    key('Tab');
    await see('interval field focused', (s) => s.includes('› interval'));
    type('1s');
    await see('interval typed', (s) => s.includes('1s▏'));
    key('Enter');
    await see('svc-new UP', (s) => /● UP/.test(line(s, 'svc-new')));

    key('q');
    const after = await see('the shell prompt back', (s) => {
      const lines = s.trimEnd().split('\n');
      return (lines[lines.length - 1] ?? '').startsWith(PROMPT_SEEN) && !s.includes('HOST:PORT');
    });
    assert.ok(!after.includes('svc-new'), 'the alternate screen is gone');
  });

  it('after a restart, targets added and paused in the console are still there, and the history with them', async () => {
    await start();
    await see('svc-new UP and svc-b still paused', (s) => /● UP/.test(line(s, 'svc-new')) && /‖ PAUSED/.test(line(s, 'svc-b')));
    // The outage from before the restart comes back from the history, still ongoing: a pause does not
    // end it, nor does a restart (svc-b is still paused, so nothing has confirmed a recovery).
    await see("svc-b's incident from the last run, ongoing", (s) => /svc-b +UP→DOWN refused +ongoing/.test(s));
    assert.match(line(screen(), 'svc-a'), /[▁▂▃▄▅▆▇█].*[▁▂▃▄▅▆▇█]/, 'the sparkline is filled from history');
    key('q');
    await see('the shell prompt back', (s) => (s.trimEnd().split('\n').pop() ?? '').startsWith(PROMPT_SEEN));
  });
});
