import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, byName, configText, distMissing, runCli, snapshot, startAgent, writeAtomically, type AgentProcess } from '../helpers/agent.js';
import { listen, waitFor, type Listener } from '../helpers/net.js';
import { NetNs, netnsUnavailable } from '../helpers/system.js';

/** Every way a request can fail to carry the token: none, wrong, truncated, padded, other schemes. */
function badAuth(token: string): { label: string; headers: Record<string, string>; query?: string }[] {
  return [
    { label: 'no header', headers: {} },
    { label: 'a wrong token', headers: { authorization: 'Bearer 0123456789abcdef0123456789abcdef0123456789a' } },
    { label: 'the token cut short', headers: { authorization: `Bearer ${token.slice(0, -1)}` } },
    { label: 'the token with a byte more', headers: { authorization: `Bearer ${token}x` } },
    { label: 'an empty bearer', headers: { authorization: 'Bearer ' } },
    { label: 'the token as Basic auth', headers: { authorization: `Basic ${Buffer.from(`porthole:${token}`).toString('base64')}` } },
    { label: 'the token without a scheme', headers: { authorization: token } },
    { label: 'the token in the query string', headers: {}, query: `?token=${token}&access_token=${token}` },
  ];
}

/** The token as it would show up: raw, base64, hex, URL-encoded. */
function encodings(token: string): string[] {
  return [token, Buffer.from(token).toString('base64'), Buffer.from(token).toString('hex'), encodeURIComponent(token)];
}

function assertNoToken(token: string, where: string, text: string): void {
  for (const t of encodings(token)) assert.ok(!text.includes(t), `the token (or an encoding of it) appears in ${where}`);
}

describe('agent security: the token guards every /api/ request', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-sec-'));
  const dataDir = join(dir, 'data');
  const realFile = join(dir, 'real', 'config.json');
  const config = join(dir, 'linked', 'config.json');
  let svcA: Listener;
  let svcB: Listener;
  let extra: Listener;
  let agent: AgentProcess;
  const agents: AgentProcess[] = [];

  before(async () => {
    svcA = await listen('127.0.0.1');
    svcB = await listen('127.0.0.1');
    extra = await listen('127.0.0.1');
    mkdirSync(join(dir, 'real'));
    mkdirSync(join(dir, 'linked'));
    // A symlinked config: a pending edit the watch does not apply, so only an (unauthorised) reload could.
    symlinkSync(realFile, config);
    writeAtomically(realFile, configText([
      { name: 'svc-a', host: '127.0.0.1', port: svcA.port },
      { name: 'svc-b', host: '127.0.0.1', port: svcB.port },
    ]));
    agent = await startAgent({ config, dataDir });
    agents.push(agent);
    await waitFor('both UP', async () => {
      const s = await snapshot(agent);
      return byName(s, 'svc-a')?.monitor.state === 'UP' && byName(s, 'svc-b')?.monitor.state === 'UP';
    }, 10_000, 100);
  });

  after(async () => {
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled([svcA?.close(), svcB?.close(), extra?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 to every API request without the right token, and nothing changes', async () => {
    const token = agent.token;
    const stateFile = join(dataDir, 'console-state.json');
    const overlayBefore = existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : '';
    // A change waiting in the config file: an unauthorised reload must not apply it.
    writeAtomically(realFile, configText([{ name: 'svc-a', host: '127.0.0.1', port: svcA.port }, { name: 'from-reload', host: '127.0.0.1', port: extra.port }]));
    const newTarget = { target: { name: 'intruder', host: '127.0.0.1', port: extra.port } };
    const requests: [string, string, unknown?][] = [
      ['GET', '/api/v1/snapshot'],
      ['GET', '/api/v1/uptime'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/targets/svc-a'],
      ['POST', '/api/v1/targets/svc-a/pause'],
      ['POST', '/api/v1/targets/svc-b/resume'],
      ['POST', '/api/v1/targets/svc-a/recheck'],
      ['POST', '/api/v1/targets', newTarget],
      ['PUT', '/api/v1/targets/svc-a', { target: { name: 'svc-a', host: '127.0.0.1', port: extra.port } }],
      ['DELETE', '/api/v1/targets/svc-b'],
      ['POST', '/api/v1/toggle-all'],
      ['POST', '/api/v1/reload'],
      ['GET', '/api/v1/no-such-thing'],
      ['GET', '/healthz/../api/v1/snapshot'],
    ];
    let tried = 0;
    for (const auth of badAuth(token)) {
      for (const [method, path, body] of requests) {
        const r = await api(agent.url, method, `${path}${auth.query ?? ''}`, undefined, body, auth.headers);
        assert.equal(r.status, 401, `${method} ${path} with ${auth.label}: HTTP ${r.status} ${r.text}`);
        assert.match(r.text, /needs the agent token/);
        assertNoToken(token, `the 401 answer to ${method} ${path}`, r.text);
        tried++;
      }
    }
    assert.equal(tried, 8 * 14);

    // Nothing changed: same targets, none paused or edited, no reload, the overlay untouched.
    const s = await snapshot(agent);
    assert.deepEqual(s.targets.map((t) => t.target.name).sort(), ['svc-a', 'svc-b']);
    for (const t of s.targets) assert.notEqual(t.monitor.state, 'PAUSED', `${t.target.name} is paused`);
    assert.equal(byName(s, 'svc-a')?.target.port, svcA.port);
    assert.equal(agent.lines('reload').length + agent.lines('reload-refused').length, 0);
    assert.equal(existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : '', overlayBefore);

    // The right token still works (the same requests are not refused for another reason).
    const ok = await api(agent.url, 'POST', '/api/v1/targets/svc-b/pause', token);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(byName(await snapshot(agent), 'svc-b')?.monitor.state, 'PAUSED');
    assert.equal((await api(agent.url, 'POST', '/api/v1/targets/svc-b/resume', token)).status, 200);
    const uptime = await api(agent.url, 'GET', '/api/v1/uptime', token);
    assert.equal(uptime.status, 200, uptime.text);
    assert.equal(typeof JSON.parse(uptime.text), 'object');
  });

  it('leaves /healthz and /metrics open, and neither they, the log nor status --json show the token', async () => {
    const token = agent.token;
    const health = await api(agent.url, 'GET', '/healthz', undefined);
    assert.equal(health.status, 200, health.text);
    assert.match(health.text, /"engine":"running"/);
    const metrics = await api(agent.url, 'GET', '/metrics', undefined);
    assert.equal(metrics.status, 200);
    assertNoToken(token, '/healthz', health.text);
    assertNoToken(token, '/metrics', metrics.text);

    const status = await runCli(['status', '--json', '--data-dir', dataDir, '--config', config]);
    assert.ok(status.code !== null && status.code <= 2, status.stderr);
    assert.match(JSON.parse(status.stdout).source as string, /^agent 127\.0\.0\.1:\d+$/);
    assertNoToken(token, 'status --json', status.stdout + status.stderr);
    const text = await runCli(['status', '--data-dir', dataDir, '--config', config]);
    assertNoToken(token, 'status', text.stdout + text.stderr);
    const reload = await runCli(['reload', '--data-dir', dataDir]);
    assertNoToken(token, 'porthole reload', reload.stdout + reload.stderr);

    assertNoToken(token, "the agent's stdout", agent.stdout);
    assertNoToken(token, "the agent's stderr", agent.stderr);
    assertNoToken(token, 'agent.json', readFileSync(join(dataDir, 'agent.json'), 'utf8'));
  });

  it('keeps the token file 0600, narrows a pre-existing 0644 one, and the log stays clean at stop', async () => {
    assert.equal(statSync(join(dataDir, 'agent.token')).mode & 0o777, 0o600);
    assert.match(agent.token, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');

    const otherData = join(dir, 'data-0644');
    mkdirSync(otherData);
    const preset = 'a-token-set-up-by-hand-0123456789abcdefghij';
    writeFileSync(join(otherData, 'agent.token'), `${preset}\n`, { mode: 0o644 });
    chmodSync(join(otherData, 'agent.token'), 0o644);
    const other = await startAgent({ config, dataDir: otherData });
    agents.push(other);
    assert.equal(statSync(join(otherData, 'agent.token')).mode & 0o777, 0o600);
    assert.equal(other.token, preset);
    assert.equal((await api(other.url, 'GET', '/api/v1/snapshot', preset)).status, 200);
    assert.equal((await api(other.url, 'GET', '/api/v1/snapshot', agent.token)).status, 401, "another agent's token does not open this one");
    const stopped = await other.stop('SIGTERM');
    assert.equal(stopped.code, 0);
    assertNoToken(preset, "the second agent's output", other.stdout + other.stderr);
  });

  it('with --listen on a non-loopback address (in a network namespace of its own): the same 401s', { skip: netnsUnavailable() ?? false }, async () => {
    const ns = new NetNs('ph-sec');
    let inNs: AgentProcess | undefined;
    try {
      // A veth pair with both ends in the namespace: an address that exists only there.
      ns.exec('ip', ['link', 'add', 'ph0', 'type', 'veth', 'peer', 'name', 'ph1']);
      ns.exec('ip', ['addr', 'add', '10.231.7.1/24', 'dev', 'ph0']);
      ns.exec('ip', ['link', 'set', 'ph0', 'up']);
      ns.exec('ip', ['link', 'set', 'ph1', 'up']);
      const nsData = join(dir, 'data-netns');
      const nsConfig = join(dir, 'netns.json');
      // Inside the namespace only its own loopback and 10.231.7.0/24 exist; the target is refused there.
      writeFileSync(nsConfig, configText([{ name: 'ns-local', host: '127.0.0.1', port: 45_999 }]));
      inNs = await startAgent({ config: nsConfig, dataDir: nsData, listen: '10.231.7.1:0', prefix: ['ip', 'netns', 'exec', ns.name] });
      agents.push(inNs);
      assert.match(inNs.url, /^http:\/\/10\.231\.7\.1:\d+$/);
      assert.equal(inNs.lines('warning').filter((l) => /reachable from other hosts/.test(l)).length, 1, inNs.stdout);
      const token = inNs.token;
      // Requests from inside the namespace too, by a node of its own (nothing else installed).
      const request = (method: string, path: string, token?: string): { code: number; body: string } => {
        const script = 'fetch(process.argv[1], { method: process.argv[2], headers: process.argv[3] ? { authorization: "Bearer " + process.argv[3] } : {}, signal: AbortSignal.timeout(5000) }).then(async (r) => process.stdout.write(JSON.stringify({ code: r.status, body: await r.text() })), (e) => { process.stderr.write(String(e)); process.exit(1); })';
        const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script, `${inNs?.url}${path}`, method, token ?? ''], { encoding: 'utf8', timeout: 15_000 });
        if (r.status !== 0) throw new Error(`request from the namespace failed: ${r.stderr}`);
        return JSON.parse(r.stdout) as { code: number; body: string };
      };
      for (const [method, path] of [['GET', '/api/v1/snapshot'], ['POST', '/api/v1/targets/ns-local/pause'], ['POST', '/api/v1/toggle-all'], ['DELETE', '/api/v1/targets/ns-local'], ['POST', '/api/v1/reload']] as const) {
        assert.equal(request(method, path).code, 401, `${method} ${path} without a token`);
        assert.equal(request(method, path, 'wrong-token').code, 401, `${method} ${path} with a wrong token`);
      }
      const snap = request('GET', '/api/v1/snapshot', token);
      assert.equal(snap.code, 200);
      const body = JSON.parse(snap.body) as { targets: { target: { name: string }; monitor: { state: string } }[] };
      assert.deepEqual(body.targets.map((t) => t.target.name), ['ns-local']);
      assert.notEqual(body.targets[0]?.monitor.state, 'PAUSED', 'the unauthorised pause did nothing');
      assert.equal(request('GET', '/healthz').code, 200);
      assert.equal(request('GET', '/metrics').code, 200);
      assertNoToken(token, "the netns agent's output", inNs.stdout + inNs.stderr);
      const stopped = await inNs.stop('SIGTERM');
      assert.equal(stopped.code, 0, inNs.stderr);
    } finally {
      await inNs?.kill();
      ns.remove();
    }
  });
});
