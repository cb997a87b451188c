// Issue 11, items 19–23, on the rendered console (ink-testing-library: its stdin hands Ink each write
// as one read, the way a terminal does when keys arrive together).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
// The test runner's JSX transform is the classic one: React must be in scope.
import React from 'react';
void React;

const { render, cleanup } = await import('ink-testing-library');
const { Console } = await import('../../src/ui/Console.js');
const { BUILTIN_DEFAULTS } = await import('../../src/config/target.js');
const { FakeFeed, FakeSource, NOW, fakeCommands, view, waitFor } = await import('./fixtures.js');
type TargetView = import('../../src/engine/types.js').TargetView;
type Incident = import('../../src/engine/types.js').Incident;

function mount(views: TargetView[], size: { columns: number; rows: number }, incidents: Incident[] = []) {
  const source = new FakeSource(views);
  const commands = fakeCommands(source);
  const app = render(
    <Console
      source={source}
      incidents={new FakeFeed(incidents)}
      commands={commands}
      defaults={BUILTIN_DEFAULTS}
      configFile="/etc/porthole/config.json"
      stateFile="/home/u/.config/porthole/console-state.json"
      color={false}
      size={size}
      pollMs={20}
      now={() => NOW}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const send = async (keys: string, until: (f: string) => boolean, what: string) => {
    app.stdin.write(keys);
    await waitFor(() => until(frame()), what).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n${frame()}`);
    });
  };
  return { app, frame, send, commands };
}

const line = (frame: string, name: string): string => frame.split('\n').find((l) => l.includes(` ${name} `)) ?? '';

/** Loopback targets as in config.example.json, all UP: WHY is empty on screen. */
const EXAMPLE = (): TargetView[] =>
  ['dns', 'http', 'memcached', 'mosquitto', 'postgres', 'rabbitmq', 'redis', 'submission'].map((name, i) =>
    view(name, 'UP', { target: { host: name === 'submission' ? '127.100.200.250' : '127.0.0.1', port: name === 'submission' ? 54321 : 11211 + i } }),
  );

const incidents = (n: number): Incident[] =>
  Array.from({ length: n }, (_, i) => ({ id: `i${i}`, targetId: 'dns', from: 'UP' as const, to: 'DOWN' as const, cause: 'refused' as const, evidence: `incident-${i}`, started: NOW - (i + 1) * 60_000, ended: NOW - i * 60_000, durationMs: 30_000 }));

afterEach(() => cleanup());

describe('console at 80 columns: columns by what they hold (item 19)', () => {
  it('host:port keeps its port and names show whole', () => {
    const { frame } = mount(EXAMPLE(), { columns: 80, rows: 24 });
    assert.match(line(frame(), 'submission'), /127\.100\.200\.250:54321/);
    assert.match(line(frame(), 'memcached'), / memcached +127\.0\.0\.1:11213 /);
    for (const l of frame().split('\n')) assert.ok(Array.from(l).length <= 80, l);
  });
});

describe('the delete prompt below 200 columns (item 20)', () => {
  for (const columns of [60, 80, 120]) {
    it(`${columns} columns: the keys show`, async () => {
      const { send } = mount(EXAMPLE(), { columns, rows: 24 });
      await send('G', (f) => /› submission/.test(f), 'the last target');
      await send('d', (f) => f.includes('Delete submission'), 'the prompt');
      await send('', (f) => f.trimEnd().endsWith('y delete · n/Esc keep'), 'the keys on the prompt line');
    });
  }
});

describe('the filter keeps its keys on screen (item 20)', () => {
  it('a long filter, while typed and once kept, leaves Enter / Esc visible at 80 columns', async () => {
    const { send } = mount(EXAMPLE(), { columns: 80, rows: 24 });
    const long = 'tag:db state:down some-long-host-fragment and-another-word-too';
    await send(`/${long}`, (f) => f.includes('too▏'), 'typed');
    await send('', (f) => f.includes('Enter keep · Esc clear'), 'the keys while typing');
    await send('\r', (f) => f.includes('(/ edit, Esc clear)'), 'the keys once kept');
  });
});

describe('keys that arrive in one read (item 21)', () => {
  it('three Backspaces together delete three characters of the filter', async () => {
    const { send, frame } = mount(EXAMPLE(), { columns: 80, rows: 24 });
    await send('/', (f) => f.includes('/▏'), 'filter bar');
    await send('memcached', (f) => f.includes('/memcached▏'), 'typed');
    await send('\x7f\x7f\x7f', (f) => f.includes('/memcac▏'), 'three characters gone');
    assert.ok(!frame().includes('/memcach▏'));
  });
  it('Down Down Down moves three rows', async () => {
    const { send } = mount(EXAMPLE(), { columns: 80, rows: 24 });
    await send('\x1b[B\x1b[B\x1b[B', (f) => /› mosquitto/.test(f), 'three rows down');
    await send('\x1b[A\x1b[A', (f) => /› http/.test(f), 'two rows up');
  });
  it('a mode change inside a read applies to the keys after it', async () => {
    const { send, frame, commands } = mount(EXAMPLE(), { columns: 80, rows: 24 });
    await send('/redis\r', (f) => f.includes('filter: redis'), 'filter typed ahead and kept');
    assert.ok(line(frame(), 'redis'));
    assert.equal(line(frame(), 'dns'), '');
    assert.deepEqual(commands.calls, []);
  });
});

describe('the incident log (items 22, 23)', () => {
  it('] after the last page stays there, and [ moves back at once', async () => {
    const { send, frame } = mount(EXAMPLE(), { columns: 80, rows: 24 }, incidents(40));
    const title = () => /Incidents (\d+)-(\d+) of 40/.exec(frame());
    await send(']]]]]]]]]]]]]]]]', (f) => /Incidents \d+-40 of 40/.test(f), 'the last page');
    const last = Number(title()?.[1]);
    await send('[', () => Number(title()?.[1]) < last, 'one page back');
  });
  for (const [columns, rows] of [[120, 40], [200, 50]] as const) {
    it(`${columns}×${rows}: no blank rows between the grid and the log, which takes the room left`, () => {
      const { frame } = mount(EXAMPLE(), { columns, rows }, incidents(60));
      const lines = frame().split('\n');
      const title = lines.findIndex((l) => l.startsWith('─ Incidents'));
      assert.ok(line(lines[title - 1] ? `${lines[title - 1]} ` : '', 'submission'), `the row above the log is the last target: ${lines[title - 1]}`);
      const shown = /Incidents 1-(\d+) of 60/.exec(lines[title] ?? '');
      assert.equal(Number(shown?.[1]), rows - 1 - 2 - 9 - 1, 'log lines: rows − 1 − header/footer − grid (8 + heading) − title');
    });
  }
  it('200 columns: the sparkline fills a wide TREND column', () => {
    const full = EXAMPLE().map((v) => ({ ...v, recent: Array.from({ length: 120 }, (_, i) => 1 + (i % 5)) }));
    const { frame } = mount(full, { columns: 200, rows: 50 });
    const bars = /[▁▂▃▄▅▆▇█]+/.exec(line(frame(), 'dns'))?.[0] ?? '';
    assert.ok(bars.length >= 90, `sparkline ${bars.length} wide`);
  });
});
