import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { httpReceiver, type HttpReceiver } from './helpers/receivers.js';
import { FAST_TARGET } from './helpers/monitor.js';
import { api, snapshot, startAgent, type AgentProcess } from '../helpers/agent.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** One run of porthole: the real agent as a child process, on the test's data dir. */
interface Run {
  agent: AgentProcess;
  output: () => string;
  /** The target's state and open incident id (or '-'), from the agent's snapshot. */
  state: (id: string) => Promise<[string, string] | undefined>;
  /** The console's `P`: pause all, or resume all. */
  toggleAll: () => Promise<void>;
}

async function startRun(config: string, dataDir: string): Promise<Run> {
  const agent = await startAgent({ config, dataDir });
  return {
    agent,
    output: () => agent.stdout + agent.stderr,
    state: async (id) => {
      const t = (await snapshot(agent).catch(() => undefined))?.targets.find((x) => x.target.id === id);
      return t ? [t.monitor.state, t.monitor.incident?.id ?? '-'] : undefined;
    },
    toggleAll: async () => {
      const r = await api(agent.url, 'POST', '/api/v1/toggle-all', agent.token);
      assert.equal(r.status, 200);
    },
  };
}

/** The real CLI, built (npm test builds first). */
function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `porthole ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface Figures {
  targetId: string;
  incidents: number;
  upMs: number;
  downMs: number;
  pausedMs: number;
}
interface ExportedIncident {
  target_id: string;
  /** epoch ms in JSON lines */
  started: number;
  ended: number | null;
  duration_ms: number | null;
  ended_by: string | null;
}

function reportFor(dataDir: string, id: string): Figures {
  const report = JSON.parse(cli('report', '--json', '--data-dir', dataDir)) as { targets: Figures[] };
  const f = report.targets.find((t) => t.targetId === id);
  assert.ok(f, `no ${id} in the report`);
  return f;
}

function exportedIncidents(dataDir: string): ExportedIncident[] {
  return cli('export', '--format', 'json', '--kind', 'incidents', '--data-dir', dataDir)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ExportedIncident);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kinds = (hook: HttpReceiver) => hook.received.map((r) => (r.body as { event: string }).event);

describe('an outage across restarts and a pause-all/resume-all is one incident', { skip: existsSync(CLI) ? false : `${CLI} is missing: run npm run build (npm test does)` }, () => {
  it('refused through two restarts (one clean, one SIGKILL) and P twice: one incident, ongoing; then one RECOVERED with the whole duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-continuity-'));
    const dead = await freePort();
    const hook = await httpReceiver();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { ...FAST_TARGET, notify: ['team'] },
        alerts: { groupWithin: '100ms' },
        notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
        targets: [{ id: 'api', name: 'api', host: '127.0.0.1', port: dead }],
      }),
    );
    const runs: Run[] = [];
    let svc: Listener | undefined;
    try {
      // Run 1: refused from the start → DOWN, one DOWN alert; then a clean stop.
      const t0 = Date.now();
      const run1 = await startRun(config, dir);
      runs.push(run1);
      const [, incidentId] = await waitFor('run 1: api DOWN with an incident', async () => { const st = await run1.state('api'); return st?.[0] === 'DOWN' ? st : undefined; }, 20_000);
      await waitFor('the DOWN alert', () => hook.received.length >= 1, 10_000);
      await sleep(500);
      assert.equal((await run1.agent.stop('SIGTERM')).code, 0, run1.output());
      const gap1From = Date.now();
      await sleep(1500);

      // Run 2: the same incident goes on; P (pause all) and P (resume all) do not cut it; then killed.
      // Unwatched at least until the next run starts (its own start-up is unwatched too: a lower bound).
      const gap1 = Date.now() - gap1From;
      const run2 = await startRun(config, dir);
      runs.push(run2);
      await waitFor('run 2: api DOWN again', async () => (await run2.state('api'))?.[0] === 'DOWN', 20_000);
      assert.deepEqual(await run2.state('api'), ['DOWN', incidentId], 'the open incident carried over the restart');
      await run2.toggleAll();
      await waitFor('paused', async () => (await run2.state('api'))?.[0] === 'PAUSED');
      assert.equal((await run2.state('api'))?.[1], incidentId, 'a pause keeps the incident open');
      const pausedAt = Date.now();
      await sleep(1000);
      await run2.toggleAll();
      await waitFor('resumed', async () => (await run2.state('api'))?.[0] !== 'PAUSED');
      const pausedFor = Date.now() - pausedAt;
      await waitFor('run 2: DOWN after the resume', async () => (await run2.state('api'))?.[0] === 'DOWN', 10_000);
      assert.equal((await run2.state('api'))?.[1], incidentId);
      await sleep(1500); // the agent's history commits every second
      await run2.agent.kill();
      const gap2From = Date.now();

      // Between runs, from the real CLI: one incident, still ongoing; one DOWN alert so far.
      const between = exportedIncidents(dir).filter((i) => i.target_id === 'api');
      assert.equal(between.length, 1, JSON.stringify(between));
      assert.equal(between[0]!.ended, null);
      assert.equal(between[0]!.ended_by, null);
      assert.equal(reportFor(dir, 'api').incidents, 1);
      assert.deepEqual(kinds(hook), ['down']);
      await sleep(1000);

      // Run 3: still refused at first (the same incident, confirmed), then the port opens.
      const gap2 = Date.now() - gap2From;
      const run3 = await startRun(config, dir);
      runs.push(run3);
      await waitFor('run 3: api DOWN', async () => (await run3.state('api'))?.[0] === 'DOWN', 20_000);
      assert.equal((await run3.state('api'))?.[1], incidentId);
      svc = await listen('127.0.0.1', dead);
      const openedAt = Date.now();
      await waitFor('the RECOVERED alert', () => kinds(hook).includes('recovery'), 15_000);
      await waitFor('run 3: api UP', async () => (await run3.state('api'))?.[0] === 'UP');
      await sleep(1200); // nothing more arrives
      assert.equal((await run3.agent.stop('SIGTERM')).code, 0, run3.output());
      const stoppedAt = Date.now();

      assert.deepEqual(kinds(hook).sort(), ['down', 'recovery'], 'exactly one DOWN and one RECOVERED');
      const down = hook.received.find((r) => (r.body as { event: string }).event === 'down')!.body as Record<string, unknown>;
      const recovery = hook.received.find((r) => (r.body as { event: string }).event === 'recovery')!.body as Record<string, unknown>;
      assert.equal(down.id, `down:${incidentId}`);
      assert.equal(recovery.id, `recovery:${incidentId}`);

      const after = exportedIncidents(dir).filter((i) => i.target_id === 'api');
      assert.equal(after.length, 1, JSON.stringify(after));
      const inc = after[0]!;
      assert.equal(inc.ended_by, 'recovered');
      assert.ok(inc.ended !== null && inc.duration_ms !== null);
      const started = inc.started;
      assert.ok(started >= t0 && started < gap1From, 'it started in run 1');
      assert.ok(inc.ended <= openedAt + 2000 && inc.ended >= openedAt - 100, 'it ended at the first good check in run 3');
      // The whole outage, in the recovery alert as in the history.
      assert.equal(recovery.durationMs, inc.duration_ms);
      assert.ok(inc.duration_ms >= openedAt - gap1From, `duration ${inc.duration_ms}ms covers both restarts`);

      const f = reportFor(dir, 'api');
      assert.equal(f.incidents, 1);
      // Time while porthole was not running, and paused time, is not down time; nor is it up.
      const notWatched = gap1 + gap2;
      assert.ok(f.downMs <= inc.duration_ms - 0.8 * notWatched - 0.5 * pausedFor, `down ${f.downMs}ms of a ${inc.duration_ms}ms incident with ${notWatched}ms unwatched and ${pausedFor}ms paused`);
      assert.ok(f.pausedMs >= 0.5 * pausedFor, `paused ${f.pausedMs}ms`);
      assert.ok(f.upMs <= stoppedAt - openedAt + 500, `up ${f.upMs}ms: only after the recovery`);
    } finally {
      await Promise.all(runs.map((r) => r.agent.kill()));
      await svc?.close();
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a target removed from the config, or moved to another port, while porthole was stopped: its incident ends at the next start, with no all-clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-continuity-'));
    const [deadA, deadB] = [await freePort(), await freePort()];
    const svc = await listen();
    const hook = await httpReceiver();
    const config = join(dir, 'config.json');
    const write = (targets: unknown[]) =>
      writeFileSync(
        config,
        JSON.stringify({
          defaults: { ...FAST_TARGET, notify: ['team'] },
          alerts: { groupWithin: '0s' },
          notifiers: { team: { type: 'webhook', url: `http://127.0.0.1:${hook.port}/hook` } },
          targets,
        }),
      );
    write([
      { id: 'moved', name: 'moved', host: '127.0.0.1', port: deadA },
      { id: 'gone', name: 'gone', host: '127.0.0.1', port: deadB },
    ]);
    const runs: Run[] = [];
    try {
      const run1 = await startRun(config, dir);
      runs.push(run1);
      await waitFor('both DOWN', async () => (await run1.state('moved'))?.[0] === 'DOWN' && (await run1.state('gone'))?.[0] === 'DOWN', 20_000);
      await waitFor('two DOWN alerts', () => kinds(hook).length >= 2, 10_000);
      await sleep(300);
      assert.equal((await run1.agent.stop('SIGTERM')).code, 0, run1.output());
      const stoppedAt = Date.now();

      write([{ id: 'moved', name: 'moved', host: '127.0.0.1', port: svc.port }]);
      const run2 = await startRun(config, dir);
      runs.push(run2);
      await waitFor('moved UP on its new port', async () => (await run2.state('moved'))?.[0] === 'UP', 20_000);
      assert.equal((await run2.state('moved'))?.[1], '-', 'nothing carried to the new endpoint');
      await sleep(1000);
      assert.equal((await run2.agent.stop('SIGTERM')).code, 0, run2.output());

      const byTarget = new Map(exportedIncidents(dir).map((i) => [i.target_id, i]));
      assert.equal(byTarget.size, 2);
      assert.equal(byTarget.get('moved')?.ended_by, 'changed');
      assert.equal(byTarget.get('gone')?.ended_by, 'removed');
      for (const i of byTarget.values()) assert.ok(i.ended !== null && i.ended <= stoppedAt, 'ended where the first run last saw it');
      assert.deepEqual(kinds(hook), ['down', 'down'], 'no RECOVERED for an incident nobody saw recover');
    } finally {
      await Promise.all(runs.map((r) => r.agent.kill()));
      await svc.close();
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
