import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/specs.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { openStore } from '../../src/store/index.js';
import { listen, type Listener } from '../helpers/net.js';
import { which } from '../helpers/system.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function porthole(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-cli-'));
  const dataDir = join(dir, 'data');
  const env = { PORTHOLE_CONFIG_DIR: join(dir, 'cfg'), PORTHOLE_DATA_DIR: dataDir };

  before(() => {
    // A history with enough samples that an export overflows a pipe's buffer.
    const opened = openStore({ dataDir });
    if (!opened.ok) throw new Error(opened.problem.message);
    const w = new HistoryWriter(opened.history.db);
    const now = Date.now();
    w.write([
      { kind: 'target', target: { key: 'web-1', name: 'web-1', host: '127.0.0.1', port: 8080, intervalMs: 1000, gapLimitMs: 5000 }, at: now - 60_000 },
      { kind: 'target', target: { key: 'db-1', name: 'db-1', host: '127.0.0.1', port: 5432, intervalMs: 1000, gapLimitMs: 5000 }, at: now - 60_000 },
    ]);
    const ops = Array.from({ length: 20_000 }, (_, i) => ({
      kind: 'sample' as const,
      sample: { targetKey: i % 2 ? 'web-1' : 'db-1', at: now - 50_000 + i, outcome: 'open', state: 'UP', dnsMs: null, connectMs: 0.5, cause: null },
    }));
    w.write(ops);
    opened.history.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help on every command and subcommand prints its usage and exits 0', () => {
    for (const spec of COMMANDS) {
      const r = porthole([...spec.name.split(' '), '--help'], env);
      assert.equal(r.code, 0, `${spec.name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: porthole ${spec.name === 'ui' ? '\\[ui\\]' : spec.name}`), spec.name);
      assert.match(r.stdout, /Options:\n/);
    }
    for (const group of ['config', 'history', 'notify']) {
      const r = porthole([group, '--help'], env);
      assert.equal(r.code, 0, group);
      assert.match(r.stdout, new RegExp(`porthole ${group} \\w+`));
    }
    assert.equal(porthole(['help', 'report'], env).code, 0);
    // Not a file named "--help".
    const v = porthole(['config', 'validate', '--help'], env);
    assert.doesNotMatch(v.stdout + v.stderr, /cannot read/);
  });

  it('porthole version prints the version alone', () => {
    const r = porthole(['version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('an unknown option says which and how to get help, exit 2 (3 for check, a Nagios plugin)', () => {
    const r = porthole(['report', '--bogus'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /porthole report: Unknown option '--bogus'\nTry "porthole report --help"/);
    const c = porthole(['check', '--bogus']);
    assert.equal(c.code, 3);
    assert.match(c.stdout, /^TCP UNKNOWN - Unknown option '--bogus'/);
    const e = porthole(['export', '--format', 'xml'], env);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /--format expects csv or json, got "xml"/);
  });

  it('a closed pipe ends the command quietly with status 0', { skip: which('bash') ? false : 'needs bash' }, () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" export --format csv --since 1h | head -3 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    assert.match(r.stdout, /status 0/);
    assert.equal(r.stderr, '', 'no EPIPE stack trace');
  });

  it('export --target with an unknown name is an error naming the known targets', () => {
    const r = porthole(['export', '--format', 'json', '--target', 'web1'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no target "web1" in the history — did you mean "web-1"\? \(known: db-1, web-1\)/);
    assert.equal(r.stdout, '');
  });

  it('report --data-dir FILE says the path is not a directory', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = porthole(['report', '--data-dir', file], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a-file is not a directory/);
  });

  it('completion scripts for bash, zsh and fish come from the same declarations', { skip: which('bash') ? false : 'needs bash' }, () => {
    const bash = porthole(['completion', 'bash']);
    assert.equal(bash.code, 0);
    const script = join(dir, 'porthole.bash');
    writeFileSync(script, bash.stdout);
    const complete = (...words: string[]) =>
      spawnSync('bash', ['-c', `source "${script}"; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _porthole; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(complete('porthole', 'rep'), 'report');
    assert.equal(complete('porthole', 'history', 'p'), 'prune');
    assert.equal(complete('porthole', 'export', '--format', ''), 'csv json');
    assert.match(complete('porthole', 'agent', '--l'), /--listen/);
    assert.match(complete('porthole', 'config', 'validate', '--h'), /--help/);
    for (const shell of ['zsh', 'fish']) {
      const r = porthole(['completion', shell]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /report/);
      assert.match(r.stdout, /data-dir/);
      assert.match(r.stdout, /check, show or locate the config/);
    }
    assert.equal(porthole(['completion', 'tcsh']).code, 2);
  });

  describe('check, several targets', () => {
    let a: Listener;
    let b: Listener;
    before(async () => {
      a = await listen();
      b = await listen();
    });
    after(async () => {
      await a.close();
      await b.close();
    });

    it('names the target in each line, and rounds --json times to microseconds', () => {
      const config = join(dir, 'two.json');
      writeFileSync(config, JSON.stringify({ targets: [{ name: 'alpha', host: '127.0.0.1', port: a.port }, { name: 'beta', host: '127.0.0.1', port: b.port }] }));
      const r = porthole(['check', '--config', config]);
      assert.equal(r.code, 0, r.stdout);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^TCP OK - alpha: \d+\.\d{3} second response time/);
      assert.match(lines[1] ?? '', /^TCP OK - beta: /);
      const j = porthole(['check', '--json', `127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
      const body = JSON.parse(j.stdout) as { results: { connectMs: number; totalMs: number; phases: Record<string, number | null> }[] };
      for (const res of body.results) {
        for (const v of [res.connectMs, res.totalMs, ...Object.values(res.phases)]) {
          if (typeof v === 'number') assert.ok(Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, `${v} is not rounded to µs`);
        }
      }
    });
  });

  describe('watch HOST:PORT (tmux)', { skip: which('tmux') ? false : 'tmux is not installed' }, () => {
    let svc: Listener;
    const session = `porthole-watch-${process.pid}`;
    before(async () => {
      svc = await listen();
    });
    after(async () => {
      spawnSync('tmux', ['kill-session', '-t', session]);
      await svc.close();
    });

    it('opens the console on the targets given and keeps nothing', async () => {
      const home = mkdtempSync(join(tmpdir(), 'porthole-watch-home-'));
      const cfgDir = join(home, 'cfg');
      const data = join(home, 'data');
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'env', '-u', 'CI', `HOME=${home}`, `PORTHOLE_CONFIG_DIR=${cfgDir}`, `PORTHOLE_DATA_DIR=${data}`, process.execPath, CLI, 'watch', `127.0.0.1:${svc.port}`, 'db.invalid:postgres', '-i', '500ms']);
      const screen = () => spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
      const deadline = Date.now() + 20_000;
      while (!new RegExp(`127\\.0\\.0\\.1:${svc.port}.*UP`).test(screen())) {
        if (Date.now() > deadline) assert.fail(`no UP row for the listener:\n${screen()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(screen(), /· watch ·/);
      assert.match(screen(), /db\.invalid:5432/);
      spawnSync('tmux', ['send-keys', '-t', session, 'q']);
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(readdirSync(home), [], 'nothing written: no config dir, no data dir');
      rmSync(home, { recursive: true, force: true });
    });
  });
});
