import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveTarget, BUILTIN_DEFAULTS, type Target } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { probeTcp } from '../../src/probe/tcp.js';
import type { ProbeFn } from '../../src/probe/types.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';

const t = (name: string, port: number, extra: Record<string, unknown> = {}): Target =>
  resolveTarget({ name, host: '127.0.0.1', port, interval: 200, timeout: 1000, retries: 1, retryDelay: 50, ...extra }, BUILTIN_DEFAULTS);

describe('engine scheduling on real sockets', () => {
  let l: Listener;
  let closed: number;
  const engines: Engine[] = [];
  before(async () => {
    l = await listen();
    closed = await freePort();
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await l.close();
  });
  const make = (targets: Target[], extra: Partial<ConstructorParameters<typeof Engine>[0]> = {}) => {
    const e = new Engine({ targets, startSpreadMs: 0, ...extra });
    engines.push(e);
    return e;
  };

  it('never has more than `concurrency` handshakes in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: ProbeFn = async (req) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await probeTcp(req);
      } finally {
        inFlight--;
      }
    };
    const targets = Array.from({ length: 300 }, (_, i) => t(`t${i}`, l.port, { interval: 60_000 }));
    const e = make(targets, { concurrency: 16, probe: counting });
    e.start();
    await waitFor('every target checked', () => e.snapshot().every((v) => v.checks >= 1), 15_000);
    await e.stop();
    assert.ok(peak <= 16, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}: the bound was actually reached for concurrency`);
  });

  it('checks each target on its own interval, spread out rather than in lockstep', async () => {
    const e = make([t('a', l.port, { interval: 100 }), t('b', l.port, { interval: 300 })], {});
    e.start();
    await new Promise((r) => setTimeout(r, 1000));
    await e.stop();
    const a = e.get('a')!.checks;
    const b = e.get('b')!.checks;
    assert.ok(a >= 6 && a <= 12, `a checked ${a} times in 1s at 100ms`);
    assert.ok(b >= 2 && b <= 5, `b checked ${b} times in 1s at 300ms`);
  });

  it('recheck(id) checks at once, out of turn', async () => {
    const e = make([t('slowcycle', l.port, { interval: 60_000 })]);
    e.start();
    await waitFor('first check', () => e.get('slowcycle')!.checks === 1);
    e.recheck('slowcycle');
    await waitFor('recheck', () => e.get('slowcycle')!.checks === 2, 2000);
  });

  it('pause stops checking and shows PAUSED; resume checks again', async () => {
    const e = make([t('p', l.port, { interval: 100 })]);
    e.start();
    await waitFor('UP', () => e.get('p')!.monitor.state === 'UP');
    e.pause('p');
    assert.equal(e.get('p')!.monitor.state, 'PAUSED');
    const n = e.get('p')!.checks;
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(e.get('p')!.checks <= n + 1, 'at most the one in flight finished');
    assert.equal(e.get('p')!.monitor.state, 'PAUSED');
    e.resume('p');
    await waitFor('UP after resume', () => e.get('p')!.monitor.state === 'UP');
  });

  it('adds and removes targets while running', async () => {
    const events: EngineEvent[] = [];
    const e = make([t('first', l.port)]);
    e.subscribe((ev) => events.push(ev));
    e.start();
    e.add(t('added', closed, { retries: 0 }));
    await waitFor('added goes DOWN', () => e.get('added')?.monitor.state === 'DOWN');
    assert.equal(e.get('added')!.monitor.cause, 'refused');
    assert.ok(e.remove('added'));
    assert.equal(e.get('added'), undefined);
    const closedIncident = events.find((ev) => ev.type === 'incident' && ev.phase === 'closed');
    assert.equal(closedIncident?.type === 'incident' && closedIncident.incident.endedBy, 'removed');
    assert.throws(() => e.add(t('first', l.port)), /already exists/);
  });

  it('update() to a new port starts the state afresh', async () => {
    const e = make([t('moving', closed, { retries: 0 })]);
    e.start();
    await waitFor('DOWN', () => e.get('moving')!.monitor.state === 'DOWN');
    e.update(t('moving', l.port, { retries: 0 }));
    await waitFor('UP on the new port', () => e.get('moving')!.monitor.state === 'UP');
  });

  it('seedIncident: an incident from an earlier run goes on while the port stays refused; a new port closes it as changed', async () => {
    const target = t('carried', closed);
    const e = make([target]);
    const events: EngineEvent[] = [];
    e.subscribe((ev) => events.push(ev));
    const earlier = { id: `${target.id}#1000`, targetId: target.id, from: 'UP' as const, to: 'DOWN' as const, cause: 'refused' as const, evidence: 'ECONNREFUSED', started: 1000, ended: null, durationMs: null };
    assert.equal(e.seedIncident('nope', earlier), false, 'an unknown target takes nothing');
    assert.equal(e.seedIncident(target.id, earlier), true);
    e.start();
    await waitFor('DOWN', () => e.get(target.id)?.monitor.state === 'DOWN');
    assert.equal(e.get(target.id)?.monitor.incident?.id, earlier.id);
    assert.deepEqual(events.filter((ev) => ev.type === 'incident'), [], 'no incident opened or closed: the same one goes on');
    e.update({ ...target, port: l.port });
    const closedEv = events.find((ev) => ev.type === 'incident');
    assert.ok(closedEv?.type === 'incident' && closedEv.phase === 'closed' && closedEv.incident.id === earlier.id && closedEv.incident.endedBy === 'changed');
    await waitFor('UP on the new port', () => e.get(target.id)?.monitor.state === 'UP');
    assert.equal(events.filter((ev) => ev.type === 'incident').length, 1);
  });

  it('pausing and resuming one refused target keeps one incident open; it closes when the port opens', async () => {
    const port = await freePort();
    const target = t('paused-outage', port);
    const e = make([target]);
    const incidents: string[] = [];
    e.subscribe((ev) => {
      if (ev.type === 'incident') incidents.push(`${ev.phase}:${ev.incident.id}:${ev.incident.endedBy ?? ''}`);
    });
    e.start();
    await waitFor('DOWN', () => e.get(target.id)?.monitor.state === 'DOWN');
    const id = e.get(target.id)!.monitor.incident!.id;
    for (let i = 0; i < 2; i++) {
      e.pause(target.id);
      await new Promise((r) => setTimeout(r, 300));
      e.resume(target.id);
      await waitFor('DOWN again', () => e.get(target.id)?.monitor.state === 'DOWN');
    }
    assert.deepEqual(incidents, [`opened:${id}:`]);
    const back = await listen('127.0.0.1', port);
    try {
      await waitFor('UP', () => e.get(target.id)?.monitor.state === 'UP');
    } finally {
      await back.close();
    }
    assert.deepEqual(incidents, [`opened:${id}:`, `closed:${id}:recovered`]);
  });

  it('a throwing subscriber does not stop the others or the checks', async () => {
    const e = make([t('x', l.port, { interval: 100 })]);
    let seen = 0;
    e.subscribe(() => {
      throw new Error('bad subscriber');
    });
    e.subscribe(() => seen++);
    e.start();
    await waitFor('results keep coming', () => e.get('x')!.checks >= 3);
    assert.ok(seen > 3);
  });

  it('keeps per-state counts and a state version in step with the targets, without a pass over them', async () => {
    const e = make([t('open', l.port), t('shut', closed), t('held', l.port, { paused: true })]);
    const counted = () => Object.fromEntries(Object.entries(e.stateCounts()).filter(([, n]) => n > 0));
    assert.deepEqual(counted(), { UNKNOWN: 2, PAUSED: 1 });
    const v0 = e.stateVersion;
    e.start();
    await waitFor('open UP, shut DOWN', () => e.get('open')?.monitor.state === 'UP' && e.get('shut')?.monitor.state === 'DOWN');
    assert.deepEqual(counted(), { UP: 1, DOWN: 1, PAUSED: 1 });
    const v1 = e.stateVersion;
    assert.ok(v1 > v0);
    const checks = e.get('open')!.checks;
    await waitFor('more checks of open', () => e.get('open')!.checks >= checks + 2);
    assert.equal(e.stateVersion, v1, 'results that change no state leave the state version alone');
    e.resume('held');
    e.remove('shut');
    e.add(t('late', l.port));
    await waitFor('held and late UP', () => e.get('held')?.monitor.state === 'UP' && e.get('late')?.monitor.state === 'UP');
    assert.deepEqual(counted(), { UP: 3 });
    const tally: Record<string, number> = {};
    for (const v of e.snapshot()) tally[v.monitor.state] = (tally[v.monitor.state] ?? 0) + 1;
    assert.deepEqual(counted(), tally);
  });
});
