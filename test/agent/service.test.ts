import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentProcess, byName, configText, distMissing, runCli, snapshot, startAgent } from '../helpers/agent.js';
import { freePort, listen, waitFor, type Listener } from '../helpers/net.js';
import { RedisServer } from '../helpers/servers.js';
import { which } from '../helpers/system.js';

/** The longest check timeout in the config below, and what a stop may take beyond it. */
const LONGEST_TIMEOUT_MS = 3_000;
const SLACK_MS = 3_000;

describe('agent under a service manager', { skip: distMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-svc-'));
  const config = join(dir, 'config.json');
  const agents: AgentProcess[] = [];
  let open: Listener;
  let silent: Listener;

  before(async () => {
    open = await listen('127.0.0.1');
    // Accepts and never says a word: a check expecting a greeting stays in flight until its timeout.
    silent = await listen('127.0.0.1');
    writeFileSync(
      config,
      configText([
        { name: 'open', host: '127.0.0.1', port: open.port },
        { name: 'silent', host: '127.0.0.1', port: silent.port, expect: 'HELLO', timeout: `${LONGEST_TIMEOUT_MS / 1000}s`, interval: '1s' },
      ]),
    );
  });

  after(async () => {
    await Promise.allSettled(agents.map((a) => a.kill()));
    await Promise.allSettled([open?.close(), silent?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (dataDir: string, closedStdin = false): Promise<AgentProcess> => {
    // `<&-`: stdin closed altogether, not even /dev/null (as some supervisors leave it).
    const a = await startAgent({ config, dataDir, ...(closedStdin ? { prefix: ['sh', '-c', 'exec "$@" <&-', 'sh'] } : {}) });
    agents.push(a);
    return a;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with a check in flight: exit 0 within the longest timeout, agent.json removed`, async () => {
      const dataDir = join(dir, `data-${signal}`);
      const a = await start(dataDir, signal === 'SIGTERM');
      assert.ok(existsSync(join(dataDir, 'agent.json')));
      assert.equal(JSON.parse(readFileSync(join(dataDir, 'agent.json'), 'utf8')).url, a.url);
      await waitFor('open UP and a connection to the silent one', async () => byName(await snapshot(a), 'open')?.monitor.state === 'UP' && silent.sockets.size > 0, 10_000, 50);
      const stopped = await a.stop(signal, LONGEST_TIMEOUT_MS + SLACK_MS + 2_000);
      assert.equal(stopped.code, 0, `exit ${stopped.code} ${stopped.signal}\n${a.stderr}`);
      assert.ok(stopped.ms < LONGEST_TIMEOUT_MS + SLACK_MS, `took ${stopped.ms}ms`);
      assert.ok(!existsSync(join(dataDir, 'agent.json')), 'agent.json is removed');
      assert.equal(a.lines('stopping').length, 1);
      assert.match(a.lines('stopping')[0] ?? '', new RegExp(`signal=${signal}`));
      assert.match(a.lines('stopped')[0] ?? '', /checks=\d+/);
      assert.equal(a.stderr, '');
    });
  }

  it('a second SIGTERM during the drain changes nothing: still exit 0 after the drain', async () => {
    const dataDir = join(dir, 'data-twice');
    const a = await start(dataDir);
    await waitFor('a connection to the silent one', () => silent.sockets.size > 0, 10_000, 50);
    a.proc.kill('SIGTERM');
    await waitFor('the drain to start', () => a.lines('stopping').length === 1, 5_000, 20);
    const stopped = await a.stop('SIGTERM', LONGEST_TIMEOUT_MS + SLACK_MS + 2_000);
    assert.equal(stopped.code, 0, `exit ${stopped.code} ${stopped.signal}\n${a.stdout}`);
    assert.match(a.stdout, /stopped pendingAlerts=/);
    assert.equal(a.lines('stopping').length, 1, 'one stopping line however many signals');
  });

  it('a second start on the same data dir keeps the token (consoles keep working)', async () => {
    const dataDir = join(dir, 'data-restart');
    const first = await start(dataDir);
    const token = first.token;
    assert.equal((await first.stop('SIGTERM')).code, 0);
    const second = await start(dataDir);
    assert.equal(second.token, token);
    assert.equal((await snapshot(second)).targets.length, 2, 'the old token opens the new agent');
    assert.equal((await second.stop('SIGTERM')).code, 0);
  });

  it('refuses a second agent on a data dir where one runs (exit 1); starts over the agent.json a killed one left', async () => {
    const dataDir = join(dir, 'data-twice');
    const first = await start(dataDir);
    const agentJson = readFileSync(join(dataDir, 'agent.json'), 'utf8');
    const second = await runCli(['agent', '--config', config, '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {}, 20_000);
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.match(second.stdout, new RegExp(`error message="another agent \\(pid ${first.proc.pid}\\) already runs on ${dataDir.replace(/[.]/g, '\\.')} at ${first.url.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(second.stdout, / started /);
    assert.equal(readFileSync(join(dataDir, 'agent.json'), 'utf8'), agentJson, "the running agent's agent.json is untouched");
    assert.ok(first.running);
    assert.ok((await snapshot(first)).targets.length === 2);

    // Killed outright (as by the OOM killer): agent.json stays behind, naming a dead pid.
    await first.kill();
    assert.ok(existsSync(join(dataDir, 'agent.json')));
    const again = await start(dataDir);
    assert.equal(JSON.parse(readFileSync(join(dataDir, 'agent.json'), 'utf8')).pid, again.proc.pid);
    assert.equal((await again.stop('SIGTERM')).code, 0);

    // An agent.json whose pid was reused by a process that does not listen there: not an agent either.
    writeFileSync(join(dataDir, 'agent.json'), JSON.stringify({ url: `http://127.0.0.1:${await freePort()}`, pid: process.pid, startedAt: 0, version: 'old' }));
    const third = await start(dataDir);
    assert.equal(JSON.parse(readFileSync(join(dataDir, 'agent.json'), 'utf8')).pid, third.proc.pid);
    assert.equal((await third.stop('SIGTERM')).code, 0);
  });

  it('a SIGHUP while the agent is still loading does not kill it: the reload is applied once it runs', { skip: existsSync('/proc/self/status') ? false : 'needs /proc' }, async () => {
    const dataDir = join(dir, 'data-early-hup');
    const a = new AgentProcess({ config, dataDir });
    agents.push(a);
    const pid = a.proc.pid ?? 0;
    // SIGHUP (1) is caught once its bit shows in SigCgt; sent at that moment, before the agent has started.
    const catchesHup = () => {
      try {
        const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? (BigInt(`0x${m[1]}`) & 1n) === 1n : false;
      } catch {
        return false;
      }
    };
    await waitFor('the agent to catch SIGHUP', () => catchesHup() || !a.running, 20_000, 2);
    const startedAlready = / started /.test(a.stdout);
    a.proc.kill('SIGHUP');
    await a.ready();
    assert.equal(startedAlready, false, 'SIGHUP is caught before the agent has started');
    await waitFor('the early reload applied', () => a.lines('reload').length === 1, 5_000, 50);
    assert.match(a.lines('reload')[0] ?? '', /trigger=signal/);
    assert.ok(a.running);
    assert.equal((await a.stop('SIGTERM')).code, 0);
  });

  it('--log-format json: every line is one JSON object with ts and event, and names no token', async () => {
    const port = await freePort();
    const jsonConfig = join(dir, 'json.json');
    writeFileSync(jsonConfig, configText([{ name: 'json-target', host: '127.0.0.1', port }]));
    const a = await startAgent({ config: jsonConfig, dataDir: join(dir, 'data-json'), extraArgs: ['--log-format', 'json'] });
    agents.push(a);
    await waitFor('the DOWN state line', () => a.stdout.includes('"to":"DOWN"'), 10_000, 50);
    assert.equal((await a.stop('SIGTERM')).code, 0);
    const lines = a.stdout.trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { ts: string; event: string; [k: string]: unknown });
    for (const e of events) assert.ok(!Number.isNaN(Date.parse(e.ts)) && typeof e.event === 'string', JSON.stringify(e));
    assert.deepEqual(events.map((e) => e.event).filter((e) => e !== 'incident-opened'), ['started', 'state', 'stopping', 'stopped']);
    const state = events.find((e) => e.event === 'state');
    assert.equal(state?.target, 'json-target');
    assert.equal(state?.to, 'DOWN');
    assert.equal(state?.cause, 'refused');
    assert.ok(!a.stdout.includes(a.token));
  });

  it('prints a systemd unit that runs it unprivileged, restarts it and reloads with SIGHUP', async () => {
    const r = await runCli(['agent', '--print-systemd-unit', '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    const unit = r.stdout;
    assert.match(unit, /^\[Service\]$/m);
    assert.match(unit, /^Restart=on-failure$/m);
    const user = /^User=(\S+)$/m.exec(unit)?.[1];
    assert.ok(user && user !== 'root' && user !== '0', `User= names a non-root user, got ${user}`);
    assert.match(unit, /^StateDirectory=\S+$/m);
    assert.match(unit, /^ExecReload=.*-HUP \$MAINPID$/m);
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
    assert.match(exec, / agent /);
    assert.ok(exec.includes(`--config ${config}`), exec);
    assert.match(exec, /--data-dir \$\{STATE_DIRECTORY\}/);
    assert.match(unit, /^WantedBy=multi-user\.target$/m);
  });

  it('--help exits 0; a bad config exits 2 naming the file; a bad flag exits 2', async () => {
    const help = await runCli(['agent', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: porthole agent/);
    assert.match(help.stdout, /\/healthz/);

    const bad = join(dir, 'bad-config.json');
    writeFileSync(bad, '{ "targets": [ { "name": "x", "host": "127.0.0.1", "port": 70000 } ] }\n');
    const r = await runCli(['agent', '--config', bad, '--data-dir', join(dir, 'data-bad'), '--listen', '127.0.0.1:0'], {}, 15_000);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(bad), r.stderr);
    assert.match(r.stderr, /targets\[0\]\.port|port/);
    assert.ok(!existsSync(join(dir, 'data-bad', 'agent.json')));

    const missing = await runCli(['agent', '--config', join(dir, 'no-such.json'), '--data-dir', join(dir, 'data-bad'), '--listen', '127.0.0.1:0'], {}, 15_000);
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.ok(missing.stderr.includes('no-such.json'), missing.stderr);

    const flag = await runCli(['agent', '--listen', 'nowhere']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--listen/);
  });

  it('logs a watched redis-server going DOWN when killed and UP when started again', { skip: which('redis-server') ? false : 'needs redis-server (Debian package redis-server)' }, async () => {
    const port = await freePort();
    const redis = new RedisServer(port);
    try {
      await redis.start();
      const redisConfig = join(dir, 'redis.json');
      writeFileSync(redisConfig, configText([{ name: 'own-redis', host: '127.0.0.1', port }], { interval: '1s', timeout: '1s', retries: 0 }));
      const a = await startAgent({ config: redisConfig, dataDir: join(dir, 'data-redis') });
      agents.push(a);
      const stateLine = (to: string) => a.lines('state').find((l) => l.includes('target=own-redis') && l.includes(` to=${to}`));
      await waitFor('state to=UP', () => stateLine('UP'), 10_000, 50);
      await redis.kill();
      const down = await waitFor('state to=DOWN', () => stateLine('DOWN'), 10_000, 50);
      assert.match(down, /from=UP to=DOWN cause=refused/);
      assert.equal(a.lines('incident-opened').length, 1);
      await redis.start();
      await waitFor('state back to UP', () => a.lines('state').filter((l) => l.includes('target=own-redis') && / from=DOWN to=UP/.test(l)).length === 1, 10_000, 50);
      await waitFor('incident-closed', () => a.lines('incident-closed').length === 1, 5_000, 50);
      const states = a.lines('state').map((l) => / from=(\S+) to=(\S+)/.exec(l)?.slice(1).join('→'));
      assert.deepEqual(states, ['UNKNOWN→UP', 'UP→DOWN', 'DOWN→UP']);
      assert.equal((await a.stop('SIGTERM')).code, 0);
    } finally {
      await redis.dispose();
    }
  });
});
