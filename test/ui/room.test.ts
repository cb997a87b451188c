// Issue 11, items 19–23 at model level: columns shared by what they hold, rows shared by need, the
// incident log bounded, the keys of one read split, the delete prompt's keys always shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmText, CONFIRM_KEYS } from '../../src/ui/components/ConfirmDelete.js';
import { splitKeys } from '../../src/ui/hooks/useKeys.js';
import { computeLayout, gridColumns, gridWidth, MIN_COLUMNS, TREND_SAMPLES, type ColumnKey, type GridColumn } from '../../src/ui/model/layout.js';
import { columnContent, formatRow } from '../../src/ui/model/rows.js';
import { initialUiState, uiReducer, type UiState } from '../../src/ui/model/ui-state.js';
import { NOW, view } from './fixtures.js';
type TargetView = import('../../src/engine/types.js').TargetView;

const width = (cols: readonly GridColumn[], key: ColumnKey): number => cols.find((c) => c.key === key)?.width ?? 0;

/** What a new user saw: loopback targets, all UP (WHY empty), one on a long address. */
const ALL_UP = (): TargetView[] => [
  view('submission', 'UP', { target: { host: '127.100.200.250', port: 54321 } }),
  view('memcached', 'UP', { target: { port: 11211 } }),
  view('ssh', 'UP', { target: { port: 22 } }),
];

describe('grid columns share the width by what they hold (80 columns)', () => {
  it('host:port and names show whole when WHY is empty on screen; WHY gives its room away', () => {
    const cols = gridColumns(79, columnContent(ALL_UP()));
    assert.ok(width(cols, 'HOST:PORT') >= '127.100.200.250:54321'.length, `host:port ${width(cols, 'HOST:PORT')}`);
    assert.ok(width(cols, 'NAME') >= '› submission'.length, `name ${width(cols, 'NAME')}`);
    assert.ok(width(cols, 'WHY') < 20, `an empty WHY keeps ${width(cols, 'WHY')} columns`);
    assert.ok(gridWidth(cols) <= 79);
    const cells = formatRow(ALL_UP()[0]!, cols, { now: NOW, selected: false });
    assert.equal(cells['HOST:PORT']?.trim(), '127.100.200.250:54321');
    assert.equal(cells.NAME?.trim(), 'submission');
  });
  it('when host:port must be cut, the host is cut and the port stays', () => {
    const cells = formatRow(ALL_UP()[0]!, [{ key: 'HOST:PORT', width: 15, align: 'left' }], { now: NOW, selected: false });
    assert.equal(cells['HOST:PORT'], '127.100.…:54321');
    const v6 = formatRow(view('v6', 'UP', { target: { host: '2001:db8:aaaa:bbbb::1', port: 6379 } }), [{ key: 'HOST:PORT', width: 16, align: 'left' }], { now: NOW, selected: false });
    assert.match(v6['HOST:PORT'] ?? '', /^\[2001:db8…\]:6379$/);
  });
  it('a cause on screen gets its room back; every width still fits, whatever the content', () => {
    const down = [...ALL_UP(), view('db', 'DOWN', { monitor: { cause: 'unreachable' } })];
    const cols = gridColumns(79, columnContent(down));
    assert.ok(width(cols, 'WHY') >= 'unreachable'.length);
    const long = [view('a-very-long-target-name-indeed-yes-it-is', 'RETRYING', { target: { host: 'a-rather-long-host-name.example.invalid', port: 65535 }, monitor: { pending: { to: 'DOWN', count: 1, firstAt: NOW, cause: 'timeout' } } })];
    for (let w = MIN_COLUMNS - 1; w <= 260; w++) {
      for (const content of [columnContent(ALL_UP()), columnContent(long), {}]) {
        const c = gridColumns(w, content);
        assert.ok(gridWidth(c) <= w, `width ${w}: ${gridWidth(c)}`);
      }
    }
  });
  it('TREND takes the room left, up to the samples kept, and the sparkline fills it', () => {
    for (const w of [119, 199]) {
      const cols = gridColumns(w, columnContent(ALL_UP()));
      assert.ok(gridWidth(cols) >= w - 2 || width(cols, 'TREND') === TREND_SAMPLES, `${w}: ${gridWidth(cols)} used, TREND ${width(cols, 'TREND')}`);
      const full = view('x', 'UP', { recent: Array.from({ length: TREND_SAMPLES }, (_, i) => 1 + (i % 7)) });
      const spark = formatRow(full, cols, { now: NOW, selected: false }).TREND ?? '';
      assert.equal(spark.trim().length, width(cols, 'TREND'), `${w}: a full history fills the column`);
    }
    assert.ok(width(gridColumns(199, columnContent(ALL_UP())), 'TREND') > 90);
  });
});

describe('rows shared by need (120×40, 200×50)', () => {
  for (const [cols, rows] of [[120, 40], [200, 50]] as const) {
    it(`${cols}×${rows}: the grid keeps the rows it needs, the incident log takes the rest`, () => {
      const r = computeLayout(cols, rows, false, { targets: 15, incidents: 60 });
      assert.ok(r.ok);
      const l = r.layout;
      assert.equal(l.gridRows, 15);
      assert.equal(1 + (l.gridRows + 1) + l.incidentHeight + 1, l.height);
    });
  }
  it('many targets and few incidents: the log keeps only its lines', () => {
    const r = computeLayout(120, 40, false, { targets: 200, incidents: 1 });
    assert.ok(r.ok);
    assert.equal(r.layout.incidentHeight, 2);
    assert.equal(r.layout.gridRows, 39 - 2 - 2 - 1);
  });
  it('both long: the log keeps its usual share, and the sections still add up', () => {
    for (let rows = 12; rows <= 60; rows++) {
      for (const detail of [false, true]) {
        for (const content of [{ targets: 500, incidents: 500 }, { targets: 0, incidents: 0 }, { targets: 3, incidents: 500 }]) {
          const r = computeLayout(100, rows, detail, content);
          assert.ok(r.ok);
          const l = r.layout;
          assert.equal(1 + (l.gridRows + 1) + l.detailHeight + l.incidentHeight + 1, l.height, `rows ${rows} ${JSON.stringify(content)}`);
          assert.ok(l.gridRows >= 1 && l.incidentHeight >= 2);
        }
      }
    }
  });
});

describe('the incident log stops at its end', () => {
  it('] past the last page stays on it; [ then moves back one page at once', () => {
    let s: UiState = initialUiState;
    const scroll = (by: number) => (s = uiReducer(s, { type: 'incidentScroll', by, lines: 4, total: 10 }));
    for (let i = 0; i < 5; i++) scroll(4);
    assert.equal(s.incidentOffset, 6);
    scroll(-4);
    assert.equal(s.incidentOffset, 2);
    scroll(-4);
    assert.equal(s.incidentOffset, 0);
  });
});

describe('keys of one read', () => {
  it('a run of characters is one key each, Backspaces and Enter included', () => {
    const NONE = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };
    const keys = splitKeys('\x7f\x7f\x7f', NONE);
    assert.equal(keys.length, 3);
    for (const [input, key] of keys) assert.ok(input === '' && (key.delete || key.backspace));
    const typed = splitKeys('db\tG\r', NONE);
    assert.deepEqual(typed.map(([i]) => i), ['d', 'b', '', 'G', '']);
    assert.ok(typed[2]![1].tab && typed[3]![1].shift && typed[4]![1].return);
    assert.equal(splitKeys('', { ...NONE, downArrow: true }).length, 1);
  });
});

describe('the delete prompt', () => {
  const v = view('submission', 'UP', { target: { host: '127.100.200.250', port: 54321 } });
  it('keeps its keys at every width, and says the config file is not changed while there is room', () => {
    for (let w = MIN_COLUMNS - 1; w <= 220; w++) {
      const text = confirmText(v, w);
      assert.ok(text.endsWith(CONFIRM_KEYS), `${w}: ${text}`);
      assert.ok(Array.from(text).length <= w, `${w}: ${text}`);
    }
    assert.match(confirmText(v, 79), /config file/i);
    const long = view('n'.repeat(40), 'UP');
    assert.ok(confirmText(long, 59).endsWith(CONFIRM_KEYS));
  });
});

describe('the filter line and footer keep their keys', () => {
  it('a filter longer than the line shows its end and the keys', async () => {
    const { filterLine, FILTER_KEYS } = await import('../../src/ui/components/FilterBar.js');
    const text = 'tag:db state:down a-long-host-name-fragment another-word-here and-more';
    for (let w = MIN_COLUMNS - 1; w <= 200; w++) {
      const l = filterLine(text, w, 3);
      assert.ok(l.includes(FILTER_KEYS), `${w}: ${l}`);
      assert.ok(Array.from(l).length <= w, `${w}: ${l}`);
      assert.ok(l.includes('and-more▏'), `${w}: the cursor end shows: ${l}`);
    }
  });
});
