import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import React from 'react';

const { Text } = await import('ink');
const { render, cleanup } = await import('ink-testing-library');
const { useEngineSnapshot } = await import('../../src/ui/hooks/useEngineSnapshot.js');
const { FakeFeed, FakeSource, NOW, view, waitFor } = await import('./fixtures.js');
type SnapshotSource = import('../../src/feed/feed.js').Feed;
type IncidentFeed = import('../../src/ui/hooks/useEngineSnapshot.js').IncidentFeed;

/** Counts the snapshots the hook hands out, on a clock the test moves. */
function Probe({ source, feed, now, seen }: { source: SnapshotSource; feed: IncidentFeed; now: () => number; seen: number[] }) {
  const snap = useEngineSnapshot(source, feed, 5, now);
  seen.push(snap.at);
  return <Text>{String(snap.views.length)}</Text>;
}

const settle = () => new Promise((r) => setTimeout(r, 40));

describe('useEngineSnapshot pacing', () => {
  afterEach(() => cleanup());

  it('shows a state change at the next poll, but ms-only results at most once a second', async () => {
    let clock = NOW;
    const source = new FakeSource([view('web', 'UP'), view('db', 'UP')]);
    const feed = new FakeFeed();
    const seen: number[] = [];
    render(<Probe source={source} feed={feed} now={() => clock} seen={seen} />);
    await settle();
    const base = seen.length;

    clock += 100;
    source.set([view('web', 'UP', { lastResult: { connectMs: 9 } }), view('db', 'UP')]);
    await settle();
    assert.equal(seen.length, base, 'a new ms alone waits for the quiet frame');

    clock += 100;
    source.set([view('web', 'UP'), view('db', 'DOWN')]);
    await waitFor(() => seen.length > base, 'the state change');
    const afterState = seen.length;

    await settle();
    assert.equal(seen.length, afterState, 'nothing moved: no frame');
    clock += 1000;
    await waitFor(() => seen.length > afterState, 'the once-a-second frame ("since" ticks)');
  });

  it('a new incident is shown at once', async () => {
    let clock = NOW;
    const source = new FakeSource([view('web', 'UP')]);
    const feed = new FakeFeed();
    const seen: number[] = [];
    render(<Probe source={source} feed={feed} now={() => clock} seen={seen} />);
    await settle();
    const base = seen.length;
    clock += 10;
    feed.version++;
    source.emit({ type: 'incident', phase: 'opened', incident: { id: 'web#1', targetId: 'web', from: 'UP', to: 'DOWN', cause: 'refused', evidence: 'ECONNREFUSED', started: clock, ended: null, durationMs: null } });
    await waitFor(() => seen.length > base, 'the incident frame');
  });

  it('sleeps while nothing changes and no shown duration moves: no frame, no snapshot taken', async () => {
    let clock = NOW;
    // Up for two hours: "since" shows minutes, so the next tick is up to a minute away.
    const source = new FakeSource([view('web', 'UP', { monitor: { since: NOW - 2 * 3_600_000 - 30_000 } })]);
    const feed = new FakeFeed();
    let taken = 0;
    const snapshot = source.snapshot.bind(source);
    source.snapshot = () => {
      taken++;
      return snapshot();
    };
    const seen: number[] = [];
    render(<Probe source={source} feed={feed} now={() => clock} seen={seen} />);
    await settle();
    const base = seen.length;
    const takenBase = taken;
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(seen.length, base, 'no frame');
    assert.equal(taken, takenBase, 'the feed was not even read');
    clock += 31_000;
    source.emit({ type: 'trend', targetId: 'web', phase: 'rising', recentMs: 5, baselineMs: 1, at: clock });
    await waitFor(() => seen.length > base, 'a frame once something happened');
  });
});
