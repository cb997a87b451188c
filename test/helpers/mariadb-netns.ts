import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './net.js';
import { NetNs, netnsUnavailable, which } from './system.js';

/** Why a MariaDB-in-a-namespace test cannot run here, or undefined when it can. */
export function mariadbNetnsUnavailable(): string | undefined {
  const why = netnsUnavailable();
  if (why) return why;
  for (const bin of ['mariadbd', 'mariadb-install-db', 'mariadb']) if (!which(bin)) return `needs ${bin} (Debian package mariadb-server)`;
  return undefined;
}

/**
 * A private mariadbd inside a network namespace of its own, listening on a veth address
 * (not loopback: the server keeps no host cache for loopback clients) whose name and reverse name are
 * in the namespace's hosts file, so the host cache validates the client and counts its errors.
 * Root's queries go over the Unix socket: they never touch the TCP client's error count.
 */
export class MariaDbInNetns {
  readonly ns: NetNs;
  readonly address: string;
  // A .test name (RFC 6761 §6.2): it resolves only from the namespace's own hosts file.
  readonly hostName = 'dbhost.porthole.test';
  readonly port = 3306;
  readonly dir = mkdtempSync(join(tmpdir(), 'porthole-mariadb-'));
  private proc: ChildProcess | undefined;
  private readonly etcDir: string;

  constructor(readonly maxConnectErrors = 10) {
    this.ns = new NetNs('phdb');
    this.address = `10.213.${1 + Math.floor(Math.random() * 250)}.1`;
    this.etcDir = join('/etc/netns', this.ns.name);
    mkdirSync(this.etcDir, { recursive: true });
    writeFileSync(join(this.etcDir, 'hosts'), `127.0.0.1 localhost\n${this.address} ${this.hostName}\n`);
    // Nothing listens on the namespace's own loopback: a lookup that misses the hosts file fails here.
    writeFileSync(join(this.etcDir, 'resolv.conf'), 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n');
    // A veth pair with both ends inside the namespace: an ordinary interface, nothing leaves it.
    this.ns.exec('ip', ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    this.ns.exec('ip', ['addr', 'add', `${this.address}/24`, 'dev', 'v0']);
    this.ns.exec('ip', ['link', 'set', 'v0', 'up']);
    this.ns.exec('ip', ['link', 'set', 'v1', 'up']);
  }

  get socket(): string {
    return join(this.dir, 'mysqld.sock');
  }
  get errorLog(): string {
    return join(this.dir, 'error.log');
  }

  async start(): Promise<void> {
    const data = join(this.dir, 'data');
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
    const init = join(this.dir, 'init.sql');
    writeFileSync(
      init,
      [
        "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app-secret';",
        "CREATE USER IF NOT EXISTS 'probe'@'%' IDENTIFIED BY 'probe-secret';",
        '',
      ].join('\n'),
    );
    this.proc = spawn(
      'ip',
      [
        'netns', 'exec', this.ns.name, 'mariadbd', '--no-defaults', `--datadir=${data}`, '--user=root',
        `--bind-address=${this.address}`, `--port=${this.port}`, `--socket=${this.socket}`, `--pid-file=${join(this.dir, 'pid')}`,
        `--log-error=${this.errorLog}`, `--max-connect-errors=${this.maxConnectErrors}`, '--performance-schema=ON',
        `--init-file=${init}`, '--innodb-buffer-pool-size=8M', '--skip-log-bin', '--log-warnings=2',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('mariadbd ready', () => this.rootQuery('SELECT 1') === '1', 60_000, 200);
  }

  /** One query as root over the Unix socket; the first column of the first row, or undefined on failure. */
  rootQuery(sql: string): string | undefined {
    const r = spawnSync('mariadb', ['--no-defaults', '-S', this.socket, '-uroot', '-N', '-B', '-e', sql], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : undefined;
  }

  /** What proves whether the TCP client is on its way to being blocked: the host cache row and status. */
  counters(): Record<string, string | number> {
    const cols = ['HOST', 'HOST_VALIDATED', 'SUM_CONNECT_ERRORS', 'COUNT_HOST_BLOCKED_ERRORS', 'COUNT_HANDSHAKE_ERRORS', 'COUNT_AUTHENTICATION_ERRORS'];
    const row = (this.rootQuery(`SELECT ${cols.join(', ')} FROM performance_schema.host_cache WHERE IP='${this.address}'`) ?? '').split('\t');
    const out: Record<string, string | number> = {};
    cols.forEach((c, i) => (out[c] = row[i] === undefined || row[i] === '' ? 'absent' : /^\d+$/.test(row[i]!) ? Number(row[i]) : row[i]!));
    const status = this.rootQuery("SHOW GLOBAL STATUS WHERE Variable_name LIKE 'Connection_errors%' OR Variable_name = 'Aborted_connects'") ?? '';
    for (const line of status.split('\n')) {
      const [k, v] = line.split('\t');
      if (k && v !== undefined) out[k] = Number(v);
    }
    return out;
  }

  /** A normal client logging in over TCP from inside the namespace: its answer, or the error it got. */
  clientLogin(): { ok: boolean; output: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.ns.name, 'mariadb', '--no-defaults', '-h', this.address, '-P', String(this.port), '-uapp', '-papp-secret', '-N', '-B', '-e', 'SELECT 42'], { encoding: 'utf8', timeout: 15_000 });
    return { ok: r.status === 0 && r.stdout.trim() === '42', output: `${r.stdout}${r.stderr}`.trim() };
  }

  errorLogText(): string {
    try {
      return readFileSync(this.errorLog, 'utf8');
    } catch {
      return '';
    }
  }

  async dispose(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        spawnSync('ip', ['netns', 'pids', this.ns.name], { encoding: 'utf8' })
          .stdout.split('\n')
          .filter(Boolean)
          .forEach((pid) => spawnSync('kill', ['-KILL', pid]));
      });
    }
    this.ns.remove();
    rmSync(this.etcDir, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
