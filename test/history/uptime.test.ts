import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gapLimitMs, spansOf, tally, tallyByBucket, uptimeRatio, type Observation } from '../../src/history/timeline.js';
import { quantileSorted, weightedQuantile } from '../../src/history/quantile.js';

const S = 1000;
const MIN = 60 * S;

/** A check every `every` ms from `from` to `to` (exclusive), in `state`. */
function checks(from: number, to: number, every: number, state: string): Observation[] {
  const out: Observation[] = [];
  for (let t = from; t < to; t += every) out.push({ at: t, state });
  return out;
}

const GAP = gapLimitMs({ intervalMs: 10 * S, timeoutMs: 5 * S, retries: 1, retryDelayMs: 2 * S }); // 32 s

describe('time-weighted uptime', () => {
  it('a target checked every 10 s and down for 5 minutes is down for 5 minutes', () => {
    const obs = [...checks(0, 10 * MIN, 10 * S, 'UP'), ...checks(10 * MIN, 15 * MIN, 10 * S, 'DOWN'), ...checks(15 * MIN, 60 * MIN, 10 * S, 'UP')];
    const t = tally(spansOf(obs, GAP, 60 * MIN), 0, 60 * MIN);
    assert.equal(t.downMs, 5 * MIN);
    assert.equal(t.upMs, 55 * MIN);
    assert.equal(t.unknownMs, 0);
    assert.equal(uptimeRatio(t), 55 / 60);
  });

  it('a window that starts mid-outage counts only the part inside it', () => {
    const obs = [...checks(0, 10 * MIN, 10 * S, 'DOWN'), ...checks(10 * MIN, 20 * MIN, 10 * S, 'UP')];
    const t = tally(spansOf(obs, GAP, 20 * MIN), 7 * MIN, 20 * MIN);
    assert.equal(t.downMs, 3 * MIN);
    assert.equal(t.upMs, 10 * MIN);
  });

  it('the state before the window still covers its start (a single DOWN observation before it)', () => {
    const obs: Observation[] = [{ at: 0, state: 'DOWN' }, ...checks(20 * S, 60 * S, 20 * S, 'DOWN'), { at: 60 * S, state: 'UP' }];
    const t = tally(spansOf(obs, GAP, 90 * S), 30 * S, 90 * S);
    assert.equal(t.downMs, 30 * S);
    assert.equal(t.upMs, 30 * S);
  });

  it('paused time is neither up nor down, however long', () => {
    const obs = [...checks(0, 10 * MIN, 10 * S, 'UP'), { at: 10 * MIN, state: 'PAUSED' }, ...checks(70 * MIN, 80 * MIN, 10 * S, 'UP')];
    const t = tally(spansOf(obs, GAP, 80 * MIN), 0, 80 * MIN);
    assert.equal(t.pausedMs, 60 * MIN);
    assert.equal(t.downMs, 0);
    assert.equal(t.upMs, 20 * MIN);
    assert.equal(uptimeRatio(t), 1);
  });

  it('a paused target that was down before the pause is not down while paused', () => {
    const obs = [...checks(0, 5 * MIN, 10 * S, 'DOWN'), { at: 5 * MIN, state: 'PAUSED' }, { at: 30 * MIN, state: 'UNKNOWN' }, ...checks(30 * MIN, 35 * MIN, 10 * S, 'UP')];
    const t = tally(spansOf(obs, GAP, 35 * MIN), 0, 35 * MIN);
    assert.equal(t.downMs, 5 * MIN);
    assert.equal(t.pausedMs, 25 * MIN);
    assert.equal(t.upMs, 5 * MIN);
  });

  it('time the monitor was not running is unknown, not down — even when it stopped while DOWN', () => {
    const obs = [...checks(0, 10 * MIN, 10 * S, 'DOWN'), ...checks(70 * MIN, 80 * MIN, 10 * S, 'UP')];
    const t = tally(spansOf(obs, GAP, 80 * MIN), 0, 80 * MIN);
    // The last DOWN check (at 9:50) holds for at most the gap limit, then nothing is known.
    assert.equal(t.downMs, 10 * MIN - 10 * S + GAP);
    assert.equal(t.upMs, 10 * MIN);
    assert.equal(t.unknownMs, 60 * MIN + 10 * S - GAP);
    assert.equal(t.upMs + t.downMs + t.pausedMs + t.unknownMs, 80 * MIN);
  });

  it('a window with no observations is all unknown and has no uptime figure', () => {
    const t = tally([], 0, 60 * MIN);
    assert.equal(t.unknownMs, 60 * MIN);
    assert.equal(uptimeRatio(t), null);
  });

  it('the last observation does not reach past "until"', () => {
    const spans = spansOf([{ at: 0, state: 'UP' }], GAP, 5 * S);
    assert.deepEqual(spans, [{ start: 0, end: 5 * S, category: 'up' }]);
  });

  it('SLOW and RETRYING count as up, UNKNOWN as unknown', () => {
    const obs: Observation[] = [
      { at: 0, state: 'SLOW' },
      { at: 10 * S, state: 'RETRYING' },
      { at: 20 * S, state: 'UNKNOWN' },
      { at: 30 * S, state: 'UP' },
    ];
    const t = tally(spansOf(obs, GAP, 40 * S), 0, 40 * S);
    assert.deepEqual(t, { upMs: 30 * S, downMs: 0, pausedMs: 0, unknownMs: 10 * S });
  });

  it('RETRYING before the target was ever settled up counts as unknown, after UP as up', () => {
    const fresh: Observation[] = [
      { at: 0, state: 'RETRYING' },
      { at: 10 * S, state: 'RETRYING' },
      { at: 20 * S, state: 'DOWN' },
    ];
    assert.deepEqual(tally(spansOf(fresh, GAP, 30 * S), 0, 30 * S), { upMs: 0, downMs: 10 * S, pausedMs: 0, unknownMs: 20 * S });
    // The same run carried in from before a window: what the target was before it decides.
    assert.deepEqual(tally(spansOf(fresh, GAP, 30 * S, 'UP'), 0, 30 * S), { upMs: 20 * S, downMs: 10 * S, pausedMs: 0, unknownMs: 0 });
    assert.deepEqual(tally(spansOf(fresh, GAP, 30 * S, 'UNKNOWN'), 0, 30 * S), { upMs: 0, downMs: 10 * S, pausedMs: 0, unknownMs: 20 * S });
  });

  it('cuts spans into aligned buckets whose totals match the whole', () => {
    const obs = [...checks(0, 10 * MIN, 10 * S, 'UP'), ...checks(10 * MIN + 20 * S, 13 * MIN, 10 * S, 'DOWN')];
    const spans = spansOf(obs, GAP, 13 * MIN);
    const buckets = tallyByBucket(spans, 0, 13 * MIN, MIN);
    assert.equal(buckets.size, 13);
    const m10 = buckets.get(10 * MIN)!;
    assert.equal(m10.upMs, 20 * S); // the 9:50 UP check holds until the DOWN one at 10:20
    assert.equal(m10.downMs, 40 * S);
    const whole = tally(spans, 0, 13 * MIN);
    const sum = [...buckets.values()].reduce((s, b) => s + b.upMs + b.downMs, 0);
    assert.equal(sum, whole.upMs + whole.downMs);
  });
});

describe('quantiles', () => {
  it('nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(quantileSorted(v, 0.5), 50);
    assert.equal(quantileSorted(v, 0.95), 95);
    assert.equal(quantileSorted([], 0.5), undefined);
    assert.equal(quantileSorted([7], 0.95), 7);
  });
  it('weighted: a heavy bucket dominates', () => {
    assert.equal(weightedQuantile([{ value: 1, weight: 1 }, { value: 10, weight: 99 }], 0.5), 10);
    assert.equal(weightedQuantile([{ value: 1, weight: 0 }], 0.5), undefined);
  });
});
