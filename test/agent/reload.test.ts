import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, byName, configText, distMissing, runCli, snapshot, startAgent, writeAtomically, type AgentProcess } from '../helpers/agent.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';

interface Health {
  status: string;
  ok: boolean;
  config: { file: string; ok: boolean; problem?: string };
}

const stateLines = (a: AgentProcess, name: string): string[] => a.lines('state').filter((l) => l.includes(` target=${name} `));

describe('agent reload: a changed config file, SIGHUP and porthole reload', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-reload-'));
  const listeners: Listener[] = [];
  const agents: AgentProcess[] = [];
  let svcA: Listener;
  let svcB: Listener;
  let svcC: Listener;

  before(async () => {
    svcA = await listen('127.0.0.1');
    svcB = await listen('127.0.0.1');
    svcC = await listen('127.0.0.1');
    listeners.push(svcA, svcB, svcC);
  });

  after(async () => {
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled(listeners.map((l) => l.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies an edited file within an interval, refuses a broken one (keeps checking, /healthz 503), and keeps unchanged targets as they were', async () => {
    const config = join(dir, 'watched.json');
    const A = { name: 'svc-a', host: '127.0.0.1', port: svcA.port };
    const B = { name: 'svc-b', host: '127.0.0.1', port: svcB.port };
    writeAtomically(config, configText([A]));
    const agent = await startAgent({ config, dataDir: join(dir, 'data-watched') });
    agents.push(agent);
    await waitFor('svc-a UP', async () => byName(await snapshot(agent), 'svc-a')?.monitor.state === 'UP', 10_000, 100);
    const aLinesBefore = stateLines(agent, 'svc-a').length;
    assert.equal(aLinesBefore, 1, agent.stdout);

    // Saved the way editors save: a new file renamed over the old one.
    const t0 = Date.now();
    writeAtomically(config, configText([A, B]));
    await waitFor('the reload log line', () => agent.lines('reload').length > 0, 5_000, 50);
    const reloadLine = agent.lines('reload')[0] ?? '';
    assert.match(reloadLine, /trigger=file/);
    assert.match(reloadLine, /added=svc-b/);
    assert.match(reloadLine, /unchanged=1/);
    // Checked within one interval (1s) of the change being noticed (300 ms settle) plus slack.
    const b = await waitFor('svc-b checked', async () => {
      const t = byName(await snapshot(agent), 'svc-b');
      return t && t.checks > 0 ? t : undefined;
    }, 4_000, 50);
    assert.ok(Date.now() - t0 < 4_000);
    await waitFor('svc-b UP', async () => byName(await snapshot(agent), 'svc-b')?.monitor.state === 'UP', 5_000, 100);
    assert.ok(b.checks >= 1);

    // A broken edit: refused, the running config stays in force.
    writeAtomically(config, '{ "targets": [ { "name": "svc-c", "host": "127.0.0.1", "port": "not a port" } ] }\n');
    await waitFor('reload-refused', () => agent.lines('reload-refused').length > 0, 5_000, 50);
    assert.match(agent.lines('reload-refused')[0] ?? '', /trigger=file/);
    assert.match(agent.lines('reload-refused')[0] ?? '', /watched\.json/);
    const health = await api<Health>(agent.url, 'GET', '/healthz', undefined);
    assert.equal(health.status, 503);
    assert.equal(health.body.ok, false);
    assert.equal(health.body.config.ok, false);
    assert.match(health.body.config.problem ?? '', /not reloaded/);
    assert.match(health.body.config.problem ?? '', /port/);
    assert.match(health.body.config.problem ?? '', /watched\.json/);
    // The old targets are still checked, and svc-c from the broken file is not there.
    const before = await snapshot(agent);
    await waitFor('svc-a and svc-b checked again', async () => {
      const s = await snapshot(agent);
      return (byName(s, 'svc-a')?.checks ?? 0) > (byName(before, 'svc-a')?.checks ?? 0) && (byName(s, 'svc-b')?.checks ?? 0) > (byName(before, 'svc-b')?.checks ?? 0);
    }, 4_000, 100);
    assert.equal(byName(await snapshot(agent), 'svc-c'), undefined);
    assert.deepEqual((await snapshot(agent)).targets.map((t) => t.target.name).sort(), ['svc-a', 'svc-b']);

    // Fixed: applied again, /healthz back to 200.
    writeAtomically(config, configText([A, B]));
    await waitFor('a second reload line', () => agent.lines('reload').length > 1, 5_000, 50);
    assert.match(agent.lines('reload')[1] ?? '', /unchanged=2/);
    await waitFor('/healthz 200', async () => (await api(agent.url, 'GET', '/healthz', undefined)).status === 200, 3_000, 100);

    // svc-a was never restarted: no new state line for it across three reloads.
    assert.equal(stateLines(agent, 'svc-a').length, aLinesBefore, agent.stdout);
    assert.equal(stateLines(agent, 'svc-b').length, 1, agent.stdout);

    // What consoles changed (a pause, a target added through the API) outlives a reload of the file.
    assert.equal((await api(agent.url, 'POST', '/api/v1/targets/svc-b/pause', agent.token)).status, 200);
    assert.equal((await api(agent.url, 'POST', '/api/v1/targets', agent.token, { target: { name: 'svc-api', host: '127.0.0.1', port: svcC.port } })).status, 201);
    writeAtomically(config, configText([A, B], { interval: '1s', timeout: '1s', retries: 0, slowAfter: '900ms' }));
    await waitFor('a third reload line', () => agent.lines('reload').length > 2, 5_000, 50);
    const s = await snapshot(agent);
    assert.equal(byName(s, 'svc-b')?.monitor.state, 'PAUSED', 'the pause made on the agent stays');
    assert.ok(byName(s, 'svc-api'), 'the target added on the agent stays');
    assert.doesNotMatch(agent.lines('reload')[2] ?? '', /removed=svc-api/);
  });

  it('SIGHUP and porthole reload apply a change the file watch did not see, say what changed, and refuse a broken one (exit 1)', async () => {
    // The config path is a symlink: editing the file it points to is invisible to the directory watch,
    // so only SIGHUP or `porthole reload` apply the change.
    const real = join(dir, 'real');
    const linked = join(dir, 'linked');
    mkdirSync(real);
    mkdirSync(linked);
    const realFile = join(real, 'config.json');
    const config = join(linked, 'config.json');
    const dataDir = join(dir, 'data-linked');
    symlinkSync(realFile, config);
    const A = { name: 'svc-a', host: '127.0.0.1', port: svcA.port };
    const B = { name: 'svc-b', host: '127.0.0.1', port: svcB.port };
    const C = { name: 'svc-c', host: '127.0.0.1', port: svcC.port };
    writeAtomically(realFile, configText([A]));
    const agent = await startAgent({ config, dataDir });
    agents.push(agent);
    await waitFor('svc-a UP', async () => byName(await snapshot(agent), 'svc-a')?.monitor.state === 'UP', 10_000, 100);

    // Broken, then SIGHUP: refused.
    writeAtomically(realFile, '{ "targets": [ { "name": "x" ');
    agent.proc.kill('SIGHUP');
    await waitFor('reload-refused after SIGHUP', () => agent.lines('reload-refused').length > 0, 5_000, 50);
    assert.match(agent.lines('reload-refused')[0] ?? '', /trigger=signal/);
    assert.equal((await api(agent.url, 'GET', '/healthz', undefined)).status, 503);

    // `porthole reload` on the still broken file: exit 1, the problem printed, nothing changed.
    const refused = await runCli(['reload', '--data-dir', dataDir]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /refused; the running config stays in force/);
    assert.match(refused.stderr, /config\.json/);
    assert.deepEqual((await snapshot(agent)).targets.map((t) => t.target.name), ['svc-a']);

    // Fixed, then SIGHUP: applied.
    writeAtomically(realFile, configText([A, B]));
    agent.proc.kill('SIGHUP');
    await waitFor('reload after SIGHUP', () => agent.lines('reload').length > 0, 5_000, 50);
    assert.match(agent.lines('reload')[0] ?? '', /trigger=signal .*added=svc-b/);
    await waitFor('svc-b checked', async () => (byName(await snapshot(agent), 'svc-b')?.checks ?? 0) > 0, 4_000, 50);
    assert.equal((await api(agent.url, 'GET', '/healthz', undefined)).status, 200);

    // `porthole reload` prints what changed: svc-c added, svc-b removed, svc-a's interval changed.
    writeAtomically(realFile, configText([{ ...A, interval: '2s' }, C]));
    const applied = await runCli(['reload', '--data-dir', dataDir]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, 'reloaded: added svc-c; removed svc-b; changed svc-a; 0 unchanged\n');
    assert.match(agent.lines('reload')[1] ?? '', /trigger=request/);
    const s = await snapshot(agent);
    assert.deepEqual(s.targets.map((t) => t.target.name).sort(), ['svc-a', 'svc-c']);

    // Nothing changed: still exit 0, and says so.
    const same = await runCli(['reload', '--data-dir', dataDir]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'reloaded: added none; removed none; changed none; 2 unchanged\n');

    // No agent on a data dir: exit 2.
    const none = await runCli(['reload', '--data-dir', join(dir, 'nothing-here')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no agent runs on/);
  });
});
