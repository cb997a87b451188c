import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import React from 'react';
import type { QuorumView } from '../../src/cluster/quorum.js';
import { quorumOf } from '../../src/cluster/quorum.js';
import type { ResultMessage } from '../../src/cluster/result-message.js';
import { nextClusterChange } from '../../src/ui/model/cluster-clock.js';
import type { ClusterFrameSource } from '../../src/ui/hooks/useClusterFrames.js';

const { Text } = await import('ink');
const { render, cleanup } = await import('ink-testing-library');
const { useClusterFrames } = await import('../../src/ui/hooks/useClusterFrames.js');

const NOW = 1_800_000_000_000;
const msg = (location: string, at: number, intervalMs = 10_000): ResultMessage => ({ location, id: 'db', name: 'db', host: '127.0.0.1', port: 45432, at, state: 'UP', outcome: 'open', connectMs: 0.4, totalMs: 1, intervalMs });

/** A source the test moves: its results, its version, and who listens. */
class Source implements ClusterFrameSource {
  version = 0;
  results: ResultMessage[] = [];
  viewsCalls = 0;
  private readonly listeners = new Set<() => void>();
  views(now: number): QuorumView[] {
    this.viewsCalls++;
    const v = quorumOf(this.results, now);
    return v ? [v] : [];
  }
  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }
  change(results: ResultMessage[]): void {
    this.results = results;
    this.version++;
    for (const l of this.listeners) l();
  }
}

function Probe({ source, now, frames }: { source: Source; now: () => number; frames: number[] }) {
  frames.push(useClusterFrames(source, now));
  return <Text>x</Text>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the cluster console wakes on changes and on the clock of what it shows, not on a poll', () => {
  afterEach(() => cleanup());

  it('next change: a fresh result when it turns STALE, a STALE age at the next half second', () => {
    const fresh = quorumOf([msg('a', NOW - 1000)], NOW)!;
    assert.equal(nextClusterChange(NOW, [fresh]), NOW - 1000 + 20_000 + 1);
    const stale = quorumOf([msg('a', NOW - 25_200)], NOW)!;
    assert.equal(nextClusterChange(NOW, [stale]), NOW + 300, '25.2 s shows "25s" until 25.5 s');
    assert.equal(nextClusterChange(NOW, []), Infinity);
  });

  it('sleeps while nothing changes; a change wakes it; the STALE moment wakes it', async () => {
    let clock = NOW;
    const source = new Source();
    source.results = [msg('a', NOW - 500)];
    const frames: number[] = [];
    render(<Probe source={source} now={() => clock} frames={frames} />);
    await sleep(50);
    const calls = source.viewsCalls;
    const renders = frames.length;
    await sleep(1200);
    assert.equal(frames.length, renders, 'no frame while nothing changes (the old console redrew every second)');
    assert.equal(source.viewsCalls, calls, 'and no work: the views were not even read');

    clock += 10;
    source.change([msg('a', clock)]);
    await sleep(400);
    assert.ok(frames.length > renders, 'a new result is drawn within the frame gap');
    assert.ok(frames.at(-1)! > frames[renders - 1]!);

  });

  it('with no change at all, the moment a result turns STALE brings a frame', async () => {
    const source = new Source();
    // Checked every 300 ms: STALE 601 ms after its result.
    source.results = [msg('a', Date.now(), 300)];
    const frames: number[] = [];
    render(<Probe source={source} now={Date.now} frames={frames} />);
    await sleep(50);
    const renders = frames.length;
    await sleep(400);
    assert.equal(frames.length, renders, 'still fresh: no frame');
    await sleep(500);
    assert.ok(frames.length > renders, 'turned STALE: a frame, with no result arriving');
  });
});
