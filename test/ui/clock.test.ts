import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration } from '../../src/config/duration.js';
import { msUntilDurationChanges, nextClockChange, ShownDurations } from '../../src/ui/model/clock.js';
import { NOW, view } from './fixtures.js';

describe('when the console next shows another duration', () => {
  it('is exactly when formatDuration changes its text, never later, at its own resolution', () => {
    for (const elapsed of [0, 999, 1000, 1500, 59_999, 61_250, 3_599_999, 3_600_000, 3_659_000, 86_399_000, 86_400_000, 90_061_000]) {
      const wait = msUntilDurationChanges(elapsed);
      assert.ok(wait > 0, `${elapsed}: waits`);
      assert.notEqual(formatDuration(elapsed + wait), formatDuration(elapsed), `${elapsed}: text changes after ${wait} ms`);
      if (elapsed >= 1000) assert.equal(formatDuration(elapsed + wait - 1), formatDuration(elapsed), `${elapsed}: and not before`);
    }
    assert.equal(msUntilDurationChanges(3_659_000), 1000 * 60 - 59_000, 'an hour in: minutes, not seconds');
    assert.equal(msUntilDurationChanges(90_061_000), 3_600_000 - 61_000, 'a day in: hours');
  });

  it('is the soonest over every target and open incident only', () => {
    const old = view('a', 'UP', { monitor: { since: NOW - 2 * 86_400_000 } });
    const young = view('b', 'DOWN', { monitor: { since: NOW - 10_400 } });
    assert.equal(nextClockChange(NOW, [old], []), NOW + 3_600_000);
    assert.equal(nextClockChange(NOW, [old, young], []), NOW + 600);
    const closed = { id: 'x', targetId: 'a', from: 'UP' as const, to: 'DOWN' as const, cause: 'refused' as const, evidence: '', started: NOW - 500, ended: NOW - 100, durationMs: 400 };
    assert.equal(nextClockChange(NOW, [old], [closed]), NOW + 3_600_000, 'a closed incident does not tick');
    assert.equal(nextClockChange(NOW, [old], [{ ...closed, ended: null, durationMs: null }]), NOW + 500);
    assert.equal(nextClockChange(NOW, [], []), Infinity);
  });

  it('counts only the durations on screen: none at 80 columns with no detail pane, the detail target, or all', () => {
    const a = view('a', 'UP', { monitor: { since: NOW - 10_400 } });
    const b = view('b', 'UP', { monitor: { since: NOW - 2 * 86_400_000 } });
    const open = { id: 'x', targetId: 'a', from: 'UP' as const, to: 'DOWN' as const, cause: 'refused' as const, evidence: '', started: NOW - 500, ended: null, durationMs: null };
    const shown = new ShownDurations();
    const at = () => {
      const on = shown.pick([a, b], [open]);
      return nextClockChange(NOW, on.views, on.incidents);
    };
    assert.equal(at(), NOW + 500, 'by default everything');
    let changes = 0;
    const stop = shown.onChange(() => changes++);
    shown.set({ everything: false, since: false, detailId: undefined });
    assert.equal(at(), Infinity, 'no duration on screen: no clock wake');
    shown.set({ everything: false, since: false, detailId: 'b' });
    assert.equal(at(), NOW + 3_600_000, "the detail pane's target only");
    shown.set({ everything: false, since: false, detailId: 'b' });
    shown.set({ everything: false, since: true, detailId: undefined });
    assert.equal(at(), NOW + 600, 'the SINCE column: every target');
    assert.equal(changes, 3, 'a listener hears each change once');
    stop();
    shown.set({ everything: true, since: false, detailId: undefined });
    assert.equal(changes, 3);
    assert.equal(at(), NOW + 500);
  });
});
