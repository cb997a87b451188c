import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
// The test runner's JSX transform is the classic one: React must be in scope.
import React from 'react';
void React;

const { render, cleanup } = await import('ink-testing-library');
const { Header } = await import('../../src/ui/components/Header.js');

const ZERO = { UNKNOWN: 0, UP: 0, SLOW: 0, RETRYING: 0, DOWN: 0, PAUSED: 0 };

describe('header', () => {
  afterEach(() => cleanup());

  it('says where the monitor runs', () => {
    const { lastFrame } = render(<Header counts={{ ...ZERO, UP: 3 }} configFile="/etc/p.json" lastCheckAt={undefined} width={120} sort="name" shown={3} total={3} mode="agent 127.0.0.1:9178" />);
    assert.match(lastFrame() ?? '', /· agent 127\.0\.0\.1:9178 ·/);
  });

  it('at 80 columns an agent that went away is said whole: the empty states make room', () => {
    const notice = 'agent unreachable since 05:49:10 — states unknown, reconnecting (connect ECONNREFUSED 127.0.0.1:9178)';
    const { lastFrame } = render(<Header counts={{ ...ZERO, UNKNOWN: 15 }} configFile="/etc/p.json" lastCheckAt={undefined} width={80} sort="name" shown={15} total={15} notice={notice} mode="agent 127.0.0.1:9178" />);
    const line = lastFrame() ?? '';
    assert.match(line, /⚠ agent unreachable since 05:49:10 — states unknown, reconnecting/);
    assert.ok(line.length <= 80, line);
  });
});
