import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
// The test runner's JSX transform is the classic one: React must be in scope.
import React from 'react';
void React;

// Force chalk to emit colour so "no escape codes with colour off" proves something; must be set before ink loads.
process.env.FORCE_COLOR = '1';
const { render, cleanup } = await import('ink-testing-library');
const { Console } = await import('../../src/ui/Console.js');
const { BUILTIN_DEFAULTS } = await import('../../src/config/target.js');
const { FakeFeed, FakeSource, NOW, fakeCommands, view, waitFor } = await import('./fixtures.js');
type TargetView = import('../../src/engine/types.js').TargetView;
type Incident = import('../../src/engine/types.js').Incident;

const SIZE = { columns: 80, rows: 24 };

function mount(views: TargetView[], opts: { color?: boolean; size?: { columns: number; rows: number }; incidents?: Incident[]; uptime?: (id: string) => number | undefined } = {}) {
  const source = new FakeSource(views);
  const feed = new FakeFeed(opts.incidents ?? []);
  const commands = fakeCommands(source);
  const app = render(
    <Console
      source={source}
      incidents={feed}
      commands={commands}
      defaults={BUILTIN_DEFAULTS}
      configFile="/etc/porthole/config.json"
      stateFile="/home/u/.config/porthole/console-state.json"
      color={opts.color ?? false}
      size={opts.size ?? SIZE}
      pollMs={20}
      now={() => NOW}
      {...(opts.uptime ? { uptime: opts.uptime } : {})}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const press = async (key: string, until: (f: string) => boolean, what: string) => {
    app.stdin.write(key);
    await waitFor(() => until(frame()), what);
  };
  return { app, source, feed, commands, frame, press };
}

const STD = (): TargetView[] => [
  view('web', 'UP', { lastResult: { connectMs: 12 } }),
  view('db', 'DOWN', { monitor: { cause: 'refused' } }),
  view('dns-box', 'DOWN', { monitor: { cause: 'dns' } }),
  view('far', 'DOWN', { monitor: { cause: 'unreachable' } }),
  view('slowpoke', 'DOWN', { monitor: { cause: 'timeout' } }),
  view('cache', 'RETRYING', { monitor: { pending: { to: 'DOWN', count: 2, firstAt: NOW, cause: 'timeout' } } }),
  view('old', 'PAUSED'),
];

function lineOf(frame: string, name: string): string {
  return frame.split('\n').find((l) => l.includes(` ${name} `)) ?? '';
}

afterEach(() => cleanup());

describe('console: grid', () => {
  it('shows every state with its symbol and every failure with its cause', () => {
    const { frame } = mount(STD());
    const f = frame();
    assert.match(lineOf(f, 'web'), /● UP/);
    assert.match(lineOf(f, 'db'), /✗ DOWN +refused/);
    assert.match(lineOf(f, 'dns-box'), /✗ DOWN +dns/);
    assert.match(lineOf(f, 'far'), /✗ DOWN +unreachable/);
    assert.match(lineOf(f, 'slowpoke'), /✗ DOWN +timeout/);
    assert.match(lineOf(f, 'old'), /‖ PAUSED/);
    assert.match(f, /✗ DOWN 4/);
  });
  it('a RETRYING target shows its counter towards DOWN', () => {
    const { frame } = mount(STD());
    assert.match(lineOf(frame(), 'cache'), /↻ RETRYING +2\/3 → DOWN timeout/);
  });
  it('the selected row keeps a › marker without colour; uptime shows — until history provides it', () => {
    const { frame } = mount(STD(), { size: { columns: 200, rows: 40 }, uptime: (id) => (id === 'web' ? 99.5 : undefined) });
    const f = frame();
    assert.match(f, /› cache/);
    assert.match(lineOf(f, 'web'), /99\.50%/);
    assert.match(lineOf(f, 'db'), /—/);
  });
  it('frames never exceed rows − 1 lines, at any size; too small says so on one line', () => {
    for (const size of [{ columns: 80, rows: 24 }, { columns: 200, rows: 50 }, { columns: 60, rows: 12 }]) {
      const { frame, app } = mount(STD(), { size });
      assert.ok(frame().split('\n').length <= size.rows - 1, `${size.columns}x${size.rows}: ${frame().split('\n').length}`);
      for (const l of frame().split('\n')) assert.ok(Array.from(l).length <= size.columns, `line too wide at ${size.columns}: ${l}`);
      app.unmount();
    }
    const { frame } = mount(STD(), { size: { columns: 50, rows: 10 } });
    assert.equal(frame(), 'terminal too small: need 60×12, have 50×10');
    const tiny = mount(STD(), { size: { columns: 34, rows: 5 } });
    assert.equal(tiny.frame(), 'too small: need 60×12, have 34×5');
  });
  it('renders new snapshots only through the polled version', async () => {
    const { frame, source } = mount([view('web', 'UP')]);
    source.set([view('web', 'DOWN', { monitor: { cause: 'refused' } })]);
    await waitFor(() => /✗ DOWN +refused/.test(frame()), 'the new state');
  });
});

describe('console: keys', () => {
  it('/ filters by text and Esc clears', async () => {
    const { frame, press } = mount(STD());
    await press('/', (f) => f.includes('/▏'), 'filter bar');
    for (const ch of 'refused') await press(ch, (f) => f.includes(`/${'refused'.slice(0, 'refused'.indexOf(ch) + 1)}`), ch);
    await press('\r', (f) => f.includes('filter: refused'), 'filter kept');
    assert.ok(lineOf(frame(), 'db'));
    assert.equal(lineOf(frame(), 'web'), '');
    await press('\x1b', (f) => lineOf(f, 'web') !== '', 'filter cleared');
  });
  it('s cycles the sort: state puts the worst first', async () => {
    const { frame, press } = mount(STD());
    const names = () => frame().split('\n').slice(2, 9).map((l) => l.trim().replace(/^› /, '').split(/\s+/)[0]);
    assert.deepEqual(names(), ['cache', 'db', 'dns-box', 'far', 'old', 'slowpoke', 'web']);
    await press('s', (f) => f.includes('sort state'), 'sort by state');
    assert.deepEqual(names(), ['db', 'dns-box', 'far', 'slowpoke', 'cache', 'web', 'old']);
  });
  it('? lists every key and where console state lives', async () => {
    const { press, frame } = mount(STD(), { size: { columns: 100, rows: 30 } });
    await press('?', (f) => f.includes('Help'), 'help');
    for (const k of ['j k', 'g G', 'PgUp PgDn', 'Enter', 'a ', 'e ', 'p ', 'P ', 'r ', 'd ', '/ ', 's ', '?', 'q  Ctrl-C']) assert.ok(frame().includes(k), k);
    assert.ok(frame().includes('/home/u/.config/porthole/console-state.json'));
    await press('x', (f) => !f.includes('Help'), 'help closed');
  });
  it('a opens the form; an invalid entry shows the schema error inline', async () => {
    const { press, frame, commands } = mount(STD());
    await press('a', (f) => f.includes('Add a target'), 'form');
    for (const ch of 'x') await press(ch, (f) => f.includes('name      x'), 'typed name');
    await press('\t', (f) => f.includes('› host'), 'host field');
    for (const [i, ch] of [...'bad host'].entries()) await press(ch, (f) => f.includes(`host      ${'bad host'.slice(0, i + 1)}▏`), ch);
    await press('\t', (f) => f.includes('› port'), 'port field');
    for (const [i, ch] of [...'postgress'].entries()) await press(ch, (f) => f.includes(`port      ${'postgress'.slice(0, i + 1)}▏`), ch);
    await press('\r', (f) => f.includes('    ✗'), 'inline errors');
    assert.match(frame(), /✗ expected a host name or IP address/);
    assert.match(frame(), /✗ unknown service "postgress" — did you mean "postgres"\?/);
    assert.deepEqual(commands.calls, []);
    await press('\x1b', (f) => !f.includes('Add a target'), 'form closed');
  });
  it('p, r, d + y, P and q go through the commands', async () => {
    const { press, commands, frame } = mount(STD());
    await press('j', (f) => /› db/.test(f), 'moved to db');
    await press('p', () => commands.calls.includes('pause:db'), 'pause');
    await new Promise((r) => setTimeout(r, 30)); // p changes no frame here (the fake engine does not pause)
    await press('r', (f) => f.includes('rechecking db'), 'recheck');
    await press('d', (f) => f.includes('Delete db'), 'confirm');
    await press('y', (f) => commands.calls.includes('remove:db') && !f.includes('Delete db'), 'remove');
    await press('P', () => commands.calls.includes('all'), 'all');
    await press('G', (f) => /› web/.test(f), 'bottom');
    await press('g', (f) => /› cache/.test(f), 'top');
    await press('\r', (f) => f.includes('handshake ms over last'), 'detail pane');
    await press('q', () => commands.calls.includes('quit'), 'quit');
    assert.ok(frame().length > 0);
  });
});

describe('console: untrusted text and colour', () => {
  const EVIL_NAME = 'pwn\x1b]52;c;ZWNobyBoaQ==\x07ed\x1b[2J\x1b]0;title\x07\u202e';
  const EVIL_DETAIL = 'banner\x1b]52;c;cm0gLXJm\x07 \x1b[2Jclear\rback\bspace\x07bell';
  const evil = (): TargetView[] => [
    view(EVIL_NAME, 'DOWN', { monitor: { cause: 'refused', evidence: EVIL_DETAIL }, lastResult: { outcome: 'refused', errno: 'E\x1b[31mX', detail: EVIL_DETAIL } }),
    view('ok', 'UP'),
  ];
  const incidents = (): Incident[] => [
    { id: 'i1', targetId: EVIL_NAME, from: 'UP', to: 'DOWN', cause: 'refused', evidence: EVIL_DETAIL, started: NOW - 5000, ended: null, durationMs: null },
  ];

  it('no OSC 52, no clear-screen, no raw control character reaches any frame (grid, detail, log, help)', async () => {
    const { app, press } = mount(evil(), { incidents: incidents(), size: { columns: 160, rows: 40 } });
    await press('\r', (f) => f.includes('handshake ms over last') || f.includes('no successful handshake'), 'detail');
    await press('?', (f) => f.includes('Help'), 'help');
    await press('x', (f) => !f.includes('Help'), 'help closed');
    await press('d', (f) => f.includes('Delete'), 'confirm');
    const all = app.frames.join('\n');
    assert.ok(all.includes('pwned'), 'the name is shown, stripped');
    assert.ok(!all.includes(']52;'), 'no OSC 52');
    assert.ok(!all.includes('\x1b'), 'no escape at all (colour is off)');
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(all), 'no raw control characters besides newline');
    assert.ok(all.includes('\\r') && all.includes('\\u202e'), 'controls shown as visible escapes');
  });

  it('with colour on, only SGR colour sequences appear; the evil ones still do not', () => {
    const { app } = mount(evil(), { incidents: incidents(), color: true });
    const all = app.frames.join('\n');
    assert.ok(all.includes('\x1b['), 'colour is on in this test (FORCE_COLOR)');
    const seqs = all.match(/\x1b[^m]*m|\x1b[\s\S]{0,3}/g) ?? [];
    for (const s of seqs) assert.match(s, /^\x1b\[[0-9;]*m$/, `only SGR: ${JSON.stringify(s)}`);
  });

  it('colour off (NO_COLOR / --no-color): no escape sequence at all, selection still marked', async () => {
    const { app, press } = mount(STD(), { color: false, incidents: incidents() });
    await press('\r', (f) => f.includes('handshake ms over last') || f.includes('no successful'), 'detail with chart');
    await press('j', (f) => /› db/.test(f), 'move');
    assert.ok(!app.frames.join('\n').includes('\x1b['));
  });
});

describe('console: keys typed ahead', () => {
  it('a run of j arriving in one read moves that many rows', async () => {
    const { app, frame } = mount(STD());
    app.stdin.write('jjj');
    await waitFor(() => /› far/.test(frame()), 'moved three rows');
    app.stdin.write('k');
    await waitFor(() => /› dns-box/.test(frame()), 'moved back one');
  });
});
