import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineEvent, Incident, TargetView } from '../../src/engine/types.js';
import { HistoryQueries, HistoryRecorder, prune, rollup } from '../../src/history/index.js';
import { openStore, type StoreDb } from '../../src/store/index.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/history/meta.js';
import { planRanges } from '../../src/history/ranges.js';
import { initialMonitorState } from '../../src/engine/monitor.js';
import { loopbackTarget } from './helpers/fixtures.js';

function memory(): StoreDb {
  const o = openStore({ file: ':memory:' });
  if (!o.ok) throw new Error(o.problem.message);
  return o.history;
}

function view(id: string, name: string): TargetView {
  return { target: loopbackTarget(id, 1, { name, intervalMs: 10_000, timeoutMs: 5000, retries: 1, retryDelayMs: 2000 }), monitor: initialMonitorState(0), recent: [], checks: 0, failures: 0, inFlight: false };
}

function source(views: TargetView[]) {
  let listener: (e: EngineEvent) => void = () => {};
  return {
    emit: (e: EngineEvent) => listener(e),
    subscribe: (l: (e: EngineEvent) => void) => {
      listener = l;
      return () => {};
    },
    snapshot: () => views,
    get: (id: string) => views.find((v) => v.target.id === id),
  };
}

function check(targetId: string, at: number, state: 'UP' | 'DOWN' | 'RETRYING', connectMs = 2): EngineEvent {
  return state === 'UP'
    ? { type: 'result', targetId, at, state, result: { outcome: 'open', startedAt: at, dnsMs: null, connectMs, totalMs: connectMs } }
    : { type: 'result', targetId, at, state, result: { outcome: 'refused', startedAt: at, dnsMs: null, connectMs: null, totalMs: 1, errno: 'ECONNREFUSED' } };
}

describe('history store', () => {
  it('a renamed target keeps its history under its stable id', () => {
    const h = memory();
    const rec1 = new HistoryRecorder(h, { now: () => 1_000 });
    const s1 = source([view('pg', 'postgres (old)')]);
    rec1.attach(s1);
    s1.emit(check('pg', 1_000, 'UP'));
    rec1.close();
    const rec2 = new HistoryRecorder(h, { now: () => 20_000 });
    const s2 = source([view('pg', 'PostgreSQL primary')]);
    rec2.attach(s2);
    s2.emit(check('pg', 20_000, 'UP'));
    rec2.close();
    const q = new HistoryQueries(h.db);
    assert.equal(q.recentSamples('pg').length, 2);
    const f = q.figures(0, 30_000);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.name, 'PostgreSQL primary');
    h.close();
  });

  it('an incident left open by a stopped run stays open and is carried into the next run of the same target', () => {
    const h = memory();
    let now = 12_000;
    const rec = new HistoryRecorder(h, { now: () => now });
    const s = source([view('redis', 'redis')]);
    rec.attach(s);
    const inc: Incident = { id: 'redis#1000', targetId: 'redis', from: 'UP', to: 'DOWN', cause: 'refused', evidence: 'ECONNREFUSED', started: 1000, ended: null, durationMs: null };
    s.emit(check('redis', 1000, 'DOWN'));
    s.emit({ type: 'incident', phase: 'opened', incident: inc });
    s.emit(check('redis', 11_000, 'DOWN'));
    rec.close();
    const q = new HistoryQueries(h.db);
    assert.deepEqual(q.openIncidents().map((i) => i.id), ['redis#1000']);
    // The stop is marked: from then on the target's state is unknown, not down.
    assert.deepEqual(q.recentSamples('redis', { includeMarks: true }).map((x) => `${x.at}:${x.state}`), ['1000:DOWN', '11000:DOWN', '12000:STOPPED']);

    now = 100_000;
    const rec2 = new HistoryRecorder(h, { now: () => now });
    rec2.attach(source([view('redis', 'redis')]));
    assert.deepEqual([...rec2.openIncidents().values()], [inc]);
    assert.deepEqual(q.openIncidents().map((i) => i.id), ['redis#1000']);
    rec2.close();
    h.close();
  });

  it('at start, the open incident of a removed target, or one now at another port, ends where it was last seen', () => {
    const h = memory();
    const rec = new HistoryRecorder(h, { now: () => 12_000 });
    const s = source([view('gone', 'gone'), view('moved', 'moved'), view('kept', 'kept')]);
    rec.attach(s);
    for (const id of ['gone', 'moved', 'kept']) {
      s.emit(check(id, 1000, 'DOWN'));
      s.emit({ type: 'incident', phase: 'opened', incident: { id: `${id}#1000`, targetId: id, from: 'UP', to: 'DOWN', cause: 'refused', evidence: '', started: 1000, ended: null, durationMs: null } });
      s.emit(check(id, 11_000, 'DOWN'));
    }
    rec.close();
    const moved = view('moved', 'moved');
    const rec2 = new HistoryRecorder(h, { now: () => 50_000 });
    rec2.attach(source([{ ...moved, target: { ...moved.target, port: 2 } }, view('kept', 'kept')]));
    assert.deepEqual([...rec2.openIncidents().keys()], ['kept']);
    const byId = new Map(new HistoryQueries(h.db).recentIncidents().map((i) => [i.id, i]));
    assert.deepEqual([byId.get('gone#1000')?.ended, byId.get('gone#1000')?.endedBy], [11_000, 'removed']);
    assert.deepEqual([byId.get('moved#1000')?.ended, byId.get('moved#1000')?.endedBy], [11_000, 'changed']);
    assert.equal(byId.get('kept#1000')?.ended, null);
    rec2.close();
    h.close();
  });

  it('a port refused from the start has no uptime; retrying after UP still counts as up', () => {
    const h = memory();
    const t0 = Date.UTC(2026, 0, 1);
    let now = t0;
    const rec = new HistoryRecorder(h, { now: () => now });
    const s = source([view('dead', 'dead'), view('flaky', 'flaky')]);
    rec.attach(s);
    // dead: two retries, then DOWN for good. flaky: UP, one retry, UP again.
    for (let at = t0; at < t0 + 10 * MINUTE_MS; at += 10_000) {
      s.emit(check('dead', at, at < t0 + 20_000 ? 'RETRYING' : 'DOWN'));
      s.emit(check('flaky', at, at === t0 + 5 * MINUTE_MS ? 'RETRYING' : 'UP'));
      now = at;
      // Roll up mid-run too, so a later roll-up starts inside a RETRYING run (carried in).
      if (at === t0 + 10_000) {
        rec.flush();
        rollup(h.db, now, { lagMs: 0 });
      }
    }
    now = t0 + 10 * MINUTE_MS;
    rec.flush();
    rollup(h.db, now, { lagMs: 0 });
    const figures = new Map(new HistoryQueries(h.db).figures(t0, now).map((f) => [f.name, f]));
    const dead = figures.get('dead')!;
    assert.equal(dead.upMs, 0, JSON.stringify(dead));
    assert.ok(dead.downMs >= 9 * MINUTE_MS, JSON.stringify(dead));
    const flaky = figures.get('flaky')!;
    assert.equal(flaky.downMs, 0, JSON.stringify(flaky));
    assert.ok(flaky.upMs >= 9 * MINUTE_MS, JSON.stringify(flaky));
    rec.close();
    h.close();
  });

  it('rolls samples into minute, hour and day rows, and prune keeps the figures while removing raw rows', () => {
    const h = memory();
    const t0 = Date.UTC(2026, 0, 1);
    let now = t0;
    const rec = new HistoryRecorder(h, { now: () => now });
    const s = source([view('web', 'web')]);
    rec.attach(s);
    // Three days of checks every 10 s; down from 12:00 to 12:05 on the first day.
    for (let at = t0; at < t0 + 3 * DAY_MS; at += 10_000) {
      const down = at >= t0 + 12 * HOUR_MS && at < t0 + 12 * HOUR_MS + 5 * MINUTE_MS;
      s.emit(check('web', at, down ? 'DOWN' : 'UP', 1 + (at / 10_000) % 10));
      if (at % HOUR_MS === 0) rec.flush();
    }
    now = t0 + 3 * DAY_MS;
    rec.flush();
    rollup(h.db, now);
    const q = new HistoryQueries(h.db);
    const before = q.figures(t0, now)[0]!;
    assert.equal(before.downMs, 5 * MINUTE_MS);
    assert.equal(before.checks, 3 * 8640);
    assert.equal(before.p50Ms, 5);
    assert.equal(before.p95Ms, 10);
    const count = (table: string) => h.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    assert.equal(count('agg_day'), 2, 'complete days only');
    const removed = prune(h.db, now, { rawMs: 12 * HOUR_MS, minuteMs: 30 * DAY_MS, hourMs: 365 * DAY_MS });
    assert.ok(removed.samples > 2 * 8640, JSON.stringify(removed));
    const after = q.figures(t0, now)[0]!;
    assert.equal(after.downMs, before.downMs);
    assert.equal(after.upMs, before.upMs);
    assert.equal(after.checks, before.checks);
    const daily = q.dailyLatency('web', t0, now);
    assert.equal(daily.length, 3);
    assert.deepEqual(daily.map((d) => d.checks), [8640, 8640, 8640]);
    rec.close();
    h.close();
  });

  it('covers a window with day rows in the middle and finer rows at the ragged ends', () => {
    const d0 = Date.UTC(2026, 0, 1);
    const from = d0 + 90 * MINUTE_MS + 30_000; // 01:30:30 on day 0
    const to = d0 + 3 * DAY_MS + 2 * HOUR_MS + 15 * MINUTE_MS;
    const plan = planRanges(from, to, { hours: d0 + 3 * DAY_MS + 2 * HOUR_MS, days: d0 + 3 * DAY_MS });
    assert.deepEqual(
      plan.map((r) => [r.table, (r.from - d0) / MINUTE_MS, (r.to - d0) / MINUTE_MS]),
      [
        ['agg_minute', 90.5, 120],
        ['agg_hour', 120, 1440],
        ['agg_day', 1440, 4320],
        ['agg_hour', 4320, 4440],
        ['agg_minute', 4440, 4455],
      ],
    );
    // Nothing rolled yet: minutes only.
    assert.deepEqual(planRanges(from, to, { hours: -Infinity, days: -Infinity }), [{ table: 'agg_minute', from, to }]);
  });
});
