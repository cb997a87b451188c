import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byName, configText, distMissing, MAIN, snapshot, startAgent, type AgentProcess } from '../helpers/agent.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';
import { gridLine, PROMPT_SEEN, Term } from '../helpers/tmux.js';

const skip = !which('tmux') ? 'tmux is not installed' : distMissing;
const line = gridLine;
const header = (s: string): string => s.split('\n')[0] ?? '';
const promptBack = (s: string): boolean => (s.trimEnd().split('\n').pop() ?? '').startsWith(PROMPT_SEEN) && !s.includes('HOST:PORT');

describe('the console attached to an agent (tmux)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-attach-'));
  const dataDir = join(dir, 'data');
  const config = join(dir, 'config.json');
  const env = [`PORTHOLE_DATA_DIR=${dataDir}`, `PORTHOLE_CONFIG_DIR=${join(dir, 'config-dir')}`];
  const terms: Term[] = [];
  const agents: AgentProcess[] = [];
  let svcA: Listener;
  let svcB: Listener;
  let extra: Listener;
  let agent: AgentProcess;

  const startAgentHere = async (): Promise<AgentProcess> => {
    const a = await startAgent({ config, dataDir });
    agents.push(a);
    return a;
  };
  const hostOf = (a: AgentProcess): string => new URL(a.url).host;
  const startConsole = async (t: Term): Promise<string> => {
    t.type(`clear; node ${MAIN}`);
    t.key('Enter');
    return t.see('the grid', (s) => s.includes('HOST:PORT') && s.includes('svc-a'), 30_000);
  };

  before(async () => {
    svcA = await listen('127.0.0.1');
    svcB = await listen('127.0.0.1');
    extra = await listen('127.0.0.1');
    // svc-a is checked every 30s: a check of it within seconds can only be the console's recheck.
    writeFileSync(config, configText([
      { name: 'svc-a', host: '127.0.0.1', port: svcA.port, interval: '30s' },
      { name: 'svc-b', host: '127.0.0.1', port: svcB.port },
    ]));
    agent = await startAgentHere();
    await waitFor('both UP on the agent', async () => {
      const s = await snapshot(agent);
      return byName(s, 'svc-a')?.monitor.state === 'UP' && byName(s, 'svc-b')?.monitor.state === 'UP';
    }, 15_000, 100);
  });

  after(async () => {
    for (const t of terms) t.kill();
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled([svcA?.close(), svcB?.close(), extra?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('at 80×24: shows the agent, and r, p and a act on the agent; q leaves the agent checking', async () => {
    const t = new Term(80, 24, env);
    terms.push(t);
    await t.see('the shell prompt', (s) => s.includes(PROMPT_SEEN));
    await startConsole(t);
    const up = await t.see('both UP, the agent in the header', (s) => /● UP/.test(line(s, 'svc-a')) && /● UP/.test(line(s, 'svc-b')) && header(s).includes(`agent ${hostOf(agent)}`));
    assert.ok(up.trimEnd().split('\n').length <= 24);
    for (const l of up.split('\n')) assert.ok([...l].length <= 80, `a line wider than 80 columns: ${l}`);
    assert.ok(line(up, 'svc-a').startsWith(' › '), 'svc-a is selected');

    // r: a recheck on the agent (svc-a's interval is 30s, so the new check is the recheck's).
    const checksBefore = byName(await snapshot(agent), 'svc-a')?.checks ?? 0;
    t.key('r');
    await waitFor('svc-a checked again on the agent', async () => (byName(await snapshot(agent), 'svc-a')?.checks ?? 0) > checksBefore, 5_000, 100);

    // p: paused on the agent, and shown so.
    t.key('p');
    await waitFor('svc-a paused on the agent', async () => byName(await snapshot(agent), 'svc-a')?.monitor.state === 'PAUSED', 5_000, 100);
    await t.see('svc-a PAUSED on screen', (s) => /‖ PAUSED/.test(line(s, 'svc-a')));

    // a: a target added through the form lands on the agent.
    t.key('a');
    await t.see('the add form', (s) => s.includes('Add a target'));
    t.type('svc-new');
    await t.see('name typed', (s) => s.includes('svc-new▏'));
    t.key('Tab');
    await t.see('host field focused', (s) => s.includes('› host'));
    t.type('127.0.0.1');
    await t.see('host typed', (s) => s.includes('127.0.0.1▏'));
    t.key('Tab');
    await t.see('port field focused', (s) => s.includes('› port'));
    t.type(String(extra.port));
    await t.see('port typed', (s) => s.includes(`${extra.port}▏`));
    t.key('Tab');
    await t.see('interval field focused', (s) => s.includes('› interval'));
    t.type('1s');
    await t.see('interval typed', (s) => s.includes('1s▏'));
    t.key('Enter');
    const added = await waitFor('svc-new on the agent', async () => byName(await snapshot(agent), 'svc-new'), 5_000, 100);
    assert.equal(added.target.port, extra.port);
    await t.see('svc-new UP on screen', (s) => /● UP/.test(line(s, 'svc-new')));

    // q: the console goes, the agent keeps checking.
    t.key('q');
    await t.see('the shell prompt back', promptBack);
    assert.ok(agent.running);
    const total = (await snapshot(agent)).status.totalChecks;
    await waitFor('the agent checking on', async () => (await snapshot(agent)).status.totalChecks > total + 2, 6_000, 200);
    assert.equal(byName(await snapshot(agent), 'svc-a')?.monitor.state, 'PAUSED', 'quitting the console changed nothing');
  });

  it('at 80×24: the agent killed → "agent unreachable" within 3s and no UP shown; restarted → live again', async () => {
    const t = new Term(80, 24, env);
    terms.push(t);
    await t.see('the shell prompt', (s) => s.includes(PROMPT_SEEN));
    await startConsole(t);
    await t.see('live states', (s) => /● UP/.test(line(s, 'svc-b')) && /● UP/.test(line(s, 'svc-new')) && /‖ PAUSED/.test(line(s, 'svc-a')));

    agent.proc.kill('SIGKILL');
    const killedAt = Date.now();
    const gone = await t.see('agent unreachable', (s) => header(s).includes('agent unreachable'), 3_000);
    assert.ok(Date.now() - killedAt <= 3_000);
    assert.ok(!/● UP/.test(gone.split('\n').slice(1).join('\n')), `a target still shows UP:\n${gone}`);
    assert.doesNotMatch(header(gone), /● UP [1-9]/, 'no target counted UP');
    assert.match(header(gone), /states unknown/, 'the header says what the grid means now');
    for (const name of ['svc-b', 'svc-new']) assert.match(line(gone, name), /UNKNOWN/, `${name} reads UNKNOWN`);
    // It stays so while the agent is gone (reconnect attempts fail quietly).
    await new Promise((r) => setTimeout(r, 1_500));
    assert.ok(!/● UP/.test(t.screen().split('\n').slice(1).join('\n')));

    // Restarted on the same data dir (on another port): the console finds it and is live again.
    agent = await startAgentHere();
    const back = await t.see('live again', (s) => /● UP/.test(line(s, 'svc-b')) && /● UP/.test(line(s, 'svc-new')) && /‖ PAUSED/.test(line(s, 'svc-a')) && !s.includes('agent unreachable'), 15_000);
    assert.ok(header(back).includes(`agent ${hostOf(agent)}`), `the header names the agent now running:\n${header(back)}`);
    t.key('q');
    await t.see('the shell prompt back', promptBack);
  });

  it('at 200×50: the wide layout with the agent in the header', async () => {
    const t = new Term(200, 50, env);
    terms.push(t);
    await t.see('the shell prompt', (s) => s.includes(PROMPT_SEEN));
    await startConsole(t);
    const s = await t.see('live states', (x) => /● UP/.test(line(x, 'svc-b')) && /● UP/.test(line(x, 'svc-new')) && /‖ PAUSED/.test(line(x, 'svc-a')));
    assert.ok(header(s).includes(`agent ${hostOf(agent)} · last check `), header(s));
    assert.match(s, /UP%/);
    assert.ok(s.trimEnd().split('\n').length <= 50);
    for (const l of s.split('\n')) assert.ok([...l].length <= 200, `a line wider than 200 columns: ${l}`);
    // At this width the whole notice fits when the agent goes away.
    agent.proc.kill('SIGKILL');
    await t.see('the full notice', (x) => /agent unreachable since \d\d:\d\d:\d\d — states unknown, reconnecting \(connect ECONNREFUSED/.test(header(x)), 3_000);
    t.key('q');
    await t.see('the shell prompt back', promptBack);
  });
});
