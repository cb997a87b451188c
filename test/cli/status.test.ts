import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, byName, configText, distMissing, runCli, snapshot, startAgent, type AgentProcess } from '../helpers/agent.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';

interface StatusJson {
  source: string;
  status: string;
  exitCode: number;
  targets: { name: string; host: string; port: number; state: string; status: string; cause: string | null; evidence: string | null; connectMs: number | null; since: string; lastCheckAt: string | null }[];
}

describe('porthole status', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-status-'));
  const agents: AgentProcess[] = [];
  let svcA: Listener;
  let svcB: Listener;
  let closedPort: number;
  const env = { PORTHOLE_CONFIG_DIR: join(dir, 'config-dir') };

  before(async () => {
    svcA = await listen('127.0.0.1');
    svcB = await listen('127.0.0.1');
    closedPort = await freePort();
  });

  after(async () => {
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled([svcA?.close(), svcB?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('with no agent: one round of checks, exit 0 when every target is open', async () => {
    const config = write('open.json', configText([{ name: 'svc-a', host: '127.0.0.1', port: svcA.port }, { name: 'svc-b', host: '127.0.0.1', port: svcB.port }]));
    const dataDir = join(dir, 'data-none');
    const r = await runCli(['status', '--config', config, '--data-dir', dataDir], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'OK - 2 targets (one round of checks, no agent running)');
    assert.match(lines[1] ?? '', new RegExp(`^svc-a +UP +127\\.0\\.0\\.1:${svcA.port} +\\d+\\.\\dms$`));
    assert.match(lines[2] ?? '', new RegExp(`^svc-b +UP +127\\.0\\.0\\.1:${svcB.port} +\\d+\\.\\dms$`));
    assert.equal(lines.length, 3);
    assert.ok(!existsSync(join(dataDir, 'history.sqlite')), 'one round records no history');
  });

  it('with no agent: exit 2 when a target is refused, and --json says why', async () => {
    const config = write('refused.json', configText([
      { name: 'svc-a', host: '127.0.0.1', port: svcA.port },
      { name: 'gone', host: '127.0.0.1', port: closedPort },
      { name: 'resting', host: '127.0.0.1', port: closedPort, paused: true },
    ]));
    const text = await runCli(['status', '--config', config, '--data-dir', join(dir, 'data-none')], env);
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stdout, /^CRITICAL - 2 targets \(one round of checks, no agent running\)$/m);
    assert.match(text.stdout, new RegExp(`^gone +DOWN +127\\.0\\.0\\.1:${closedPort} +refused`, 'm'));

    const r = await runCli(['status', '--json', '--config', config, '--data-dir', join(dir, 'data-none')], env);
    assert.equal(r.code, 2, r.stderr);
    const j = JSON.parse(r.stdout) as StatusJson;
    assert.deepEqual(Object.keys(j).sort(), ['diagnosis', 'exitCode', 'source', 'status', 'targets']);
    assert.equal(j.source, 'one round of checks, no agent running');
    assert.equal(j.status, 'CRITICAL');
    assert.equal(j.exitCode, 2);
    assert.deepEqual(j.targets.map((t) => t.name), ['svc-a', 'gone'], 'paused targets are not checked');
    const [a, gone] = j.targets;
    assert.deepEqual(Object.keys(a ?? {}).sort(), ['cause', 'check', 'connectMs', 'evidence', 'host', 'kind', 'lastCheckAt', 'name', 'port', 'since', 'state', 'status']);
    assert.equal(a?.kind, 'tcp');
    // One port of the host refused while another answers: the host is up, the service is down.
    assert.deepEqual((j as unknown as { diagnosis: { host: string; verdict: string; text: string }[] }).diagnosis.map((d) => [d.host, d.verdict, d.text]), [['127.0.0.1', 'service-down', 'service down: gone refused (host up: svc-a answers)']]);
    assert.equal(a?.state, 'UP');
    assert.equal(a?.status, 'OK');
    assert.equal(typeof a?.connectMs, 'number');
    assert.equal(a?.cause, null);
    assert.equal(gone?.state, 'DOWN');
    assert.equal(gone?.status, 'CRITICAL');
    assert.equal(gone?.cause, 'refused');
    assert.match(gone?.evidence ?? '', /ECONNREFUSED/);
    assert.equal(gone?.connectMs, null);
    assert.equal(gone?.port, closedPort);
    assert.ok(!Number.isNaN(Date.parse(gone?.since ?? '')));
    assert.ok(!Number.isNaN(Date.parse(gone?.lastCheckAt ?? '')));
  });

  it('a bad config: exit 3 (UNKNOWN) naming the file', async () => {
    const config = write('bad.json', '{ "targets": [ { "name": "x", "host": "127.0.0.1" } ] }');
    const r = await runCli(['status', '--config', config, '--data-dir', join(dir, 'data-none')], env);
    assert.equal(r.code, 3);
    assert.ok(r.stderr.includes(config), r.stderr);
  });

  it("with an agent running: reads the agent's view (targets added or paused there), and names it as the source", async () => {
    const config = write('agent.json', configText([{ name: 'svc-a', host: '127.0.0.1', port: svcA.port }]));
    const dataDir = join(dir, 'data-agent');
    const agent = await startAgent({ config, dataDir });
    agents.push(agent);
    // A target only the agent has (added through its API), and one paused there.
    const added = await api(agent.url, 'POST', '/api/v1/targets', agent.token, { target: { name: 'only-on-agent', host: '127.0.0.1', port: svcB.port } });
    assert.equal(added.status, 201, added.text);
    await waitFor('both UP on the agent', async () => {
      const s = await snapshot(agent);
      return byName(s, 'svc-a')?.monitor.state === 'UP' && byName(s, 'only-on-agent')?.monitor.state === 'UP';
    }, 10_000, 100);
    const host = new URL(agent.url).host;

    const r = await runCli(['status', '--json', '--config', config, '--data-dir', dataDir], env);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as StatusJson;
    assert.equal(j.source, `agent ${host}`);
    assert.deepEqual(j.targets.map((t) => `${t.name} ${t.state}`).sort(), ['only-on-agent UP', 'svc-a UP']);

    assert.equal((await api(agent.url, 'POST', '/api/v1/targets/only-on-agent/pause', agent.token)).status, 200);
    // PORTHOLE_DATA_DIR finds it too; a paused target shows but counts for nothing.
    const text = await runCli(['status', '--config', config], { ...env, PORTHOLE_DATA_DIR: dataDir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^OK - 2 targets \\(agent ${host.replace(/\./g, '\\.')}\\)$`, 'm'));
    assert.match(text.stdout, /^only-on-agent +PAUSED /m);

    // --agent URL with the token in the environment.
    const byUrl = await runCli(['status', '--json', '--agent', agent.url], { ...env, PORTHOLE_AGENT_TOKEN: agent.token });
    assert.equal(byUrl.code, 0, byUrl.stderr);
    assert.equal((JSON.parse(byUrl.stdout) as StatusJson).source, `agent ${host}`);
    // ...and without it: refused, exit 3, said so.
    const noToken = await runCli(['status', '--agent', agent.url], env);
    assert.equal(noToken.code, 3);
    assert.match(noToken.stderr, /token/);

    // The agent killed outright: its agent.json stays, naming a dead pid; status checks once instead.
    await agent.kill();
    assert.ok(existsSync(join(dataDir, 'agent.json')));
    const after = await runCli(['status', '--json', '--config', config, '--data-dir', dataDir], env);
    assert.equal(after.code, 0, after.stderr);
    const k = JSON.parse(after.stdout) as StatusJson;
    assert.equal(k.source, 'one round of checks, no agent running');
    assert.deepEqual(k.targets.map((t) => t.name), ['svc-a']);
  });

  it('an agent.json naming a live process that does not answer: a warning, then one round of checks', async () => {
    const dataDir = join(dir, 'data-stale');
    mkdirSync(dataDir, { recursive: true });
    const deadPort = await freePort();
    writeFileSync(join(dataDir, 'agent.json'), JSON.stringify({ url: `http://127.0.0.1:${deadPort}`, pid: process.pid, startedAt: Date.now(), version: 'test' }));
    writeFileSync(join(dataDir, 'agent.token'), 'a-token-for-nobody\n', { mode: 0o600 });
    const config = write('stale.json', configText([{ name: 'svc-a', host: '127.0.0.1', port: svcA.port }]));
    const r = await runCli(['status', '--config', config, '--data-dir', dataDir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`the agent at http://127\\.0\\.0\\.1:${deadPort} did not answer`));
    assert.ok(!r.stderr.includes('a-token-for-nobody'));
    assert.match(r.stdout, /^OK - 1 target \(one round of checks, no agent running\)$/m);
  });
});
