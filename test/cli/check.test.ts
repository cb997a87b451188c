import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, listen, type Listener } from '../helpers/net.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function porthole(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORTHOLE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'ph-cfg-')) } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('porthole check', () => {
  let l: Listener;
  let closed: number;
  before(async () => {
    l = await listen();
    closed = await freePort();
  });
  after(() => l.close());

  it('an open port: check_tcp-style OK line with perfdata, exit 0', () => {
    const r = porthole('check', `127.0.0.1:${l.port}`);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^TCP OK - \\d+\\.\\d{3} second response time on 127\\.0\\.0\\.1 port ${l.port}\\|time=\\d+\\.\\d{6}s;;;0\\.000000;5\\.000000\\n$`));
  });

  it('-H/-p like check_tcp, with a service name for the port', () => {
    const r = porthole('check', '-H', '127.0.0.1', '-p', String(l.port));
    assert.equal(r.code, 0);
  });

  it('a refused port: CRITICAL, exit 2, with the errno', () => {
    const r = porthole('check', '--retries', '0', `127.0.0.1:${closed}`);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, `TCP CRITICAL - Connection refused on 127.0.0.1 port ${closed} (ECONNREFUSED)\n`);
  });

  it('a name that does not resolve: CRITICAL, exit 2', () => {
    const r = porthole('check', '--retries', '0', 'no-such-host.invalid:80');
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^TCP CRITICAL - Invalid hostname, address or socket: no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\)/);
  });

  it('-w below the handshake time: WARNING, exit 1; -c below it: CRITICAL, exit 2', () => {
    const w = porthole('check', '-w', '0.0000001', `127.0.0.1:${l.port}`);
    assert.equal(w.code, 1);
    assert.match(w.stdout, /^TCP WARNING - .*\|time=[\d.]+s;0\.000000;;/);
    const c = porthole('check', '-w', '0.0000001', '-c', '0.0000002', `127.0.0.1:${l.port}`);
    assert.equal(c.code, 2);
    assert.match(c.stdout, /^TCP CRITICAL - [\d.]+ second response time/);
  });

  it('several targets: one line each, exit code the worst', () => {
    const r = porthole('check', '--retries', '0', `127.0.0.1:${l.port}`, `127.0.0.1:${closed}`);
    assert.equal(r.code, 2);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^TCP OK/);
    assert.match(lines[1]!, /^TCP CRITICAL - Connection refused/);
  });

  it('--json prints structured results with the timings apart', () => {
    const r = porthole('check', '--json', '--retries', '0', `127.0.0.1:${l.port}`, `127.0.0.1:${closed}`);
    assert.equal(r.code, 2);
    const j = JSON.parse(r.stdout) as { status: string; exitCode: number; results: Record<string, unknown>[] };
    assert.equal(j.status, 'CRITICAL');
    assert.equal(j.exitCode, 2);
    assert.equal(j.results[0]!.outcome, 'open');
    assert.equal(j.results[0]!.state, 'UP');
    assert.equal(typeof j.results[0]!.connectMs, 'number');
    assert.equal(j.results[0]!.dnsMs, null);
    assert.equal(j.results[1]!.outcome, 'refused');
    assert.equal(j.results[1]!.cause, 'refused');
    assert.equal(j.results[1]!.errno, 'ECONNREFUSED');
  });

  it('retries a failure before reporting it (attempts = retries + 1)', () => {
    const r = porthole('check', '--json', '--retries', '2', '--retry-delay', '50ms', `127.0.0.1:${closed}`);
    const j = JSON.parse(r.stdout) as { results: { attempts: number; state: string }[] };
    assert.equal(j.results[0]!.attempts, 3);
    assert.equal(j.results[0]!.state, 'DOWN');
  });

  for (const [what, args] of [
    ['no target', ['check']],
    ['not HOST:PORT', ['check', 'localhost']],
    ['port out of range', ['check', '127.0.0.1:70000']],
    ['unknown service', ['check', '127.0.0.1:postgress']],
    ['unknown option', ['check', '--bogus', '127.0.0.1:1']],
    ['bad timeout', ['check', '-t', 'soon', '127.0.0.1:1']],
  ] as const) {
    it(`bad arguments (${what}): UNKNOWN, exit 3`, () => {
      const r = porthole(...args);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^TCP UNKNOWN - /);
    });
  }

  it('--config checks every unpaused target of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-check-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: 'up', host: '127.0.0.1', port: l.port }, { name: 'off', host: '127.0.0.1', port: closed, paused: true }] }));
    const r = porthole('check', '--config', file);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim().split('\n').length, 1);
  });

  it('--config with a broken file: UNKNOWN with every problem, exit 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-check-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: 'x', host: '127.0.0.1', port: 0 }] }));
    const r = porthole('check', '--config', file);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /targets\[0\]\.port: expected a port number/);
  });
});

describe('porthole config validate', () => {
  it('exits 0 for a good file and 2 with every problem for a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-validate-'));
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify({ targets: [{ name: 'a', host: '127.0.0.1', port: 22 }] }));
    writeFileSync(bad, '{\n  "targets": [\n    {"name": "a", "host": "127.0.0.1", "port": 22, "intervall": "5s"}\n  ]\n}\n');
    const ok = porthole('config', 'validate', good);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /OK, 1 target/);
    const ko = porthole('config', 'validate', bad);
    assert.equal(ko.code, 2);
    assert.match(ko.stderr, /bad\.json: invalid config \(1 problem\)/);
    assert.match(ko.stderr, /targets\[0\]\.intervall: unknown key "intervall" — did you mean "interval"\?/);
    assert.doesNotMatch(ko.stderr, /\s+at /);
  });

  it('a missing file is a clear error, exit 2', () => {
    const r = porthole('config', 'validate', '/nonexistent/porthole.json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read the config file: no such file/);
  });
});
