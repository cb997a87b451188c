import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_DEFAULTS } from '../../src/config/target.js';
import { checkForm, emptyForm, fieldOf, formFromTarget, formToRaw } from '../../src/ui/model/form.js';
import { incidentWindow } from '../../src/ui/model/incidents.js';
import { footerHints, KEYMAP } from '../../src/ui/model/keymap.js';
import { computeLayout, gridColumns, gridWidth, MIN_COLUMNS, MIN_ROWS, scrollOffset } from '../../src/ui/model/layout.js';
import { formatRow, retryCounter, whyText } from '../../src/ui/model/rows.js';
import { filterViews, matchesFilter, NameRanks, sortViews } from '../../src/ui/model/sort-filter.js';
import { FAIL_MARK, sparkline } from '../../src/ui/model/sparkline.js';
import { latencyStats } from '../../src/ui/model/stats.js';
import { dateTime } from '../../src/ui/model/summary.js';
import { initialUiState, printable, uiReducer } from '../../src/ui/model/ui-state.js';
import { NOW, target, view } from './fixtures.js';

describe('sparkline', () => {
  it('scales between min and max, marks failures and right-aligns short series', () => {
    assert.equal(sparkline([1, 8], 4), '  ▁█');
    assert.equal(sparkline([1, null, 8], 3), `▁${FAIL_MARK}█`);
    assert.equal(sparkline([5, 5, 5], 3), '▂▂▂');
    assert.equal(sparkline([1, 2, 3, 4, 5], 2), '▁█', 'only the newest samples that fit');
    assert.equal(sparkline([], 0), '');
  });
});

describe('dateTime', () => {
  it('shows the clock time for today and the date before that, across local midnight', () => {
    const at = (d: number, h: number, m: number, sec = 0): number => new Date(2026, 10, d, h, m, sec).getTime();
    assert.equal(dateTime(at(25, 9, 5, 7), at(25, 23, 59)), '09:05:07');
    assert.equal(dateTime(at(25, 23, 59, 59), at(26, 0, 0, 1)), '11-25 23:59');
    assert.equal(dateTime(at(26, 0, 0, 0), at(26, 0, 0, 1)), '00:00:00');
    // Back to an earlier day (the cached day must not leak across calls).
    assert.equal(dateTime(at(24, 12, 0), at(24, 13, 0)), '12:00:00');
    assert.equal(dateTime(at(25, 12, 0), at(24, 13, 0)), '11-25 12:00');
  });
});

describe('latencyStats', () => {
  it('ignores failed checks and uses nearest-rank percentiles', () => {
    const s = latencyStats([...Array.from({ length: 100 }, (_, i) => i + 1), null]);
    assert.deepEqual(s, { count: 100, min: 1, median: 50, p95: 95, max: 100 });
    assert.equal(latencyStats([null, null]), undefined);
  });
});

describe('layout', () => {
  it('grid columns never exceed the width, from the minimum to very wide', () => {
    for (let w = MIN_COLUMNS - 1; w <= 260; w++) {
      const cols = gridColumns(w);
      assert.ok(gridWidth(cols) <= w, `width ${w}: ${gridWidth(cols)}`);
      assert.ok(cols.some((c) => c.key === 'NAME') && cols.some((c) => c.key === 'STATE') && cols.some((c) => c.key === 'WHY'), `width ${w} keeps name, state and cause`);
    }
  });
  it('80 columns keep host:port and the sparkline; wide terminals add since, uptime and service', () => {
    const narrow = gridColumns(79).map((c) => c.key);
    assert.ok(narrow.includes('HOST:PORT') && narrow.includes('TREND'));
    const wide = gridColumns(199).map((c) => c.key);
    for (const k of ['SINCE', 'UP%', 'SVC'] as const) assert.ok(wide.includes(k), k);
  });
  it('the frame is at most rows − 1 tall, and sections add up to it', () => {
    for (let rows = MIN_ROWS; rows <= 80; rows++) {
      for (const detail of [false, true]) {
        const r = computeLayout(100, rows, detail);
        assert.ok(r.ok);
        const l = r.layout;
        assert.equal(l.height, rows - 1);
        assert.equal(1 + (l.gridRows + 1) + l.detailHeight + l.incidentHeight + 1, l.height, `rows ${rows} detail ${detail}`);
        assert.ok(l.gridRows >= 1 && l.width < 100);
      }
    }
  });
  it('below the minimum it says what is needed', () => {
    const r = computeLayout(50, 10, false);
    assert.deepEqual(r, { ok: false, message: `terminal too small: need ${MIN_COLUMNS}×${MIN_ROWS}, have 50×10` });
  });
  it('scrollOffset keeps the selection visible and moves as little as possible', () => {
    assert.equal(scrollOffset(0, 5, 10, 100), 0);
    assert.equal(scrollOffset(0, 12, 10, 100), 3);
    assert.equal(scrollOffset(20, 15, 10, 100), 15);
    assert.equal(scrollOffset(50, 99, 10, 30), 20);
    assert.equal(scrollOffset(7, 3, 10, 5), 0);
  });
});

describe('rows', () => {
  it('RETRYING shows the confirmation counter and the cause', () => {
    const v = view('db', 'RETRYING', { monitor: { pending: { to: 'DOWN', count: 2, firstAt: NOW, cause: 'timeout' } } });
    assert.equal(retryCounter(v), '2/3 → DOWN');
    assert.equal(whyText(v), '2/3 → DOWN timeout');
    assert.equal(whyText(v, 16), '2/3→DOWN timeout');
  });
  it('every failure cause shows', () => {
    for (const cause of ['refused', 'timeout', 'unreachable', 'dns'] as const) {
      assert.equal(whyText(view('x', 'DOWN', { monitor: { cause } })), cause);
    }
  });
  it('cells are exactly as wide as their column and sanitized', () => {
    const cols = gridColumns(120);
    const v = view('evil\x1b]52;c;aGVsbG8=\x07name\x1b[2J', 'UP', { target: { host: 'h\rost' } });
    const cells = formatRow(v, cols, { now: NOW, selected: true });
    for (const c of cols) assert.equal(Array.from(cells[c.key] ?? '').length, c.width, c.key);
    const all = Object.values(cells).join('');
    assert.ok(!all.includes('\x1b') && !all.includes('\r') && !all.includes('\x07'));
    assert.ok(cells.NAME?.startsWith('› evilname'));
    assert.ok(cells['HOST:PORT']?.startsWith('h\\rost'));
  });
});

describe('sort and filter', () => {
  const views = [
    view('web', 'UP', { target: { host: '10.0.0.1', tags: ['front'] }, lastResult: { connectMs: 30 } }),
    view('db', 'DOWN', { target: { tags: ['db'] }, monitor: { cause: 'refused' } }),
    view('cache', 'SLOW', { lastResult: { connectMs: 900 } }),
    view('old', 'PAUSED'),
  ];
  it('sorts by name, by state (worst first) and by latency (slowest first, failures last)', () => {
    assert.deepEqual(sortViews(views, 'name').map((v) => v.target.name), ['cache', 'db', 'old', 'web']);
    assert.deepEqual(sortViews(views, 'state').map((v) => v.target.name), ['db', 'cache', 'web', 'old']);
    assert.deepEqual(sortViews(views, 'latency').map((v) => v.target.name), ['cache', 'web', 'old', 'db']);
  });

  it('sorts numbers in names numerically, and keeps the name order while only results change', () => {
    const named = ['web-10', 'web-2', 'Web-1', 'db'].map((name) => view(name, 'UP'));
    const ranks = new NameRanks();
    assert.deepEqual(sortViews(named, 'name', ranks).map((v) => v.target.name), ['db', 'Web-1', 'web-2', 'web-10']);
    // New views for the same targets (new results) reuse the ranks; a subset (a filter) too.
    const again = named.map((v) => ({ ...v, checks: v.checks + 1 }));
    const kept = ranks.of(again);
    assert.equal(ranks.of(again.slice(1)), kept);
    assert.deepEqual(sortViews(again.slice(0, 2), 'name', ranks).map((v) => v.target.name), ['web-2', 'web-10']);
    // An edited target is a new Target object: the order is worked out afresh.
    const renamed = [...again.slice(1), { ...again[0]!, target: { ...again[0]!.target, name: 'a-first' } }];
    assert.notEqual(ranks.of(renamed), kept);
    assert.deepEqual(sortViews(renamed, 'name', ranks).map((v) => v.target.name), ['a-first', 'db', 'Web-1', 'web-2']);
  });

  it('filters by name, host, tag, state and cause; field prefixes narrow it', () => {
    assert.deepEqual(filterViews(views, 'web').map((v) => v.target.name), ['web']);
    assert.deepEqual(filterViews(views, '10.0.0').map((v) => v.target.name), ['web']);
    assert.deepEqual(filterViews(views, 'tag:db').map((v) => v.target.name), ['db']);
    assert.deepEqual(filterViews(views, 'state:down').map((v) => v.target.name), ['db']);
    assert.deepEqual(filterViews(views, 'refused').map((v) => v.target.name), ['db']);
    assert.deepEqual(filterViews(views, 'PAUSED').map((v) => v.target.name), ['old']);
    assert.equal(filterViews(views, '  ').length, 4);
    assert.equal(matchesFilter(views[0]!, 'web front'), true);
    assert.equal(matchesFilter(views[0]!, 'web db'), false);
  });
});

describe('form', () => {
  const d = BUILTIN_DEFAULTS;
  it('a port number or a service name; empty optional fields are left to the defaults', () => {
    assert.deepEqual(formToRaw({ ...emptyForm(), name: 'pg', host: 'db1', port: '5432' }), { name: 'pg', host: 'db1', port: 5432 });
    assert.deepEqual(formToRaw({ ...emptyForm(), host: 'db1', port: 'Redis', interval: '5s' }), { host: 'db1', service: 'redis', interval: '5s' });
  });
  it('validates with the config schema and places each problem on its field', () => {
    const r = checkForm({ ...emptyForm(), name: 'x', host: 'bad host', port: '99999', interval: 'soon' }, d, []);
    assert.equal(r.target, undefined);
    const fields = new Set(r.problems.map(fieldOf));
    assert.ok(fields.has('host') && fields.has('port') && fields.has('interval'), JSON.stringify(r.problems));
    const missing = checkForm({ ...emptyForm(), host: 'db1' }, d, []);
    assert.equal(missing.problems.map(fieldOf)[0], 'port');
  });
  it('retries and tags: typed, validated by the schema, kept on an edit', () => {
    const ok = checkForm({ ...emptyForm(), name: 'pg', host: 'db1', port: '5432', retries: '3', tags: 'db, prod,' }, d, []);
    assert.equal(ok.target?.retries, 3);
    assert.deepEqual(ok.target?.tags, ['db', 'prod']);
    const bad = checkForm({ ...emptyForm(), name: 'pg', host: 'db1', port: '5432', retries: 'lots' }, d, []);
    assert.equal(bad.target, undefined);
    assert.deepEqual(bad.problems.map(fieldOf), ['retries'], JSON.stringify(bad.problems));
    const edited = checkForm({ ...formFromTarget(ok.target!, d), host: 'db2' }, d, [ok.target!], ok.target);
    assert.equal(edited.target?.retries, 3);
    assert.deepEqual(edited.target?.tags, ['db', 'prod']);
  });
  it('refuses a name already in use, but not the target being edited', () => {
    const existing = [target('pg')];
    assert.match(checkForm({ ...emptyForm(), name: 'pg', host: 'h', port: '1' }, d, existing).problems[0]?.message ?? '', /already exists/);
    const edit = checkForm({ ...emptyForm(), name: 'pg', host: 'h2', port: '2' }, d, existing, existing[0]);
    assert.equal(edit.target?.host, 'h2');
    assert.equal(edit.target?.id, 'pg');
  });
});

describe('keys and ui state', () => {
  it('every footer hint comes from the key map and fits the width', () => {
    for (const w of [20, 40, 60, 79, 120, 200]) assert.ok(Array.from(footerHints(w)).length <= w);
    assert.ok(footerHints(200).includes('? help'));
    assert.ok(KEYMAP.some((k) => k.keys.includes('PgUp')));
  });
  it('filter text and form input take printable text only', () => {
    assert.equal(printable('a\x1b[2Jb\x07\u202ec'), 'a[2Jbc');
    let s = uiReducer(initialUiState, { type: 'filterStart' });
    s = uiReducer(s, { type: 'filterInput', text: 'db' });
    assert.equal(s.filter, 'db');
    s = uiReducer(s, { type: 'filterClear' });
    assert.equal(s.filter, '');
    assert.equal(s.mode, 'normal');
  });
  it('sort cycles name → state → latency → name', () => {
    let s = initialUiState;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      s = uiReducer(s, { type: 'cycleSort' });
      seen.push(s.sort);
    }
    assert.deepEqual(seen, ['state', 'latency', 'name', 'state']);
  });
  it('incident window is bounded and clamps its offset', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    assert.deepEqual(incidentWindow(items, 0, 3), { shown: [0, 1, 2], offset: 0 });
    assert.deepEqual(incidentWindow(items, 99, 3), { shown: [7, 8, 9], offset: 7 });
  });
});
